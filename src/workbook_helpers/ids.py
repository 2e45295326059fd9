"""Slug ids for engagements and respondents (they end up in file names and URLs)."""

from __future__ import annotations

import re

from .domain import SLUG_PATTERN
from .exceptions import InvalidIdError, Problem

__all__ = ["SLUG_PATTERN", "check_slug", "is_slug", "slugify"]
_SLUG = re.compile(SLUG_PATTERN)


def is_slug(value: object) -> bool:
    """True when `value` is a valid engagement/respondent id."""
    return isinstance(value, str) and _SLUG.fullmatch(value) is not None


def check_slug(value: object, what: str = "id", **where: object) -> str:
    """Return `value` if it is a slug, else raise an error that says how to fix it."""
    if is_slug(value):
        return str(value)
    shown = repr(value) if value not in (None, "") else "an empty value"
    raise InvalidIdError(
        Problem(
            f"{shown} is not a valid {what}.",
            fix="use 1-64 characters: lowercase letters, digits and hyphens, "
            "starting with a letter or digit (e.g. acme-globex-2026).",
            **where,  # type: ignore[arg-type]
        )
    )


def slugify(text: str) -> str:
    """Turn a display name into a slug suggestion (e.g. 'Ana Lopez' -> 'ana-lopez')."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (slug or "x")[:64].rstrip("-") or "x"
