"""Shared fixtures: banks, real SQLite stores in temp folders, and a CLI runner."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workbook_helpers.bank import Bank, load_bank

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
# the domain sources live beside the checkout (read-only, never copied into the repo)
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
MINI_BANK = DATA / "mini_bank.yaml"


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank()


@pytest.fixture(scope="session")
def mini_bank() -> Bank:
    return load_bank(MINI_BANK)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private store folder; the environment points every command at it."""
    d = tmp_path / "data"
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(d))
    monkeypatch.delenv("WORKBOOK_DATABASE_URL", raising=False)
    monkeypatch.delenv("WORKBOOK_BANK", raising=False)
    return d


@pytest.fixture
def store(data_dir: Path) -> Iterator[object]:
    from workbook_helpers.store import Store

    s = Store.open()
    yield s
    s.close()


@pytest.fixture
def demo_store(store: object, bank: Bank) -> object:
    from workbook_helpers.demo import seed_demo

    seed_demo(store, bank, with_health_check=False)  # type: ignore[arg-type]
    return store


@dataclass
class Result:
    code: int
    out: str
    err: str


class FlakyStore:
    """A store whose answer writes fail while `down` is set (like a lost database server)."""

    def __init__(self, real: Any) -> None:
        self.real, self.down = real, True

    def record_answer(self, *a: Any, **k: Any) -> Any:
        from workbook_helpers.exceptions import StoreError

        if self.down:
            raise StoreError("cannot save an answer to the store (connection refused).")
        return self.real.record_answer(*a, **k)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def run_cli(*args: str) -> Result:
    """Run the CLI in-process (fast), capturing output and the exit code."""
    from workbook_helpers.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


def run_cli_process(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI as a real separate process (`python -m workbook_helpers`)."""
    proc = subprocess.run([sys.executable, "-m", "workbook_helpers", *args],
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=120)
    return Result(proc.returncode, proc.stdout, proc.stderr)


HEADER = "engagement,respondent,side,role,question_id,value,comment\n"


def write_csv(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


# ---- PostgreSQL -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_server():
    from workbook_helpers.store import throwaway

    server, reason = throwaway.start()
    if server is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    yield server
    if callable(server.stop):
        server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path, monkeypatch):
    """A fresh, empty store on each backend; the environment points at it."""
    monkeypatch.delenv("WORKBOOK_BANK", raising=False)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        monkeypatch.setenv("WORKBOOK_DATABASE_URL", url)
        yield url
        return
    server = request.getfixturevalue("pg_server")
    name = server.create_db()
    url = server.base_url + name
    monkeypatch.setenv("WORKBOOK_DATABASE_URL", url)
    yield url
    server.drop_db(name)
