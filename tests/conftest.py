"""Shared fixtures: banks, real SQLite stores in temp folders, and a CLI runner; the lanes.

Every fixture here is available to tests/unit, tests/integration, tests/browser and to test
files directly in tests/. The lanes (docs/decisions.md, "Tests in half the time"): a test is
in the serial lane (`-m serial`, one test at a time, beside the parallel lane) when it lives in
tests/browser/, is marked `serial`, or runs on the PostgreSQL backend; everything else is in
the parallel lane (`-m "not serial"`, pytest-xdist workers).

Stores: an empty SQLite store migrated with Alembic once per session (per xdist worker,
`store_template`) is copied into every store a test opens in-process (SQLite's backup API,
page for page), instead of migrating each one again. A store with any table, an older
revision, PostgreSQL and CLI subprocesses still run the real migrations. Set
WORKBOOK_TEST_REAL_MIGRATIONS=1 (or mark a test `real_migrations`) to migrate every store.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workbook_helpers.bank import Bank, load_bank
from workbook_helpers.store import migrate

# the real Alembic upgrade, kept before any test replaces it (see _stores_from_template)
REAL_UPGRADE = migrate.upgrade

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


# ---- lanes ----------------------------------------------------------------------------------
# files that take longest (building and installing the wheel into a fresh venv): run first
LONG_POLES = ("test_wheel.py",)
# The serial tests run in two serial lanes side by side (each one test at a time, one Voila
# or one PostgreSQL cluster per lane): `serial2` marks the second lane's, the first runs the
# rest of `serial`. Split by file, balanced by measured time (docs/decisions.md, "Tests in
# half the time"): the second lane has the browser files on the shared demo server
# (`server`), the portfolio's, and every PostgreSQL test (one throwaway cluster per lane);
# the first the room's, phone, Lab and mail servers and LibreOffice.
SERIAL_LANE_2 = ("test_apps_browser.py", "test_dashboard_lang_browser.py",
                 "test_lang_browser.py", "test_rounds_browser.py",
                 "test_portfolio_browser.py")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "serial2: the second serial lane (set automatically: "
                            "PostgreSQL tests and the files in SERIAL_LANE_2)")


@pytest.hookimpl(tryfirst=True)  # before `-m serial` / `-m "not serial"` select
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests, tests marked `serial` and PostgreSQL tests go to a serial lane (the
    second, `serial2`, for PostgreSQL and the files in SERIAL_LANE_2). Files
    are ordered longest first (LONG_POLES, then files with a test marked `slow`), so that
    `--dist loadfile --no-loadscope-reorder` starts them on the workers first and the short
    ones fill the end."""
    browser_dir = Path(__file__).resolve().parent / "browser"
    for item in items:
        path = Path(str(item.path)).resolve()
        if browser_dir in path.parents:
            item.add_marker(pytest.mark.browser)
        postgres = "pg_server" in getattr(item, "fixturenames", ()) or (
            getattr(getattr(item, "callspec", None), "params", {}).get("store_url")
            == "postgres")
        if postgres:
            item.add_marker(pytest.mark.postgres)
        if item.get_closest_marker("browser") or postgres:
            item.add_marker(pytest.mark.serial)
        if postgres or (item.get_closest_marker("serial") and
                        item.path.name in SERIAL_LANE_2):
            item.add_marker(pytest.mark.serial2)
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}

    def rank(item: pytest.Item) -> int:
        return 0 if item.path.name in LONG_POLES else 1 if item.path in slow_files else 2

    items.sort(key=rank)  # stable: collection order inside each rank


# ---- stores -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite store at the newest schema, migrated for real once per session (under
    xdist: once per worker, in that worker's own temp folder). Only ever read."""
    from workbook_helpers.store import Store

    path = tmp_path_factory.mktemp("store-template") / "workbook.db"
    engine_store = Store.open(f"sqlite:///{path}", upgrade=False)
    try:
        REAL_UPGRADE(engine_store.engine)
        assert migrate.current_revision(engine_store.engine) == migrate.head_revision()
    finally:
        engine_store.close()
    return path


def copy_template(template: Path, raw: sqlite3.Connection) -> bool:
    """Copy the template into the SQLite connection `raw` when its database is empty (SQLite's
    backup API: every page, so the schema, its indexes and the Alembic revision are exactly
    the template's). False, copying nothing, when the database already has a table."""
    if raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        return False
    source = sqlite3.connect(template)
    try:
        source.backup(raw)
    finally:
        source.close()
    return True


@pytest.fixture(autouse=True)
def _stores_from_template(request: pytest.FixtureRequest,
                          monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every empty SQLite store a test opens in-process becomes a copy of `store_template`
    (a store with tables or PostgreSQL goes through the real migrations). Yields the URLs of
    the stores that were copied."""
    copied: list[str] = []
    if os.environ.get("WORKBOOK_TEST_REAL_MIGRATIONS") == "1" or \
            request.node.get_closest_marker("real_migrations"):
        yield copied
        return
    template: Path = request.getfixturevalue("store_template")

    def upgrade(engine: Any, revision: str = "head") -> None:
        if revision == "head" and engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                if raw is not None and copy_template(template, raw):
                    copied.append(str(engine.url))
                    return
        REAL_UPGRADE(engine, revision)

    monkeypatch.setattr(migrate, "upgrade", upgrade)
    yield copied


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
    """A fresh store in `data_dir` (a copy of `store_template`)."""
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


def seed_demo_in(data: Path) -> None:
    """What `workbook demo` writes, in-process (no interpreter to start): the demo engagement
    with its health-check round, in the SQLite store of the folder `data`."""
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.store import Store

    data.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    try:
        seed_demo(store, load_bank())
    finally:
        store.close()


def run_cli_process(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI as a real separate process (`python -m workbook_helpers`). The timeout
    only guards against a hang: on a machine busy with other work (or with every lane
    running at once) a papermill report can take minutes."""
    proc = subprocess.run([sys.executable, "-m", "workbook_helpers", *args],
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=600)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def yaml_load(text: str) -> Any:
    """YAML data, parsed like the product parses a bank (libyaml's safe loader where there)."""
    import yaml

    from workbook_helpers.bank.load import FastSafeLoader

    return yaml.load(text, Loader=FastSafeLoader)


def yaml_dump(data: Any, **options: Any) -> str:
    """YAML text of `data` (libyaml's safe dumper where there, else PyYAML's own)."""
    import yaml

    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), **options)


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
