"""Who may see what: respondent links carry an unguessable token, facilitators a key.

A respondent link (`?t=TOKEN`) opens exactly one respondent's questionnaire; naming another
engagement or respondent beside the token is refused. Facilitator pages (setup, dashboard, or
opening any respondent by id) need `?key=...` when the server was started with a facilitator
key (`WORKBOOK_FACILITATOR_KEY`, set by `workbook serve` whenever it binds beyond 127.0.0.1).
"""

from __future__ import annotations

import hmac

from ..config import FACILITATOR_KEY_ENV, settings
from ..exceptions import AccessDeniedError, NotFoundError
from ..store import Store
from ..store.store import Respondent
from .params import AppParams

__all__ = ["BAD_LINK", "FACILITATOR_KEY_ENV", "facilitator_key", "is_facilitator",
           "key_matches", "require_facilitator", "resolve_respondent"]
BAD_LINK = ("This link does not open a questionnaire. Please use the personal link your "
            "facilitator sent you, or ask them for a new one.")


def facilitator_key() -> str:
    """The key facilitator pages require ('' when the server is local-only)."""
    return settings().facilitator_key


def key_matches(given: str, expected: str) -> bool:
    """Whether a request may see facilitator material: always when no key is set (local
    only), else only with the key (compared in constant time)."""
    if not expected:
        return True
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def is_facilitator(params: AppParams) -> bool:
    """Whether the page may show facilitator views (everything, when no key is configured)."""
    return not params.from_url or key_matches(params.key, facilitator_key())


def require_facilitator(params: AppParams) -> None:
    """Refuse facilitator pages to anyone without the key."""
    if not is_facilitator(params):
        raise AccessDeniedError("This page is for the workshop facilitator. Open it with the "
                                "facilitator link printed by 'workbook serve'.")


def resolve_respondent(store: Store, params: AppParams) -> Respondent:
    """The respondent a questionnaire page may show, or AccessDeniedError."""
    if params.token:
        who = store.respondent_by_token(params.token)
        if who is None:
            raise AccessDeniedError(BAD_LINK)
        if (params.engagement and params.engagement != who.engagement) or \
                (params.respondent and params.respondent != who.id):
            raise AccessDeniedError("This personal link belongs to someone else's questionnaire; "
                                    "it cannot open another engagement or respondent.")
        return who
    if params.from_url and facilitator_key() and not is_facilitator(params):
        raise AccessDeniedError(BAD_LINK)
    if params.from_url and not params.engagement:
        raise AccessDeniedError(BAD_LINK)
    engagement = params.engagement or "demo"
    if params.respondent:
        return store.respondent(engagement, params.respondent)
    people = store.respondents(engagement)
    if not people:
        raise NotFoundError(f"engagement '{engagement}' has no respondents yet.")
    return people[0]
