"""Languages of the interface: gettext catalogues through Babel, and Babel's formats.

The catalogues are plain `.po` files shipped in the package:
`workbook_helpers/locale/<lang>/LC_MESSAGES/<domain>.po`. Each is compiled in memory the first
time it is needed (`babel.messages.pofile.read_po`, `mofile.write_mo` into a buffer, then
`babel.support.Translations`) and cached per (language, domain): no compiled binaries are
committed and there is no build step. English is the source language (the msgids), so it
needs no file.

Two domains keep two kinds of text apart (and two people out of each other's files):

- `apps`: the questionnaire, the setup app, the landing, room-wait and error pages, and the
  command line's messages about languages;
- `report`: the dashboard, the report, the Excel workbook, the deck and the charts.

Adding a language is adding files: a folder `locale/<tag>/LC_MESSAGES/` with the domains'
`.po` files (see docs/languages.md, "Interface catalogues"). `available_languages()` finds it.

Babel is imported on first use only (the questionnaire's kernel stays light, and English
never compiles anything).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .exceptions import CatalogueError, LanguageError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import gettext as _gettext

__all__ = [
    "DEFAULT_LANGUAGE", "DOMAINS", "active_language", "available_languages", "catalogue_path",
    "check_language", "format_date", "format_datetime", "format_number", "format_percent",
    "gettext_for", "language_name", "locale_dir", "negotiate", "ngettext_for", "normalize_tag",
    "resolve_language", "translations", "using",
]

DEFAULT_LANGUAGE = "en"
DOMAINS = ("apps", "report")
# a BCP 47 language tag as the workbook takes it: a language subtag, then optional subtags
# (script, region, variant): "de", "de-CH", "zh-Hant-TW", "es-419"
TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class Gettext(Protocol):
    """A translating function: `_("Saved at %(time)s", time="10:02")`."""

    def __call__(self, message: str, /, **variables: Any) -> str: ...


class NGettext(Protocol):
    """A plural-aware translating function: `n_("%(num)d answer", "%(num)d answers", n)`."""

    def __call__(self, singular: str, plural: str, n: int, /, **variables: Any) -> str: ...


def locale_dir() -> Path:
    """The folder of the shipped catalogues (`workbook_helpers/locale`)."""
    return Path(__file__).resolve().parent / "locale"


def catalogue_path(lang: str, domain: str) -> Path:
    """Where the catalogue of `domain` in `lang` lives (whether or not it exists)."""
    return locale_dir() / lang / "LC_MESSAGES" / f"{domain}.po"


# ---- tags and languages ------------------------------------------------------------------
def normalize_tag(tag: str) -> str:
    """A language tag in the workbook's spelling ("de_ch" and "DE-CH" become "de-CH");
    raises `LanguageError` for something that is not a language tag."""
    raw = tag.strip() if isinstance(tag, str) else ""
    if not TAG.match(raw):
        raise LanguageError(Problem(
            f"'{tag}' is not a language tag.",
            fix="use a BCP 47 tag such as en, de, fr or es (optionally with a region: de-CH)."))
    parts = re.split(r"[-_]", raw)
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.upper() if len(p) == 2 and p.isalpha() else
                   p.title() if len(p) == 4 and p.isalpha() else p.lower())
    return "-".join(out)


@cache
def _languages(domain: str) -> tuple[str, ...]:
    folder = locale_dir()
    found = {DEFAULT_LANGUAGE}
    if folder.is_dir():
        for sub in folder.iterdir():
            if (sub / "LC_MESSAGES" / f"{domain}.po").is_file() and TAG.match(sub.name):
                found.add(normalize_tag(sub.name))
    return tuple(sorted(found, key=lambda t: (t != DEFAULT_LANGUAGE, t)))


@cache
def language_name(tag: str) -> str:
    """The language's own name, as its speakers write it ("Deutsch", "Français"); the tag
    itself when Babel does not know the language."""
    from babel.core import Locale, UnknownLocaleError

    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return tag
    return (name[:1].upper() + name[1:]) if name else tag


def available_languages(domain: str = "apps") -> dict[str, str]:
    """The languages the interface speaks in `domain`: `{tag: own name}`, English first.

    Discovered from the catalogues (`locale/<tag>/LC_MESSAGES/<domain>.po`), plus English,
    which is the source language."""
    return {tag: language_name(tag) for tag in _languages(_domain(domain))}


def _domain(domain: str) -> str:
    if domain not in DOMAINS:
        raise ValueError(f"unknown message domain {domain!r}; the domains are {DOMAINS}")
    return domain


def _supported(tag: str, supported: Iterable[str]) -> str | None:
    """`tag` or its language alone ("de-CH" -> "de") when `supported` has it."""
    have = set(supported)
    if tag in have:
        return tag
    base = tag.split("-")[0]
    return base if base in have else None


def check_language(tag: str, domain: str = "apps", *, where: Problem | None = None) -> str:
    """A tag the workbook speaks, normalized ("de-CH" gives "de" when only German is there);
    raises `LanguageError` naming the languages there are. `where` (a `Problem` with file, row
    and column) says where the tag came from."""
    langs = _languages(_domain(domain))
    try:
        norm = normalize_tag(tag)
    except LanguageError as exc:
        if where is None:
            raise
        raise LanguageError(Problem(exc.problems[0].message, file=where.file, row=where.row,
                                    column=where.column, fix=exc.problems[0].fix)) from None
    got = _supported(norm, langs)
    if got is None:
        p = where or Problem("")
        raise LanguageError(Problem(
            f"the workbook does not speak '{tag}'.", file=p.file, row=p.row, column=p.column,
            fix=f"use one of {', '.join(langs)} (or add the language: docs/languages.md)."))
    return got


def resolve_language(*candidates: str | None, domain: str = "apps") -> str:
    """The first candidate the interface speaks, in order (e.g. the respondent's language,
    then the engagement's), else English. A regional tag falls back to its language ("de-CH"
    to "de"); empty, unknown or malformed candidates are skipped."""
    langs = _languages(_domain(domain))
    for cand in candidates:
        if not cand:
            continue
        try:
            norm = normalize_tag(cand)
        except LanguageError:
            continue
        got = _supported(norm, langs)
        if got is not None:
            return got
    return DEFAULT_LANGUAGE


def negotiate(accept_language: str | None, domain: str = "apps") -> str:
    """The language to answer a browser in, from its `Accept-Language` header
    ("de-CH,de;q=0.9,en;q=0.5" gives "de"): the supported tag of highest weight, else
    English. For pages served before anyone is known (landing, room wait)."""
    weighted: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and tag != "*" and q > 0:
            weighted.append((-q, i, tag.strip()))
    return resolve_language(*(t for _q, _i, t in sorted(weighted)), domain=domain)


# ---- catalogues --------------------------------------------------------------------------
_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], _gettext.NullTranslations] = {}


def translations(lang: str, domain: str = "apps") -> _gettext.NullTranslations:
    """The compiled catalogue of `domain` in `lang` (cached per process).

    English gives null translations (the msgids are English). A language without a catalogue
    for the domain, or a catalogue that cannot be read, raises `CatalogueError` naming the
    file, the line and the fix."""
    _domain(domain)
    tag = normalize_tag(lang)
    if tag.split("-")[0] == DEFAULT_LANGUAGE:
        import gettext as _gt

        return _gt.NullTranslations()
    key = (tag, domain)
    with _LOCK:
        made = _CACHE.get(key)
        if made is None:
            made = _CACHE[key] = _compile(tag, domain)
    return made


def _compile(tag: str, domain: str) -> _gettext.NullTranslations:
    """Read, check and compile one `.po` file into `babel.support.Translations`."""
    from io import BytesIO

    from babel.core import UnknownLocaleError
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po
    from babel.support import Translations

    path = catalogue_path(tag, domain)
    if not path.is_file():
        base = catalogue_path(tag.split("-")[0], domain)
        if base.is_file():
            path = base
        else:
            raise CatalogueError(Problem(
                f"there is no '{domain}' catalogue for the language '{tag}'.", file=str(path),
                fix=f"add {path.name} for {tag} (copy a catalogue of another language and "
                    "translate it, see docs/languages.md), or use one of "
                    f"{', '.join(_languages(domain))}."))
    try:
        raw = path.read_bytes()
        _lint_po(path, raw.decode("utf-8"))
        catalog = read_po(BytesIO(raw), locale=tag.replace("-", "_"), domain=domain,
                          abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise CatalogueError(Problem(
            f"the catalogue cannot be read: {exc}", file=str(path), row=line,
            fix="repair the entry (each msgid needs a quoted msgstr; check quotes and "
                "escapes), or regenerate the file with 'make messages'.")) from None
    except (UnknownLocaleError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogueError(Problem(
            f"the catalogue cannot be read: {exc}", file=str(path),
            fix="save it as UTF-8 .po under a folder named after a known language tag.")) \
            from None
    for entry, errors in catalog.check():
        raise CatalogueError(Problem(
            f"the translation of {entry.id!r} does not fit its message: {errors[0]}",
            file=str(path), row=entry.lineno,
            fix="use only the placeholders of the English message (e.g. %(time)s), spelled "
                "the same, and fill every plural form."))
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=domain)


_PO_LINE = re.compile(
    r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+)?"(?:[^"\\]|\\.)*"\s*$')


def _lint_po(path: Path, text: str) -> None:
    """The syntax Babel's reader is lenient about (it drops or blanks a malformed entry
    without a word): every line is blank, a comment, or a keyword and/or a quoted string."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _PO_LINE.match(stripped):
            continue
        raise CatalogueError(Problem(
            f"the catalogue cannot be read: line {number} is not a keyword (msgid, msgstr, "
            f"...) with a quoted string: {stripped[:60]!r}", file=str(path), row=number,
            fix='quote the text ("..."), escape quotes inside it as \\", or regenerate '
                "the file with 'make messages'."))


def clear_cache() -> None:
    """Forget every compiled catalogue and discovered language (for tests and tools that
    write catalogues while the process runs)."""
    with _LOCK:
        _CACHE.clear()
    _languages.cache_clear()


def _format(text: str, variables: dict[str, Any]) -> str:
    return text % variables if variables else text


def gettext_for(lang: str, domain: str = "apps") -> Gettext:
    """A `_` for one language and domain: `_("Saved at %(time)s", time=t)` translates the
    message, then fills in the named placeholders (only when some are given)."""
    tr = translations(lang, domain)

    def _(message: str, /, **variables: Any) -> str:
        return _format(tr.gettext(message), variables)

    return _


def ngettext_for(lang: str, domain: str = "apps") -> NGettext:
    """A plural-aware `_`: `n_("%(num)d answer", "%(num)d answers", n)` picks the form the
    language's plural rule wants for `n` and fills in `num` (= n) and any other names."""
    tr = translations(lang, domain)

    def n_(singular: str, plural: str, n: int, /, **variables: Any) -> str:
        return tr.ngettext(singular, plural, n) % {"num": n, **variables}

    return n_


# ---- the language of the render under way (templates) --------------------------------------
_ACTIVE: ContextVar[tuple[str, str]] = ContextVar("workbook_language",
                                                   default=(DEFAULT_LANGUAGE, "apps"))


def active_language() -> str:
    """The language of the template render (or `using` block) under way; English outside."""
    return _ACTIVE.get()[0]


class using:
    """`with i18n.using("de", "apps"): ...`: templates rendered (and numbers formatted)
    inside speak that language; the previous one comes back on exit."""

    def __init__(self, lang: str, domain: str = "apps") -> None:
        self.value = (normalize_tag(lang), _domain(domain))
        self._token: Any = None

    def __enter__(self) -> str:
        translations(*self.value)  # a missing or broken catalogue fails here, not mid-render
        self._token = _ACTIVE.set(self.value)
        return self.value[0]

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.reset(self._token)


def active_gettext(message: str) -> str:
    """gettext in the active language and domain (Jinja's i18n extension calls this)."""
    return translations(*_ACTIVE.get()).gettext(message)


def active_ngettext(singular: str, plural: str, n: int) -> str:
    """ngettext in the active language and domain (Jinja's i18n extension calls this)."""
    return translations(*_ACTIVE.get()).ngettext(singular, plural, n)


def active_pgettext(context: str, message: str) -> str:
    """pgettext in the active language and domain (Jinja's i18n extension calls this)."""
    return translations(*_ACTIVE.get()).pgettext(context, message)


def active_npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """npgettext in the active language and domain (Jinja's i18n extension calls this)."""
    return translations(*_ACTIVE.get()).npgettext(context, singular, plural, n)


# ---- numbers, percentages, dates -----------------------------------------------------------
def _locale(lang: str | None) -> str:
    return (lang or active_language()).replace("-", "_")


def format_number(value: float | int, lang: str | None = None, digits: int = 0) -> str:
    """A number as `lang` writes it (1,234.5 / 1.234,5 / 1 234,5), rounded to `digits`;
    `lang` None: the active language."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_percent(share: float, lang: str | None = None, digits: int = 0) -> str:
    """A 0-1 share as a percentage the way `lang` writes it ("82%", "82 %", "82 %")."""
    from babel.core import Locale
    from babel.numbers import format_percent as _fp

    loc = Locale.parse(_locale(lang))
    pattern = None
    if digits > 0:  # the language's own pattern ("#,##0 %"), with the decimals asked for
        own = loc.percent_formats[None].pattern
        pattern = own.replace("0", "0." + "0" * digits, 1) if "." not in own else own
    return _fp(share, format=pattern, locale=loc)


def format_date(value: date | datetime, lang: str | None = None,
                fmt: str = "long") -> str:
    """A date as `lang` writes it; `fmt` is a Babel format name ("short", "medium", "long",
    "full") or a CLDR pattern ("d MMM y")."""
    from babel.dates import format_date as _fd

    day = value.date() if isinstance(value, datetime) else value
    return _fd(day, format=fmt, locale=_locale(lang))


def format_datetime(value: datetime, lang: str | None = None, fmt: str = "medium") -> str:
    """A date and time as `lang` writes it (Babel format name or CLDR pattern); the time is
    shown as given (no time-zone conversion)."""
    from babel.dates import format_datetime as _fdt

    return _fdt(value, format=fmt, locale=_locale(lang))


def format_time(value: datetime, lang: str | None = None, fmt: str = "short") -> str:
    """A time of day as `lang` writes it ("10:02", "10:02 AM")."""
    from babel.dates import format_time as _ft

    return _ft(value, format=fmt, locale=_locale(lang))


FORMATTERS: dict[str, Callable[..., str]] = {
    "format_number": format_number, "format_percent": format_percent,
    "format_date": format_date, "format_datetime": format_datetime,
    "format_time": format_time,
}
