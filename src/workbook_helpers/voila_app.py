"""Voila as `workbook serve` runs it (`python -m workbook_helpers.voila_app APP_DIR ...`).

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
- **The portfolio's report links**: `/workbook/reports/NAME` serves the files `workbook
  report` wrote into the reports folder (`apps.portfolio.reports_dir`), only names it writes,
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
REPORT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "pptx": "application/vnd.openxmlformats-officedocument.presentationml."
                        "presentation"}
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
        from .store import Store

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
            from .apps.access import facilitator_key
            from .apps.portfolio import key_matches, report_file

            if not key_matches(self.get_argument("key", ""), facilitator_key()):
                raise tornado.web.HTTPError(403)
            path = report_file(name)
            if path is None:
                raise tornado.web.HTTPError(404)
            ext = path.suffix.lstrip(".")
            self.set_header("Content-Type", REPORT_TYPES[ext])
            self.set_header("X-Content-Type-Options", "nosniff")
            self.set_header("Referrer-Policy", "no-referrer")
            self.set_header("Cache-Control", "no-store")
            if ext == "html":
                self.set_header("Content-Security-Policy", REPORT_CSP)
            elif ext != "pdf":
                self.set_header("Content-Disposition", f'attachment; filename="{path.name}"')
            self.finish(path.read_bytes())

    return ReportHandler


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

            own = [(url_path_join(self.server_url, REPORTS_PATH), report_handler())]
            from .server_pages import landing_route  # "/": the landing page, not Voila's tree
            own.append(landing_route(self.server_url))
            return own + list(super().init_handlers())

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
