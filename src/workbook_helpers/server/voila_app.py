"""Voila as `workbook serve` runs it (`python -m workbook_helpers.server.voila_app APP_DIR ...`):
`WorkbookVoila`, Voila's application with the workbook's settings, handlers and log.

Its own settings are traitlets with `help=`, as Voila's are (`--help-all` lists them under
`WorkbookVoila`): the facilitator key, the public URL, the reports folder, and the room
(`room`, `questionnaire`, `idle_minutes`, `max_visitors`). Each defaults to the one settings
object (`config.settings()`, i.e. the `WORKBOOK_*` variables `workbook serve` sets), can be
set like any Voila option (`--WorkbookVoila.public_url=...`), and is handed on to the kernels
the server starts, so that the apps' pages see the same values.

What else differs from plain `voila`:

- **Stops cleanly on SIGTERM, SIGINT and SIGHUP** alike: the server stops listening and shuts
  every kernel down (plain Voila handles SIGTERM only; SIGHUP would kill it and leave its
  kernels running).
- **A facilitator-facing log** and **admission for the room** (`handlers`):
  `--Voila.log_level=INFO` (what `workbook serve --verbose` passes) shows Voila's own log and
  every request as well.
- **The light questionnaire** (default): a personal link opens a plain page that needs no
  kernel (`answer_handlers`, `apps.answer_page`); `POST /workbook/answer` stores its answers.
- **The landing page** at `/` (`pages`), not Voila's bare tree.
- **The portfolio's report links**: `/workbook/reports/NAME` serves the files `workbook
  report` wrote into the reports folder (`reports_dir`; by default `report.folder.reports_dir`),
  only names it writes, only with the facilitator key when the server has one; HTML reports
  are sandboxed (no script runs, nothing is loaded from elsewhere).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from traitlets import Enum, Float, Integer, Unicode, default
from voila.app import Voila

from ..config import (
    FACILITATOR_KEY_ENV,
    IDLE_MINUTES_ENV,
    MAX_VISITORS_ENV,
    PUBLIC_URL_ENV,
    QUESTIONNAIRE_ENV,
    QUESTIONNAIRE_KINDS,
    ROOM_ENV,
    SETTINGS,
    settings,
)
from .handlers import (
    LOG,
    QUESTIONNAIRE,
    Arrivals,
    DropNoise,
    describe_request,
    pool_counts,
    room_handler,
    set_pool_target,
)

REPORTS_PATH = r"/workbook/reports/([^/]+)"
# a report is self-contained (inline CSS, SVG and data: images): nothing else may load or run
REPORT_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
              "font-src data:")


def report_handler() -> Any:
    """The Tornado handler serving report files to facilitators (see the module docstring):
    the key and the folder are the application's (`WorkbookVoila`)."""
    import tornado.web

    class ReportHandler(tornado.web.RequestHandler):
        def get(self, name: str) -> None:
            from ..apps.access import key_matches
            from ..report.exporters import by_extension
            from ..report.folder import report_file

            app = self.settings["workbook"]
            if not key_matches(self.get_argument("key", ""), app.facilitator_key):
                raise tornado.web.HTTPError(403)
            path = report_file(name, Path(app.reports_dir))
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


def _help(name: str, more: str = "") -> str:
    """A traitlet's help: the setting's own words from `config.SETTINGS`, and where its
    default comes from."""
    s = next(s for s in SETTINGS if s.name == name)
    return (f"{s.help}{more} Unless given here: ${s.env} (which `workbook serve` sets), "
            f"else {s.default}.")


@dataclass(frozen=True)
class ServerSettings:
    """The application's settings as the Tornado handlers read them
    (`handler.settings["workbook"]`)."""

    facilitator_key: str
    public_url: str
    reports_dir: str


class WorkbookVoila(Voila):  # type: ignore[misc]
    """Voila with the workbook's settings, routes, request log and signal handling."""

    facilitator_key = Unicode(config=True, help=_help(
        "facilitator_key", " Also guards the portfolio's report files; empty: no key (only "
        "sensible on 127.0.0.1). Give it through the environment rather than the command "
        "line, which other users of the machine can read."))
    public_url = Unicode(config=True, help=_help("public_url", " Handed on to the kernels."))
    reports_dir = Unicode(config=True, help=(
        "Folder of the report files `workbook report` wrote, which the portfolio links to "
        "(served under /workbook/reports/NAME). Unless given here: reports/ beside the data "
        "folder ($WORKBOOK_DATA_DIR), where the portfolio page looks."))
    room = Integer(config=True, help=_help("room"))
    questionnaire = Enum(QUESTIONNAIRE_KINDS, config=True, help=_help("questionnaire"))
    idle_minutes = Float(config=True, help=_help("idle_minutes"))
    max_visitors = Integer(config=True, help=_help("max_visitors", " 0: from the memory."))

    @default("facilitator_key")
    def _default_facilitator_key(self) -> str:
        return settings().facilitator_key

    @default("public_url")
    def _default_public_url(self) -> str:
        return settings().public_url

    @default("reports_dir")
    def _default_reports_dir(self) -> str:
        return str(settings().reports_dir)

    @default("room")
    def _default_room(self) -> int:
        return settings().room

    @default("questionnaire")
    def _default_questionnaire(self) -> str:
        return settings().questionnaire

    @default("idle_minutes")
    def _default_idle_minutes(self) -> float:
        return settings().idle_minutes

    @default("max_visitors")
    def _default_max_visitors(self) -> int:
        return settings().max_visitors

    def initialize(self, argv: Any = None) -> None:
        """Voila's start-up, then the signals, the quieter log and the settings handed on
        to the kernels."""
        super().initialize(argv)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._handle_signal_stop)
        noise = DropNoise()
        self.log.addFilter(noise)
        for h in self.log.handlers:
            h.addFilter(noise)
        self.hand_on()

    def hand_on(self) -> None:
        """Put the settings in force into the environment the kernels inherit (the apps'
        pages read them through `config.settings()`)."""
        values = {FACILITATOR_KEY_ENV: self.facilitator_key, PUBLIC_URL_ENV: self.public_url,
                  ROOM_ENV: str(self.room), QUESTIONNAIRE_ENV: self.questionnaire,
                  IDLE_MINUTES_ENV: f"{self.idle_minutes:g}",
                  MAX_VISITORS_ENV: str(self.max_visitors)}
        for name, value in values.items():
            if value:
                os.environ[name] = value
            else:
                os.environ.pop(name, None)

    @property
    def verbose(self) -> bool:
        """Whether every request is logged (`--Voila.log_level=INFO` or DEBUG)."""
        return int(self.log_level) <= logging.INFO

    def init_handlers(self) -> Any:
        """Voila's routes with the workbook's own first and the room's admission on the
        notebook pages."""
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
        """Say when the room's questionnaires are ready, refill the pool once the room has
        settled, and serve."""
        from tornado.ioloop import PeriodicCallback

        started = time.monotonic()

        def check() -> None:
            ready, _ = pool_counts(self.kernel_manager)
            if ready >= self._room.pool:
                LOG.info("%s (after %.0f s).", self._room.describe(),
                         time.monotonic() - started)
                watch.stop()

        watch = PeriodicCallback(check, 1000)
        watch.start()
        PeriodicCallback(self._settle, 30_000).start()
        super().start()

    def _settle(self) -> None:
        """Once the room has been quiet, fill the pool up for the next arrivals."""
        if self._room.light:
            return
        km = self.kernel_manager
        target = set_pool_target(km, self._room, self._arrivals)
        if len(getattr(km, "_pools", {}).get(QUESTIONNAIRE, [])) < target:
            km.fill_if_needed(delay=0, notebook_name=QUESTIONNAIRE)

    @property
    def _arrivals(self) -> Arrivals:
        if not hasattr(self, "_arrival_log"):
            self._arrival_log = Arrivals()
        return self._arrival_log

    @property
    def _room(self) -> Any:
        from .room import plan

        if not hasattr(self, "_room_plan"):
            self._room_plan = plan(self.room, self.max_visitors, self.idle_minutes,
                                   light=self.questionnaire == "light")
        return self._room_plan

    def init_settings(self) -> Any:
        """Voila's Tornado settings, with the request log and the workbook's settings."""
        tornado_settings = super().init_settings()
        tornado_settings["log_function"] = self._log_request
        tornado_settings["workbook"] = ServerSettings(self.facilitator_key, self.public_url,
                                                      self.reports_dir)
        return tornado_settings

    def _log_request(self, request_handler: Any) -> None:
        req = request_handler.request
        line = describe_request(req.method, req.uri, request_handler.get_status(),
                                req.remote_ip, self.verbose)
        if line:
            (LOG.error if request_handler.get_status() >= 500 else LOG.info)(line)

    def stop(self) -> None:
        """Stop serving and shut every kernel down, saying how long it took."""
        started = time.monotonic()
        super().stop()
        LOG.info("stopped: every kernel shut down (%.1f s)", time.monotonic() - started)


def main(argv: list[str] | None = None) -> None:
    """Run Voila with the workbook's logging and signal handling."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s  %(message)s", "%H:%M:%S"))
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)
    LOG.propagate = False
    WorkbookVoila.launch_instance(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
