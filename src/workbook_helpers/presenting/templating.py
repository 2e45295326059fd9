"""The HTML of the report's sections and of the apps' pieces, from Jinja2 templates.

The templates live in the shipped `templates/sections/` folder (`report/` for the report's
sections, `apps/` for the dashboard and the other apps, `shared/` for macros both use); an
installed wheel carries them as package data (`config.data_root`). One environment is built
once per process (`environment()`):

- autoescape is on: every `{{ ... }}` is escaped with `wording_filters.esc` (quotes too, a
  missing value as an empty string), so respondents' text (names, roles, comments,
  organisations, titles) always shows as written. Only HTML our own code made is passed
  through: `markupsafe.Markup` values (SVG charts from vl-convert, sections rendered here,
  macros). No template uses `|safe`.
- `StrictUndefined`: a variable the template needs but the caller did not give raises
  `jinja2.UndefinedError` instead of printing nothing.
- the filters and globals are `wording_filters.FILTERS` and `GLOBALS`, the same functions
  the slide deck words its text with.
- languages: Jinja2's `jinja2.ext.i18n` extension with newstyle gettext, so
  `{{ _("Saved at %(time)s", time=t) }}` translates, then escapes `t` (a literal percent sign
  in a message is written `%%`). `render(name, lang="de", domain="apps", ...)` renders in that
  language: the gettext functions read the language of the render under way
  (`i18n.using`, a context variable), so macros imported without context speak it too, and
  `format_number`, `format_percent`, `format_date` format for it. English (the default)
  renders exactly as before.

Line breaks between block elements in a template reach the HTML (they do not show); inline
content stays on one line.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import i18n
from .formats import FILTERS, GLOBALS, esc

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

__all__ = ["Markup", "environment", "macro", "render", "template_dir", "warm"]


def template_dir() -> Path:
    """The folder of the section templates (`templates/sections` of the shipped data)."""
    from ..config import data_root

    return data_root() / "templates" / "sections"


def _finalize(value: object) -> object:
    """Escape every output the one way (`esc`); our own HTML (`Markup`) passes as it is."""
    if hasattr(value, "__html__"):
        return value
    return Markup(esc(value))


@cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment of the process: autoescape, StrictUndefined, the shared
    filters and globals, templates from `template_dir()`."""
    import jinja2

    folder = template_dir()
    if not folder.is_dir():
        from ..exceptions import WorkbookError

        raise WorkbookError(f"cannot find the section templates (looked in {folder}); the "
                            "installation is incomplete: reinstall alliance-workbook.")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(("html", "htm", "xml", "j2"),
                                            default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined, finalize=_finalize, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.active_gettext, i18n.active_ngettext, newstyle=True,
        pgettext=i18n.active_pgettext, npgettext=i18n.active_npgettext)
    # the newstyle callables again, escaping the values the one way every output is escaped
    # (`esc`, like `_finalize`) instead of markupsafe's spelling of it
    ctx = jinja2.pass_context
    env.globals.update(gettext=ctx(_gettext), _=ctx(_gettext), ngettext=ctx(_ngettext),
                       pgettext=ctx(_pgettext), npgettext=ctx(_npgettext))
    env.globals.update(i18n.FORMATTERS)
    return env


def _value(value: Any) -> Any:
    """A value for a translated message: numbers as they are (for %d), our own HTML as it is,
    anything else escaped with `esc`."""
    if isinstance(value, int | float) or hasattr(value, "__html__"):
        return value
    return Markup(esc(value))


def _fill(ctx: jinja2.runtime.Context, text: str, variables: dict[str, Any]) -> str:
    """Jinja's newstyle gettext: the message, then `%` with the (escaped) variables."""
    if ctx.eval_ctx.autoescape:
        return Markup(text) % {k: _value(v) for k, v in variables.items()}
    return text % variables


def _gettext(ctx: jinja2.runtime.Context, message: str, /, **variables: Any) -> str:
    return _fill(ctx, i18n.active_gettext(message), variables)


def _ngettext(ctx: jinja2.runtime.Context, singular: str, plural: str, n: int, /,
              **variables: Any) -> str:
    variables.setdefault("num", n)
    return _fill(ctx, i18n.active_ngettext(singular, plural, n), variables)


def _pgettext(ctx: jinja2.runtime.Context, context: str, message: str, /,
              **variables: Any) -> str:
    variables.setdefault("context", context)
    return _fill(ctx, i18n.active_pgettext(context, message), variables)


def _npgettext(ctx: jinja2.runtime.Context, context: str, singular: str, plural: str, n: int,
               /, **variables: Any) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", n)
    return _fill(ctx, i18n.active_npgettext(context, singular, plural, n), variables)


def render(name: str, /, **context: Any) -> Markup:
    """Render one template (e.g. `"report/cover.html.j2"`) with `context`, as safe HTML.

    Two keywords choose the language: `lang` (a tag, default "en") and `domain` (the
    catalogue, `apps` or `report`; default `apps`). The template sees `lang` too (e.g. for
    `<html lang="{{ lang }}">`)."""
    lang = str(context.pop("lang", None) or i18n.DEFAULT_LANGUAGE)
    domain = str(context.pop("domain", None) or "apps")
    template = environment().get_template(name)
    with i18n.using(lang, domain) as tag:
        return Markup(template.render(lang=tag, **context).strip())


def macro(name: str, macro_name: str, /, *args: Any, lang: str = i18n.DEFAULT_LANGUAGE,
          domain: str = "apps", **kwargs: Any) -> Markup:
    """Call one macro of a template (e.g. `notice` of `"apps/_macros.html.j2"`), in `lang`
    with the messages of `domain`."""
    module = environment().get_template(name).module
    with i18n.using(lang, domain):
        made = getattr(module, macro_name)(*args, **kwargs)
    return Markup(str(made).strip())


def warm(*folders: str) -> int:
    """Compile every template of `folders` (e.g. "report", "shared") ahead of the first
    render, as a warm report kernel does; returns how many."""
    env, root = environment(), template_dir()
    names = [p.relative_to(root).as_posix()
             for f in folders for p in sorted((root / f).glob("*.j2"))]
    for name in names:
        env.get_template(name)
    return len(names)
