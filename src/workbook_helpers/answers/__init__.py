"""Answers on their way in and out: the answers CSV, survey-tool exports, the JSON archive."""
