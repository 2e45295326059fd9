"""Personal links: the questionnaire URL of a respondent and the facilitator's pages (setup,
dashboard, portfolio)."""

from __future__ import annotations

import os
from urllib.parse import urlencode

from ..config import DEFAULT_PORT, PUBLIC_URL_ENV, settings

__all__ = ["DEFAULT_BASE", "PUBLIC_URL_ENV", "base_url", "facilitator_link", "respondent_link"]
DEFAULT_BASE = f"http://127.0.0.1:{DEFAULT_PORT}"


def base_url() -> str:
    """Where respondents reach the server: $WORKBOOK_PUBLIC_URL, else the Voila request host."""
    env = settings().public_url
    if env:
        return env
    host, port = os.environ.get("SERVER_NAME"), os.environ.get("SERVER_PORT")
    if host:
        return f"http://{host}:{port}" if port else f"http://{host}"
    return DEFAULT_BASE


def respondent_link(token: str | None, base: str | None = None) -> str:
    """The personal questionnaire link of a respondent token."""
    return f"{base or base_url()}/voila/render/questionnaire.ipynb?{urlencode({'t': token or ''})}"


def facilitator_link(page: str, engagement: str = "", key: str = "",
                     base: str | None = None) -> str:
    """A facilitator page (setup, dashboard or portfolio), with the facilitator key when one
    is set."""
    query = {k: v for k, v in (("engagement", engagement), ("key", key)) if v}
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{base or base_url()}/voila/render/{page}.ipynb{suffix}"
