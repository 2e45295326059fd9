"""Which database errors are worth retrying, and the backoff between tries."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

T = TypeVar("T")

TRANSIENT_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
TRANSIENT_WORDS = ("database is locked", "database is busy", "could not serialize",
                   "deadlock detected")


def is_transient(exc: BaseException) -> bool:
    """True for lock contention and serialization failures that a retry can fix."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in TRANSIENT_SQLSTATES:
        return True
    text = str(orig or exc).lower()
    return isinstance(exc, OperationalError) and any(w in text for w in TRANSIENT_WORDS)


def with_retries(fn: Callable[[], T], on_retry: Callable[[int], None] | None = None,
                 attempts: int = 8, base: float = 0.02, cap: float = 1.0) -> T:
    """Run `fn`, retrying transient database errors with jittered exponential backoff."""
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except DBAPIError as exc:
            if attempt == attempts or not is_transient(exc):
                raise
            if on_retry is not None:
                on_retry(attempt)
            time.sleep(min(cap, base * 2 ** (attempt - 1)) * (0.5 + random.random()))
    raise AssertionError("unreachable")
