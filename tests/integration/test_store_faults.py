"""Faults: a read-only store (file or folder), a full disk, a PostgreSQL server that is down.
Each gives a clear message (no traceback), exit code 1, and loses nothing."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import HEADER, run_cli, run_cli_process, seed_demo_in, write_csv


def _answer_rows(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT count(*) FROM answers").fetchone()[0])
    finally:
        con.close()


def _checkpoint(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


@contextmanager
def _immutable(*paths: Path) -> Iterator[None]:
    """Make files (or folders) truly read-only for this user, and undo it afterwards.

    Root ignores file modes, so as root the paths get the immutable attribute (`chattr +i`),
    which stops root too; anyone else cannot write a 0444 file or into a 0555 folder. Either
    way the CLI runs as this same user, from this same virtual environment, wherever the
    checkout lives (a 0700 folder included).
    """
    done: list[Path] = []
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in paths}
    try:
        for p in paths:
            if os.geteuid() == 0:
                res = subprocess.run(["chattr", "+i", str(p)], capture_output=True, text=True)
                if res.returncode != 0:
                    pytest.skip(f"running as root and chattr +i is not permitted here: "
                                f"{res.stderr.strip()}")
            else:
                p.chmod(0o555 if p.is_dir() else 0o444)
            done.append(p)
        yield
    finally:
        for p in reversed(done):
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(p)], check=True)
            else:
                p.chmod(modes[p])


def test_read_only_store_gives_a_clear_message(data_dir, tmp_path, bank):
    seed_demo_in(data_dir)
    db = data_dir / "workbook.db"
    _checkpoint(db)
    before = _answer_rows(db)
    csv = write_csv(tmp_path / "a.csv", ["demo,ingrid-halvorsen,host,CEO,pri-rank,1,x"])
    # the store file cannot be written; its folder stays writable for SQLite's side files
    # (the journal and shared memory), as on a shared drive where only the file is protected
    with _immutable(db):
        res = run_cli_process("import", str(csv))
        assert res.code == 1, res.err
        assert "read-only" in res.err
        assert "Traceback" not in res.err
        res = run_cli_process("score", "demo")  # reading still works
        assert res.code == 0, res.err
    assert _answer_rows(db) == before


def test_read_only_store_folder_gives_a_clear_message(data_dir, tmp_path, bank):
    seed_demo_in(data_dir)
    db = data_dir / "workbook.db"
    _checkpoint(db)
    before = _answer_rows(db)
    csv = write_csv(tmp_path / "a.csv", ["demo,ingrid-halvorsen,host,CEO,pri-rank,1,x"])
    with _immutable(db, data_dir):
        res = run_cli_process("import", str(csv))
        assert res.code == 1, res.err
        assert "folder cannot be written" in res.err
        assert "server is running" not in res.err  # not a PostgreSQL hint for a file
        assert "Traceback" not in res.err
    assert _answer_rows(db) == before


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_disk_gives_a_clear_message_and_keeps_the_store(data_dir, tmp_path, bank):
    assert run_cli("demo").code == 0
    db = data_dir / "workbook.db"
    _checkpoint(db)
    before = _answer_rows(db)
    # the demo's latest round is its health check: these rows name the baseline round
    rows = [f"demo,new-{i:03d},partner,Analyst,{q.id},3,{'x' * 200},baseline"
            for i in range(40) for q in bank.questions]
    csv = write_csv(tmp_path / "big.csv", rows, header=HEADER.rstrip("\n") + ",round\n")
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
