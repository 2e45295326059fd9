"""Where the report notebook and its nbconvert template live (package data in a wheel, the
checkout in an editable install; see `config.data_root`)."""

from __future__ import annotations

from pathlib import Path

from ..config import resource


def notebook_path() -> Path:
    """The report notebook, `notebooks/report.ipynb`."""
    return resource("notebooks", "report.ipynb")


def templates_dir() -> Path:
    """The folder holding the `report` nbconvert template (`templates/`)."""
    return resource("templates", "report").parent
