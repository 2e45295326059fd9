"""Translations of a question bank: one YAML file per bank and language, beside the bank.

`question_bank.de.yaml` holds the German text of every list, question, help text and anchor of
`question_bank.yaml` (and of its form profiles, readiness checks and role words). It is checked
against the bank like the bank itself: every problem at once, each naming the file, the
question or list and the fix. `load_bank(path, lang="de")` (bank.load) returns the bank with
the translated texts and the same ids, scales, weights and structure. Format:
docs/languages.md.

Modules: `model` (the file's format), `files` (names, reading, languages available),
`checks` (against the bank) and `apply` (the translated bank, cached).
"""

from .apply import parse_translated, serve_key, translated_bank
from .checks import check_translation
from .files import OWN_NAMES, Stamp, available_languages, normalise_tag, translation_path
from .model import DOC, TAG, Translation, parse_translation

__all__ = ["DOC", "OWN_NAMES", "TAG", "Stamp", "Translation", "available_languages",
           "check_translation", "normalise_tag", "parse_translated", "parse_translation",
           "serve_key", "translated_bank", "translation_path"]
