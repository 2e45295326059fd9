"""Voila as `workbook serve` runs it (`python -m workbook_helpers.server.voila_app APP_DIR ...`).

Three differences from plain `voila`:

- **Stops cleanly on SIGTERM, SIGINT and SIGHUP** alike: the server stops listening and shuts
  every kernel down (plain Voila handles SIGTERM only; SIGHUP would kill it and leave its
  kernels running).
- **A facilitator-facing log**: who opened which page (a respondent by name, side and role;
  never the link token), and errors. Personal link tokens and facilitator keys are never
  written to the log, not even with `--verbose`. `--Voila.log_level=INFO` (what
  `workbook serve --verbose` passes) shows Voila's own log as well.
- **No misleading warnings**: "Notebook ... is not trusted" (the served notebooks are our
  own copies; trust only matters for outputs saved in a notebook, and the apps' notebooks
  have none) is dropped.
- **The light questionnaire** (default): a personal link opens a plain page that needs no
  kernel (`answer_handlers`, `apps.answer_page`); `POST /workbook/answer` stores its answers.
- **Ready for the room** (`room`, with `--questionnaire voila`): the questionnaire's kernel
  pool is sized for the room
  and refilled once the room has settled; a newcomer beyond what the machine holds gets a
  short page that retries by itself; the log says when the room's questionnaires are ready.
- **The portfolio's report links**: `/workbook/reports/NAME` serves the files `workbook
  report` wrote into the reports folder (`report.folder.reports_dir`), only names it writes,
  only with the facilitator key when the server has one; HTML reports are sandboxed (no
  script runs, nothing is loaded from elsewhere).
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

LOG = logging.getLogger("workbook.serve")
SECRET_PARAMS = ("t", "key", "token")
PAGES = {"questionnaire.ipynb": "questionnaire", "dashboard.ipynb": "dashboard",
         "setup.ipynb": "setup page", "portfolio.ipynb": "portfolio"}
REPORTS_PATH = r"/workbook/reports/([^/]+)"
# a report is self-contained (inline CSS, SVG and data: images): nothing else may load or run
REPORT_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
              "font-src data:")
DROPPED = ("Notebook %s is not trusted",)


class _DropNoise(logging.Filter):
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


def report_handler() -> Any:
    """The Tornado handler serving report files to facilitators (see the module docstring)."""
    import tornado.web

    class ReportHandler(tornado.web.RequestHandler):
        def get(self, name: str) -> None:
            from ..apps.access import facilitator_key, key_matches
            from ..report.exporters import by_extension
            from ..report.folder import report_file

            if not key_matches(self.get_argument("key", ""), facilitator_key()):
                raise tornado.web.HTTPError(403)
            path = report_file(name)
            if path is None:
                raise tornado.web.HTTPError(404)
            ext = path.suffix.lstrip(".")
            exporter = by_extension(ext)
            if exporter is None:
                raise tornado.web.HTTPError(404)
            self.set_header("Content-Type", exporter.mimetype)
            self.set_header("X-Content-Type-Options", "nosniff")
            self.set_header("Referrer-Policy", "no-referrer")
            self.set_header("Cache-Control", "no-store")
            if ext == "html":
                self.set_header("Content-Security-Policy", REPORT_CSP)
            elif ext != "pdf":
                self.set_header("Content-Disposition", f'attachment; filename="{path.name}"')
            self.finish(path.read_bytes())

    return ReportHandler


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


def main(argv: list[str] | None = None) -> None:
    """Run Voila with the workbook's logging and signal handling."""
    from voila.app import Voila

    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "--Voila.log_level=INFO" in args or "--Voila.log_level=DEBUG" in args

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s  %(message)s", "%H:%M:%S"))
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)
    LOG.propagate = False

    class WorkbookVoila(Voila):  # type: ignore[misc]
        def initialize(self, argv: Any = None) -> None:
            super().initialize(argv)
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(sig, self._handle_signal_stop)
            noise = _DropNoise()
            self.log.addFilter(noise)
            for h in self.log.handlers:
                h.addFilter(noise)

        def init_handlers(self) -> Any:
            from jupyter_server.utils import url_path_join
            from voila.tornado.handler import TornadoVoilaHandler

            from .answer_handlers import answer_routes
            from .pages import landing_route

            own = [(url_path_join(self.server_url, REPORTS_PATH), report_handler()),
                   *answer_routes(self.server_url),  # the light questionnaire's saves
                   landing_route(self.server_url)]  # "/": the landing page, not Voila's tree
            handlers = []
            for spec in super().init_handlers():
                if len(spec) > 1 and spec[1] is TornadoVoilaHandler:
                    spec = (spec[0], room_handler(TornadoVoilaHandler, self._room,
                                                  self._arrivals), *spec[2:])
                handlers.append(spec)
            return own + handlers

        def start(self) -> None:
            from tornado.ioloop import PeriodicCallback

            started = time.monotonic()

            def check() -> None:
                ready, _ = pool_counts(self.kernel_manager)
                if ready >= self._room.pool:
                    LOG.info("%s (after %.0f s).", self._room.describe(),
                             time.monotonic() - started)
                    watch.stop()

            def settle() -> None:
                # once the room has been quiet, fill the pool up for the next arrivals
                if self._room.light:
                    return
                km = self.kernel_manager
                target = set_pool_target(km, self._room, self._arrivals)
                if len(getattr(km, "_pools", {}).get(QUESTIONNAIRE, [])) < target:
                    km.fill_if_needed(delay=0, notebook_name=QUESTIONNAIRE)
            watch = PeriodicCallback(check, 1000)
            watch.start()
            PeriodicCallback(settle, 30_000).start()
            super().start()

        @property
        def _arrivals(self) -> Arrivals:
            if not hasattr(self, "_arrival_log"):
                self._arrival_log = Arrivals()
            return self._arrival_log

        @property
        def _room(self) -> Any:
            from ..config import settings
            from .room import plan

            if not hasattr(self, "_room_plan"):
                conf = settings()
                self._room_plan = plan(conf.room, conf.max_visitors, conf.idle_minutes,
                                       light=conf.questionnaire == "light")
            return self._room_plan

        def init_settings(self) -> Any:
            settings = super().init_settings()
            settings["log_function"] = self._log_request
            return settings

        def _log_request(self, request_handler: Any) -> None:
            req = request_handler.request
            line = describe_request(req.method, req.uri, request_handler.get_status(),
                                    req.remote_ip, verbose)
            if line:
                (LOG.error if request_handler.get_status() >= 500 else LOG.info)(line)

        def stop(self) -> None:
            started = time.monotonic()
            super().stop()
            LOG.info("stopped: every kernel shut down (%.1f s)", time.monotonic() - started)

    WorkbookVoila.launch_instance(args)


if __name__ == "__main__":
    main()
