"""Where an app's parameters come from: the Voila URL query string, else the notebook cell.

Under Voila the kernel learns the page's query string from the environment (`QUERY_STRING`);
with pre-heated kernels it first has to wait for the request (`voila.utils.get_query_string`).
Under nbval, papermill or JupyterLab there is no query string and the `parameters` cell rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs

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
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import get_query_string

        return get_query_string() or ""
    return os.environ.get("QUERY_STRING", "")


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
