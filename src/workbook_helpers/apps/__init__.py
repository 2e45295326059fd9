"""The Voila workshop apps: questionnaire, dashboard and facilitator setup.

Notebooks under notebooks/ stay thin and call into these modules. Nothing here is imported by
`import workbook_helpers`; ipywidgets, pandas and Altair load only when an app is built.
"""
