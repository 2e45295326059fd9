"""`workbook serve`: the Voila application, the light questionnaire, the room and the proxy."""
