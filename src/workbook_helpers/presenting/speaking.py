"""The language the report path and the dashboard speak to their readers.

One context variable holds the language (a BCP 47 tag, default `en`). Everything that words
text for a reader (the score result's sentences in `scoring.wording`, the labels of
`presenting` and `brand`, the filters of `wording_filters`, the charts' titles, the report's
sections, the Excel file, the deck and the dashboard) asks this module for it:

- `_()` / `ngettext()` look the English sentence up in the `report` gettext catalogue of the
  current language (`i18n.gettext_for(lang, "report")`); English is the catalogue's msgid,
  so an English text is exactly what it was before languages existed;
- `N_()` marks a text for extraction where it is defined (a label table) and translated
  where it is shown;
- `number`, `percent`, `date_text` format for the language with Babel (English keeps the
  formats the product always printed).

`speaking(lang)` sets the language for a block: `with speaking("de"): result = score(...)`
words the result's sentences in German. Nothing here is an instruction to translate text a
respondent wrote: comments are shown as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date as _date
from datetime import datetime

__all__ = ["N_", "_", "check_language", "current", "date_text", "ngettext", "number", "percent",
           "report_languages", "side_noun", "speaking"]

DEFAULT = "en"
_LANG: ContextVar[str] = ContextVar("workbook_speaking", default=DEFAULT)
DOMAIN = "report"


def current() -> str:
    """The language text is worded in right now (`en` unless `speaking` says otherwise)."""
    return _LANG.get()


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Word every text made inside the block in `lang` (None or empty: keep the current)."""
    token = _LANG.set(lang or _LANG.get())
    try:
        yield _LANG.get()
    finally:
        _LANG.reset(token)


def _catalogue(lang: str) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    from ..i18n import translations

    t = translations(lang, DOMAIN)
    return t.gettext, t.ngettext


def _(message: str) -> str:
    """`message` (an English msgid of the `report` catalogue) in the current language."""
    lang = _LANG.get()
    if lang == DEFAULT or not message:
        return message
    return _catalogue(lang)[0](message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the current language."""
    lang = _LANG.get()
    if lang == DEFAULT:
        return singular if n == 1 else plural
    return _catalogue(lang)[1](singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it here (a label table)."""
    return message


# ---- numbers, shares and dates (Babel, through `i18n`) ---------------------------------------
def number(value: float, digits: int = 0) -> str:
    """A number rounded to `digits` decimals, as the current language writes it
    ('61.5' in English, '61,5' in German)."""
    lang = _LANG.get()
    if lang == DEFAULT:
        return f"{value:.{digits}f}"
    from ..i18n import format_number

    return str(format_number(round(float(value), digits), lang, digits))


def percent(share: float) -> str:
    """A 0-1 share as a whole percentage ('82%' in English, '82 %' in German)."""
    lang = _LANG.get()
    if lang == DEFAULT:
        return f"{round(100 * share)}%"
    from ..i18n import format_percent

    return str(format_percent(round(100 * share) / 100, lang))


def date_text(value: _date | datetime, fmt: str, english: str) -> str:
    """A date as the current language writes it: `english` is the strftime pattern English
    keeps; `fmt` is 'long' or 'short' (Babel's 'long' and 'medium' forms elsewhere)."""
    lang = _LANG.get()
    if lang == DEFAULT:
        return value.strftime(english)
    if fmt not in ("long", "short"):
        pattern = CLDR_PATTERNS.get(english)
        if pattern is None:
            return value.strftime(english)
        from ..i18n import format_datetime

        moment = value if isinstance(value, datetime) else datetime(value.year, value.month,
                                                                    value.day)
        return str(format_datetime(moment, lang, pattern))
    from ..i18n import format_date

    return str(format_date(value, lang, "long" if fmt == "long" else "medium"))


#: the strftime patterns the templates use, as CLDR patterns (month names in the language)
CLDR_PATTERNS = {"%d %b %H:%M": "dd MMM HH:mm", "%d %b %Y": "dd MMM y",
                 "%d %B %Y": "d MMMM y"}


SIDE_NOUNS = {"host": N_("host"), "partner": N_("partner")}


def side_noun(side: str | None) -> str:
    """'host' or 'partner' as the word inside a sentence, in the current language."""
    return _(SIDE_NOUNS[side]) if side in SIDE_NOUNS else str(side or "")


# ---- which languages the report path speaks -------------------------------------------------
def report_languages() -> list[str]:
    """English plus every language with a `report` catalogue."""
    from ..i18n import available_languages

    return list(available_languages(DOMAIN))


def check_language(lang: str, column: str = "--lang") -> str:
    """`lang` when the report path speaks it ('de-CH' gives 'de'); else a `LanguageError`
    (bad input, exit code 2) naming the option and the languages there are."""
    from ..exceptions import Problem
    from ..i18n import check_language as _check

    return _check(lang, DOMAIN, where=Problem("", column=column))


def lower_noun(text: str) -> str:
    """A title or a form's label lower-cased to sit inside a sentence ('Risk sharing' ->
    'risk sharing'), except in German, whose nouns keep their capital letter."""
    if _LANG.get().split("-")[0] == "de":
        return text
    return text.lower()
