"""The reports folder: where `workbook report` writes by default, and how the portfolio and
the report server find the files in it.

A report file is named ENGAGEMENT[.ROUND].EXTENSION, the extension one of the registered
exporters' (`exporters.EXPORTERS`); ids are slugs, so they hold no dots. Cheap to import.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .exporters import EXPORTERS

__all__ = ["Report", "latest_reports", "report_file", "report_name", "reports_dir"]

_SLUG = r"[a-z0-9][a-z0-9-]{0,63}"


@dataclass(frozen=True)
class Report:
    """The newest report of an engagement: its file stem, the formats written, and when."""

    engagement: str
    stem: str
    formats: tuple[str, ...]
    written: datetime


def reports_dir() -> Path:
    """Where the portfolio looks for reports: `reports/` beside the store's data folder (for
    the default `./data`, the `./reports` that `workbook report` writes to by default)."""
    from ..config import settings

    return settings().reports_dir


def report_name(name: str) -> re.Match[str] | None:
    """The parts of a report file's name (`engagement`, `round`, `ext`), or None when
    `workbook report` does not write such a name."""
    extensions = "|".join(re.escape(e.extension) for e in EXPORTERS.values())
    return re.fullmatch(rf"(?P<engagement>{_SLUG})(?:\.(?P<round>{_SLUG}))?"
                        rf"\.(?P<ext>{extensions})", name)


def latest_reports(folder: Path | None = None) -> dict[str, Report]:
    """The newest report of each engagement found in `folder` (by the files' modification
    time; a report written for a round, ENGAGEMENT.ROUND.html, counts as the engagement's)."""
    folder = reports_dir() if folder is None else folder
    stems: dict[tuple[str, str], tuple[float, list[str]]] = {}
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            m = report_name(entry.name)
            if m is None or not entry.is_file():
                continue
            key = (m["engagement"], entry.name[: -len(m["ext"]) - 1])
            mtime, kinds = stems.get(key, (0.0, []))
            stems[key] = (max(mtime, entry.stat().st_mtime), [*kinds, m["ext"]])
    order = [e.extension for e in EXPORTERS.values()]
    out: dict[str, Report] = {}
    for (eng, stem), (mtime, kinds) in sorted(stems.items(), key=lambda kv: kv[1][0]):
        out[eng] = Report(eng, stem, tuple(k for k in order if k in kinds),
                          datetime.fromtimestamp(mtime, UTC))
    return out


def report_file(name: str, folder: Path | None = None) -> Path | None:
    """The report file a request names, or None: only names `workbook report` writes, only
    files that really sit in the reports folder (no path tricks, no links out of it)."""
    if report_name(name) is None:
        return None
    root = (reports_dir() if folder is None else folder).resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        return None
    return path
