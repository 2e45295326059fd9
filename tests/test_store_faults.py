"""Faults: a read-only store, a full disk, a PostgreSQL server that is down. Each gives a clear
message (no traceback), exit code 1, and loses nothing."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import run_cli, run_cli_process, write_csv


def _answer_rows(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT count(*) FROM answers").fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def shared_dir():
    """A folder another (unprivileged) user can read, outside root's private temp dirs."""
    d = Path(tempfile.mkdtemp(prefix="wb-fault-"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def _as_unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only file is writable by root")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_read_only_store_gives_a_clear_message(shared_dir, monkeypatch, bank):
    data = shared_dir / "data"
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(data))
    monkeypatch.delenv("WORKBOOK_DATABASE_URL", raising=False)
    assert run_cli_process("demo").code == 0
    db = data / "workbook.db"
    before = _answer_rows(db)
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    data.chmod(0o777)  # the folder stays writable (WAL side files); the store file is not
    csv = write_csv(shared_dir / "a.csv", ["demo,ingrid-halvorsen,host,CEO,ctl-governance,1,x"])
    csv.chmod(0o644)
    cmd = [*_as_unprivileged(), sys.executable, "-m", "workbook_helpers", "import", str(csv)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(shared_dir)})
    assert proc.returncode == 1, proc.stderr
    assert "read-only" in proc.stderr
    assert "Traceback" not in proc.stderr
    # reading still works for everyone
    cmd = [*_as_unprivileged(), sys.executable, "-m", "workbook_helpers", "score", "demo"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(shared_dir)})
    assert proc.returncode == 0, proc.stderr
    assert _answer_rows(db) == before


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_disk_gives_a_clear_message_and_keeps_the_store(data_dir, tmp_path, bank):
    assert run_cli("demo").code == 0
    db = data_dir / "workbook.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = _answer_rows(db)
    rows = [f"demo,new-{i:03d},partner,Analyst,{q.id},3,{'x' * 200}"
            for i in range(40) for q in bank.questions]
    csv = write_csv(tmp_path / "big.csv", rows)
    proc = subprocess.run([sys.executable, "-m", "workbook_helpers", "import", str(csv)],
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=_limit_file_size(db.stat().st_size + 64 * 1024))
    assert proc.returncode == 1, proc.stderr
    assert "disk is full" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert _answer_rows(db) == before
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_postgres_server_down_gives_a_clear_message(monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://nobody:secret@127.0.0.1:{port}/workbook"
    res = run_cli_process("score", "demo", env={"WORKBOOK_DATABASE_URL": url})
    assert res.code == 1
    assert "cannot be reached" in res.err
    assert "secret" not in res.err  # the password is never printed
    assert "Traceback" not in res.err


def test_unparseable_url_is_explained(monkeypatch):
    res = run_cli_process("engagement", "list", env={"WORKBOOK_DATABASE_URL": "not a url"})
    assert res.code == 1 and "not a database URL" in res.err
