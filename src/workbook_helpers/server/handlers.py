"""What the workbook's Voila server does per request (`voila_app` installs it): the
facilitator-facing log and admission to the questionnaire.

- **The log**: who opened which page (a respondent by name, side and role; never the link
  token), and errors. Personal link tokens and facilitator keys are never written to the log,
  not even with `--verbose` (`redact`). "Notebook ... is not trusted" is dropped (the served
  notebooks are our own copies and have no outputs, so trust means nothing there).
- **Ready for the room** (`room`, with `--questionnaire voila`): the questionnaire's kernel
  pool is sized for the room and refilled once the room has settled; a newcomer beyond what
  the machine holds gets a short page that retries by itself. With the light questionnaire
  (the default) a personal link opens a plain page that needs no kernel (`answer_handlers`).
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

LOG = logging.getLogger("workbook.serve")
SECRET_PARAMS = ("t", "key", "token")
PAGES = {"questionnaire.ipynb": "questionnaire", "dashboard.ipynb": "dashboard",
         "setup.ipynb": "setup page", "portfolio.ipynb": "portfolio"}
DROPPED = ("Notebook %s is not trusted",)


class DropNoise(logging.Filter):
    """Drops the log lines that mislead a facilitator (`DROPPED`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in DROPPED


def redact(uri: str) -> str:
    """A request URI with every token and key replaced by '…'."""
    parts = urlsplit(uri)
    if not parts.query:
        return uri
    query = parse_qs(parts.query, keep_blank_values=True)
    safe = {k: ["…" if k in SECRET_PARAMS else x for x in v] for k, v in query.items()}
    return f"{parts.path}?{urlencode(safe, doseq=True, safe='…')}"


def who(token: str) -> str:
    """A respondent named for the facilitator's log ('' when the token matches nobody)."""
    try:
        from ..store import Store

        store = Store.open(upgrade=False)
        try:
            r = store.respondent_by_token(token)
        finally:
            store.close()
    except Exception:  # the log must never break a request
        return ""
    if r is None:
        return ""
    role = f", {r.role}" if r.role else ""
    return f"{r.name} ({r.side}{role}, engagement {r.engagement})"


def describe_request(method: str, uri: str, status: int, ip: str, verbose: bool) -> str | None:
    """The facilitator's log line for one request, or None when it is not worth a line."""
    parts = urlsplit(uri)
    page = parts.path.rsplit("/", 1)[-1]
    if status >= 500:
        return f"error {status} on {redact(uri)} (from {ip})"
    if method == "GET" and "/voila/render/" in parts.path and page in PAGES and status < 400:
        query = parse_qs(parts.query)
        token = (query.get("t") or [""])[0]
        if page == "questionnaire.ipynb" and token:
            person = who(token)
            return (f"{person} opened the questionnaire" if person
                    else f"a questionnaire link that matches nobody was opened (from {ip})")
        return f"the {PAGES[page]} was opened (from {ip})"
    if method == "GET" and parts.path.startswith("/workbook/reports/") and status < 400:
        return f"the report {page} was opened (from {ip})"
    if verbose:
        return f"{status} {method} {redact(uri)} (from {ip})"
    return None


QUESTIONNAIRE = "questionnaire.ipynb"


def pool_counts(km: Any, notebook: str = QUESTIONNAIRE) -> tuple[int, int]:
    """(pre-heated kernels ready in `notebook`'s pool, kernels serving a page). Reads the
    pools that Voila's kernel manager keeps (tasks that are done hold a ready kernel)."""
    pools: dict[str, list[Any]] = getattr(km, "_pools", {}) or {}
    pooled: set[str] = set()
    ready = 0
    for name, items in pools.items():
        for task in items:
            if task.done() and not task.cancelled() and task.exception() is None:
                pooled.add(task.result().get("kernel_id", ""))
                ready += name == notebook
    open_pages = sum(1 for k in km.list_kernel_ids() if k not in pooled)
    return ready, open_pages


def room_wait_page(kind: str, retry_s: int, lang: str = "en") -> str:
    """The page a newcomer gets while the room is full or many kernels are starting, in
    `lang` (the browser's, as nobody is known yet)."""
    from ..presenting.templating import render

    return str(render("apps/room_wait.html.j2", kind=kind, retry_s=retry_s, lang=lang))


class Arrivals:
    """When visitors took a questionnaire, for the pool's target (`room.pool_target`)."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def add(self) -> None:
        """A visitor took a questionnaire now."""
        self.times.append(time.monotonic())

    def recent(self, quiet_s: float) -> int:
        """How many arrived since the room was last quiet for `quiet_s` seconds."""
        now = time.monotonic()
        if self.times and now - self.times[-1] > quiet_s:
            self.times.clear()
        return len(self.times)


def set_pool_target(km: Any, room: Any, arrivals: Arrivals) -> int:
    """Point Voila's pool size for the questionnaire at the room's current target."""
    from .room import pool_target

    target = pool_target(room, arrivals.recent(room.quiet_s))
    pools = getattr(km, "kernel_pools_config", None)
    if isinstance(pools, dict):
        pools.setdefault(QUESTIONNAIRE, {})["pool_size"] = target
    km.fill_delay = 0
    return target


def room_handler(base: Any, room: Any, arrivals: Arrivals) -> Any:
    """Voila's page handler with admission for the questionnaire (see `room.admit`)."""
    from .room import RETRY_S, admit

    class RoomHandler(base):  # type: ignore[misc]
        waiting = 0

        async def get(self, path: str | None = None) -> None:
            # the page's unload beacon asks Voila to shut its kernel down; the request only
            # passes Jupyter's XSRF check with this cookie, which Voila's pages never set
            self.xsrf_token  # noqa: B018 (reading it sets the cookie)
            if (path or "").rsplit("/", 1)[-1] != QUESTIONNAIRE:
                await super().get(path)
                return
            if room.light:  # a plain page, no kernel (answer_handlers)
                from .answer_handlers import page

                await page(self, self.base_url)
                return
            km = self.kernel_manager
            ready, open_pages = pool_counts(km)
            decision = admit(room, open_pages, ready, RoomHandler.waiting)
            if decision in ("busy", "full"):
                LOG.info("%s: a visitor waits (%d pages open, %d waiting for a kernel); their "
                         "page retries by itself", "the room is full" if decision == "full"
                         else "many questionnaires are starting", open_pages,
                         RoomHandler.waiting)
                self.set_status(503)
                self.set_header("Retry-After", str(RETRY_S))
                self.set_header("Cache-Control", "no-store")
                from ..i18n import negotiate

                self.finish(room_wait_page(decision, RETRY_S, negotiate(
                    self.request.headers.get("Accept-Language"))))
                return
            arrivals.add()
            set_pool_target(km, room, arrivals)  # Voila refills the pool up to it
            if decision == "pooled":
                await super().get(path)
                return
            RoomHandler.waiting += 1
            try:
                await super().get(path)
            finally:
                RoomHandler.waiting -= 1

    return RoomHandler
