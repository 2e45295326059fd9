"""Where an app's parameters come from: the Voila URL query string, else the notebook cell.

Under Voila the kernel learns the page's query string from the environment (`QUERY_STRING`);
a pre-heated kernel first waits for its visitor: Voila hands the request's details over a
websocket (`/voila/query/<kernel id>`) once the kernel is given to a page. The wait is done
here with a small blocking websocket client rather than with `voila.utils`: importing the
`voila` package loads the whole Jupyter server (jsonschema compiles a grammar on import),
several CPU-seconds in every kernel of a room, for one message.
Under nbval, papermill or JupyterLab there is no query string and the `parameters` cell rules.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from urllib.parse import parse_qs

from ..config import DEFAULT_PORT

log = logging.getLogger(__name__)

TOKEN_KEYS = ("t", "token")


@dataclass(frozen=True)
class AppParams:
    """What a page was asked to show."""

    engagement: str = ""
    respondent: str = ""
    list_id: str = ""
    token: str = ""
    key: str = ""
    from_url: bool = False


def in_voila() -> bool:
    """Whether this kernel was started by Voila (pre-heated or not)."""
    return "VOILA_PREHEAT" in os.environ


def query_string() -> str:
    """The page's query string under Voila ('' elsewhere); waits for it in a pre-heated kernel."""
    if not in_voila():
        return ""
    if os.environ.get("VOILA_PREHEAT") == "True" and "QUERY_STRING" not in os.environ:
        os.environ.update(wait_for_visitor())
    return os.environ.get("QUERY_STRING", "")


def visitor_url(env: dict[str, str] | None = None) -> str:
    """Where a pre-heated kernel asks Voila for its visitor's request (from the variables
    Voila gives its kernels)."""
    e = os.environ if env is None else env
    base = e.get("VOILA_WS_BASE_URL") or e.get("VOILA_SERVER_URL") or "/"
    port = e.get("VOILA_APP_PORT", str(DEFAULT_PORT))
    return (f"{e.get('VOILA_WS_PROTOCOL', 'ws')}://{e.get('VOILA_APP_IP', '127.0.0.1')}:"
            f"{port}{base}voila/query/{e.get('VOILA_KERNEL_ID', '')}")


def wait_for_visitor(url: str | None = None) -> dict[str, str]:
    """Block until Voila gives this pre-heated kernel to a page; the request's details
    (`QUERY_STRING` and the like). Empty when Voila cannot be reached: the page then shows
    that the link is incomplete."""
    from websockets.sync.client import connect

    try:
        with connect(url or visitor_url(), open_timeout=30, max_size=2**20) as ws:
            info = json.loads(ws.recv())
    except (OSError, TimeoutError, ValueError) as exc:
        log.warning("could not learn the visitor's request from Voila: %s", exc)
        return {}
    except Exception as exc:  # websockets' own errors (closed, handshake refused)
        log.warning("could not learn the visitor's request from Voila: %s", exc)
        return {}
    return {str(k): str(v) for k, v in info.items()} if isinstance(info, dict) else {}


def parse(query: str) -> dict[str, str]:
    """The first value of every key of a query string (blank values kept)."""
    return {k: v[0].strip() for k, v in parse_qs(query, keep_blank_values=True).items() if v}


def resolve(engagement: str = "", respondent: str = "", list_id: str = "",
            query: str | None = None) -> AppParams:
    """The page's parameters: from the URL under Voila, else from the notebook's arguments."""
    if query is None:
        query = query_string()
    if query or in_voila():
        q = parse(query)
        token = next((q[k] for k in TOKEN_KEYS if q.get(k)), "")
        return AppParams(engagement=q.get("engagement", ""), respondent=q.get("respondent", ""),
                         list_id=q.get("list", ""), token=token, key=q.get("key", ""),
                         from_url=True)
    return AppParams(engagement=engagement or "", respondent=respondent or "",
                     list_id=list_id or "")
