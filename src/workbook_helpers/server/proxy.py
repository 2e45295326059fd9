"""Past one machine: `workbook serve` processes behind configurable-http-proxy.

A consultancy running many workshops at once starts one `workbook serve` per engagement (or
per group of engagements), each under its own path prefix (`serve --prefix /e/acme`), all
over one PostgreSQL store, behind JupyterHub's configurable-http-proxy (CHP). Each worker
adds its route to the proxy's REST API when it starts and removes it when it stops, so the
proxy always sends `/e/acme/...` to the process that serves acme; a worker that stops
takes only its own route away. Why CHP and not nginx or Traefik: `docs/decisions.md`.

This module is the proxy's client (routes in, routes out, routes listed), on the standard
library: three small JSON requests do not need a dependency.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

from ..exceptions import BadInputError, Problem, WorkbookError

PREFIX = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")


def check_prefix(prefix: str) -> str:
    """A path prefix for a worker ('/e/acme'), normalised (no trailing slash); bad ones are
    refused with the fix."""
    p = "/" + prefix.strip().strip("/") if prefix.strip().strip("/") else ""
    if p and not PREFIX.match(p):
        raise BadInputError(Problem(f"--prefix {prefix!r} is not a path prefix.",
                                    column="--prefix",
                                    fix="use letters, digits, '-', '.', '_' between slashes, "
                                        "e.g. /e/acme-globex."))
    return p


class ProxyClient:
    """The REST API of one configurable-http-proxy (`--api-ip/--api-port`)."""

    def __init__(self, api_url: str, token: str = "", timeout: float = 10.0) -> None:
        self.api = api_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.api}/api/routes{path}", data=data,
                                     method=method)
        if self.token:
            req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            hint = " (check WORKBOOK_PROXY_TOKEN)" if exc.code in (401, 403) else ""
            raise WorkbookError(f"the proxy at {self.api} refused {method} {path or '/'}: "
                                f"{exc.code} {exc.reason}{hint}.") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise WorkbookError(f"the proxy's API at {self.api} cannot be reached: "
                                f"{reason}.") from None
        return json.loads(raw) if raw.strip() else None

    def add_route(self, prefix: str, target: str) -> None:
        """Send every request under `prefix` to `target` (http://host:port)."""
        self._call("POST", prefix, {"target": target})

    def remove_route(self, prefix: str) -> None:
        """Stop routing `prefix`."""
        self._call("DELETE", prefix)

    def routes(self) -> dict[str, str]:
        """Every route the proxy holds: prefix -> target."""
        got = self._call("GET", "") or {}
        return {k: str(v.get("target", "")) for k, v in got.items() if isinstance(v, dict)}
