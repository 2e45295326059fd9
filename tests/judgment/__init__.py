"""Practitioner judgment cases: realistic teams written from the seeds, with the answer an
experienced alliance adviser would defend, fixed before anybody scored them (issue 18)."""
