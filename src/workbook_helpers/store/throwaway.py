"""A throwaway PostgreSQL cluster on 127.0.0.1, for the store tests, `make bench` and a
rehearsal of the load check (`store.loadcheck`) before a workshop.

`WORKBOOK_TEST_POSTGRES_URL` (a server URL ending in '/') wins; otherwise, if Debian's
postgresql binaries are installed, a cluster is created in a temp folder (as the `postgres`
user when running as root) and removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

TEST_URL_ENV = "WORKBOOK_TEST_POSTGRES_URL"


@dataclass
class PgServer:
    """A running server: its URL (ending in '/') and how to stop it (None: not ours)."""

    base_url: str                               # postgresql+psycopg://user@127.0.0.1:PORT/
    stop: Callable[[], None] | None = None

    def conninfo(self, db: str = "postgres") -> str:
        """A libpq connection string for database `db`."""
        return self.base_url.replace("postgresql+psycopg://", "postgresql://") + db

    def create_db(self) -> str:
        """Create a fresh, uniquely named database and return its name."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.conninfo(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_db(self, name: str) -> None:
        """Drop a database made by `create_db`."""
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _reachable(conninfo: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(conninfo, connect_timeout=3):
            return True
    except Exception:
        return False


def start() -> tuple[PgServer | None, str]:
    """A running server and '' , or None and the reason none could be had.

    `WORKBOOK_TEST_POSTGRES_URL` is read here, not in `config`: it only ever points tests and
    benchmarks at a server, never the product at a store.
    """
    env = os.environ.get(TEST_URL_ENV)
    if env:
        server = PgServer(env if env.endswith("/") else env + "/")
        if _reachable(server.conninfo()):
            return server, ""
        return None, f"{TEST_URL_ENV}={env} is not reachable"
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        return None, "no PostgreSQL server binaries (apt-get install postgresql)"
    bindir = os.path.dirname(bins[-1])
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        return None, "running as root without runuser to start PostgreSQL as 'postgres'"
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    tmp = tempfile.mkdtemp(prefix="wb-pg-")
    data = os.path.join(tmp, "data")
    if as_root:
        shutil.chown(tmp, "postgres", "postgres")
    port = _free_port()
    user = "postgres" if as_root else os.environ.get("USER", "postgres")
    try:
        subprocess.run([*prefix, f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", user,
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120)
        subprocess.run([*prefix, f"{bindir}/pg_ctl", "-D", data, "-l", f"{tmp}/log", "-w",
                        "-o", f"-h 127.0.0.1 -p {port} -k {tmp} -F -c max_connections=200",
                        "start"], check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        out = getattr(exc, "stderr", b"") or b""
        return None, f"could not start PostgreSQL: {out.decode(errors='replace')[-300:]}"

    def stop() -> None:
        subprocess.run([*prefix, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)

    server = PgServer(f"postgresql+psycopg://{user}@127.0.0.1:{port}/", stop)
    for _ in range(50):
        if _reachable(server.conninfo()):
            return server, ""
        time.sleep(0.2)
    stop()
    return None, "PostgreSQL started but does not answer"
