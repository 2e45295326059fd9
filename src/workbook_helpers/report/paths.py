"""Where the report notebook and its nbconvert template live."""

from __future__ import annotations

from pathlib import Path

from ..config import PACKAGE_DIR, repo_root
from ..exceptions import WorkbookError


def _find(*parts: str) -> Path:
    root = repo_root()
    candidates = ([root.joinpath(*parts)] if root else []) + [PACKAGE_DIR.joinpath("data",
                                                                                  *parts)]
    for c in candidates:
        if c.exists():
            return c
    raise WorkbookError(f"cannot find {'/'.join(parts)} (looked in "
                        f"{', '.join(str(c) for c in candidates)}).")


def notebook_path() -> Path:
    """The report notebook, `notebooks/report.ipynb`."""
    return _find("notebooks", "report.ipynb")


def templates_dir() -> Path:
    """The folder holding the `report` nbconvert template (`templates/`)."""
    return _find("templates", "report").parent
