"""Presentation options of a report (cheap to import: no pandas, no store)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..exceptions import BadInputError, Problem

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


@dataclass(frozen=True)
class ReportOptions:
    """How a report is presented: names or roles, and the consulting firm's brand."""

    anonymous: bool = False
    organisation: str = ""
    logo_path: str = ""


def check_logo(logo_path: str) -> str:
    """The logo path resolved to an existing PNG, JPEG or SVG file ('' when none is wanted)."""
    if not logo_path:
        return ""
    p = Path(logo_path).expanduser()
    if not p.is_file():
        raise BadInputError(Problem("the logo file does not exist.", file=str(p),
                                    fix="give the path of a PNG, JPEG or SVG file."))
    if p.suffix.lower() not in LOGO_SUFFIXES:
        raise BadInputError(Problem("the logo is not a PNG, JPEG or SVG file.", file=str(p),
                                    fix="convert it to PNG or SVG."))
    return str(p.resolve())
