"""Where the store and the question bank live, read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_ENV = "WORKBOOK_DATABASE_URL"
DATA_DIR_ENV = "WORKBOOK_DATA_DIR"
BANK_ENV = "WORKBOOK_BANK"

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder of the embedded store (`$WORKBOOK_DATA_DIR`, default `./data`)."""
    return Path(os.environ.get(DATA_DIR_ENV) or "data")


def database_url(explicit: str | None = None) -> str:
    """The SQLAlchemy URL of the store: explicit, else the environment, else SQLite."""
    if explicit:
        return explicit
    env = os.environ.get(DATABASE_URL_ENV)
    if env:
        return env
    return f"sqlite:///{(data_dir() / 'workbook.db').resolve()}"


def repo_root() -> Path | None:
    """The source checkout holding this package, when run from one (editable install)."""
    for parent in PACKAGE_DIR.parents:
        if (parent / "pyproject.toml").exists() and (parent / "templates").is_dir():
            return parent
    return None


def default_bank_path() -> Path:
    """The bank file in use: `$WORKBOOK_BANK`, else the shipped `templates/question_bank.yaml`."""
    env = os.environ.get(BANK_ENV)
    if env:
        return Path(env)
    shipped = PACKAGE_DIR / "data" / "question_bank.yaml"
    root = repo_root()
    if root is not None and (root / "templates" / "question_bank.yaml").exists():
        return root / "templates" / "question_bank.yaml"
    return shipped
