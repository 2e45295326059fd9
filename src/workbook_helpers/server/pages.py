"""Pages of `workbook serve` that are not notebooks: the landing page at the server's root.

The address `workbook serve` prints (`http://HOST:PORT/`) opens a landing page that says what
the server is and where each visitor goes next: respondents to their own personal link,
facilitators to the setup page, dashboard and portfolio. The page speaks the browser's language
(`Accept-Language`), and its links to the setup page and the dashboards carry it (`lang=`), so
a facilitator whose browser asks for German gets those pages in German too. When the server
has a facilitator key, the page shows nothing of any engagement (no names, no links carrying
data) unless the request carries the key (`/?key=KEY`); without a key (a local-only server)
everyone on this machine is the facilitator, as on the facilitator pages themselves.

The page is one Jinja2 template (`templates/sections/apps/landing_page.html.j2`, autoescaped
like every template) styled with the apps' own CSS, so it looks like the apps. It is served by
a small Tornado handler that `voila_app` registers before Voila's own tree page, which it
replaces (`/voila/tree` shows this page too).
"""

from __future__ import annotations

import hmac
import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import tornado.web
from tornado.ioloop import IOLoop

from ..config import resource, settings
from ..i18n import negotiate
from ..presenting.templating import Markup, render

LOG = logging.getLogger("workbook.serve")
CSS_DIR = ("templates", "voila", "share", "jupyter", "voila", "templates", "workbook")
# the page is self-contained: its own inline CSS, links, nothing else loads or runs
LANDING_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@dataclass(frozen=True)
class EngagementLinks:
    """One engagement as the landing page lists it for a facilitator."""

    id: str
    title: str
    host_org: str
    partner_org: str
    respondents: int
    setup: str
    dashboard: str


@cache
def page_css() -> Markup:
    """The apps' page and component styles (`page.css`, `widgets.css`), our own files."""
    parts = [resource(*CSS_DIR, name).read_text(encoding="utf-8")
             for name in ("page.css", "widgets.css")]
    return Markup("\n".join(parts))


def key_ok(given: str, expected: str) -> bool:
    """Whether a request may see facilitator material: always when the server has no key
    (local only), else only with that key (compared in constant time)."""
    if not expected:
        return True
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def page_link(page: str, engagement: str = "", key: str = "", lang: str = "") -> str:
    """A facilitator page's address relative to the server's root (works behind a prefix);
    `lang` (not for English, the pages' default) asks the page to speak that language."""
    lang = "" if lang == "en" else lang
    query = {k: v for k, v in (("engagement", engagement), ("key", key), ("lang", lang)) if v}
    return f"voila/render/{page}.ipynb" + (f"?{urlencode(query)}" if query else "")


def engagement_links(key: str = "", lang: str = "") -> list[EngagementLinks]:
    """Every engagement in the store with its setup and dashboard links (facilitators only),
    in `lang` when it is not English."""
    from ..store import Store

    store = Store.open(upgrade=False)
    try:
        frame = store.engagements()
    finally:
        store.close()
    return [EngagementLinks(str(r.engagement), str(r.title), str(r.host_org),
                            str(r.partner_org), int(r.respondents),
                            page_link("setup", str(r.engagement), key, lang),
                            page_link("dashboard", str(r.engagement), key, lang))
            for r in frame.itertuples(index=False)]


def render_landing(*, facilitator: bool, has_key: bool, wrong_key: bool, key: str = "",
                   engagements: list[EngagementLinks] | None = None,
                   store_error: bool = False, lang: str = "en") -> str:
    """The landing page's HTML, in `lang`. Engagement data and facilitator links only when
    `facilitator` (the key was given, or the server has none)."""
    return str(render(
        "apps/landing_page.html.j2", lang=lang, css=page_css(), facilitator=facilitator,
        has_key=has_key, wrong_key=wrong_key,
        engagements=(engagements or []) if facilitator else [],
        store_error=store_error and facilitator,
        setup=page_link("setup", "", key, lang) if facilitator else "",
        portfolio=page_link("portfolio", "", key) if facilitator else ""))


class LandingHandler(tornado.web.RequestHandler):
    """`GET /`: the landing page (see the module docstring)."""

    async def get(self) -> None:
        """Answer with the landing page; the store is read off the event loop."""
        app = self.settings.get("workbook")  # the application's (voila_app.WorkbookVoila)
        expected = app.facilitator_key if app is not None else settings().facilitator_key
        given = self.get_argument("key", "")
        lang = negotiate(self.request.headers.get("Accept-Language"))
        facilitator = key_ok(given, expected)
        rows: list[EngagementLinks] = []
        failed = False
        if facilitator:
            try:
                rows = await IOLoop.current().run_in_executor(None, engagement_links,
                                                              given if expected else "", lang)
            except Exception as exc:  # the page must still say where to go
                LOG.error("the landing page cannot read the store: %s", exc)
                failed = True
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Security-Policy", LANDING_CSP)
        self.finish(render_landing(facilitator=facilitator, has_key=bool(expected),
                                   wrong_key=bool(given) and not facilitator,
                                   key=given if expected and facilitator else "",
                                   engagements=rows, store_error=failed, lang=lang))


def landing_route(server_url: str) -> tuple[str, Any]:
    """The route `voila_app` registers ahead of Voila's tree page: the server's root, and
    Voila's own index (`/voila/tree...`, a bare list of the app notebooks) too."""
    root = server_url.rstrip("/") + "/"
    return (re.escape(root) + r"(?:voila/tree(?:/.*)?)?", LandingHandler)
