"""One call per notebook: build the page's widget from its parameters, or a plain error.

The notebooks stay thin: `warm_up()` in their first cell (runs while a pre-heated kernel
waits for its visitor), then one `*_page(...)` call that reads the URL and returns the widget.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import ipywidgets as w

from ..bank import Bank, load_bank
from ..config import schema_ready
from ..exceptions import AccessDeniedError, NotFoundError, StoreError, WorkbookError
from ..presenting.templating import Markup, render
from ..store import Store
from . import access, params
from .style import style_tag

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _store() -> Store:
    # under `workbook serve` the store was opened and upgraded once, before Voila started:
    # a kernel then skips Alembic (its import and its look at the schema)
    return Store.open(upgrade=not schema_ready())


def store() -> Store:
    """The store from the environment, opened once per kernel."""
    return _store()


def bank() -> Bank:
    """The question bank in use."""
    return load_bank()


#: what each page imports ahead of its visitor (a pre-heated kernel runs `warm_up` while it
#: waits for the request): only its own modules, so that a questionnaire's kernel never loads
#: pandas, the scoring model or the charts
PAGE_MODULES = {"questionnaire": ("questionnaire",),
                "dashboard": ("dashboard",),
                "setup": ("setup",)}


def warm_up(page: str = "", charts: bool = False) -> None:
    """Load what `page` needs (every page when empty), the bank and the store, and (optionally)
    prime the chart renderer, ahead of the visitor."""
    import importlib

    for name in PAGE_MODULES.get(page) or {m for ms in PAGE_MODULES.values() for m in ms}:
        importlib.import_module(f"{__package__}.{name}")
    bank()
    if page in ("", "questionnaire", "setup"):
        _warm_catalogues()
    try:
        store()
    except StoreError as exc:  # the page itself reports it when a visitor arrives
        log.warning("store not reachable while warming up: %s", exc)
    if charts:
        import vl_convert

        vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]},
                                    "encoding": {"x": {"field": "a", "type": "quantitative"}}})


def _warm_catalogues() -> None:
    """Compile the `apps` catalogues (every language) ahead of the visitor, so that a
    questionnaire or setup page in German costs the visitor no Babel import."""
    from ..exceptions import CatalogueError
    from ..i18n import available_languages, translations

    for lang in available_languages("apps"):
        try:
            translations(lang, "apps")
        except CatalogueError as exc:  # the page reports it if its visitor needs that language
            log.warning("catalogue not compiled while warming up: %s", exc)


def error_page(message: str, kind: str = "error") -> w.HTML:
    """A page that only says what went wrong and what to do."""
    box = w.HTML(render("apps/error_page.html.j2", style=Markup(style_tag()), message=message,
                        kind=kind))
    box.add_class("wb-app")
    return box


def _guard(build: Any) -> Any:
    try:
        return build()
    except AccessDeniedError as exc:
        return error_page(str(exc))
    except StoreError as exc:
        return error_page(f"The workbook's store cannot be reached: {exc} "
                          "Reload this page in a moment; nothing you saved is lost.", "warn")
    except NotFoundError as exc:
        return error_page(str(exc))
    except WorkbookError as exc:
        return error_page(str(exc))


def questionnaire_page(engagement: str = "", respondent: str = "", list_id: str = "") -> Any:
    """The questionnaire widget for the respondent named by the link (or the parameters),
    on the bank of the link's round."""
    from .questionnaire import Questionnaire

    p = params.resolve(engagement, respondent, list_id)

    def build() -> Any:
        from ..bank.choice import bank_for

        who = access.resolve_respondent(store(), p)
        asked = bank_for(store().round(who.engagement, who.round).bank, bank())
        return Questionnaire(store(), asked, who, list_id=p.list_id)
    app = _guard(build)
    return getattr(app, "widget", app)


def dashboard_page(engagement: str = "demo", poll_seconds: float = 5.0,
                   lang: str = "") -> Any:
    """The dashboard widget; under Voila it refreshes itself as answers arrive. It speaks
    `lang` (the URL's `?lang=`, else the argument; empty: the engagement's language)."""
    from .dashboard import Dashboard

    p = params.resolve(engagement)
    asked = params.parse(params.query_string()).get("lang", "") if p.from_url else lang

    def build() -> Any:
        access.require_facilitator(p)
        eng = p.engagement or engagement or "demo"
        dash = Dashboard(store(), bank(), eng, poll_seconds=poll_seconds, lang=asked or None)
        if params.in_voila():
            dash.start_auto_refresh()
        return dash
    app = _guard(build)
    return getattr(app, "widget", app)


def setup_page(engagement: str = "", lang: str = "") -> Any:
    """The facilitator's setup widget. It speaks `lang` (the URL's `?lang=`, else the
    argument; empty: the language of the engagement it opens on), like the dashboard."""
    from .setup import SetupApp

    p = params.resolve(engagement)
    asked = params.parse(params.query_string()).get("lang", "") if p.from_url else lang

    def build() -> Any:
        access.require_facilitator(p)
        return SetupApp(store(), bank(), p.engagement or engagement, lang=asked or None)
    app = _guard(build)
    return getattr(app, "widget", app)
