"""`workbook serve` stops cleanly: on SIGTERM, SIGINT and SIGHUP, Voila and every kernel are
gone, the port is free and the temporary app folder is removed. Its log is for facilitators:
who opened which page, never a link token, no misleading warnings."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import run_cli_process
from workbook_helpers.voila_app import describe_request, redact


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_is_free(port: int) -> bool:
    """Whether a new server can listen on the port (SO_REUSEADDR, as Voila and any server
    sets it: connections of the stopped server may linger in TIME_WAIT)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
    return True


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _gone(p: psutil.Process) -> bool:
    try:
        return p.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
                         ids=["SIGTERM", "SIGINT", "SIGHUP"])
def test_serve_stops_voila_and_every_kernel(sig, tmp_path):
    data = tmp_path / "data"
    assert run_cli_process("demo", env={"WORKBOOK_DATA_DIR": str(data)}).code == 0
    # a short private TMPDIR: everything serve creates lands there (kernels' IPC sockets too)
    tmp = Path(tempfile.mkdtemp(prefix="wbs-", dir="/tmp"))
    port = _free_port()
    env = {**os.environ, "WORKBOOK_DATA_DIR": str(data), "TMPDIR": str(tmp)}
    env.pop("WORKBOOK_DATABASE_URL", None)
    out, err = tmp_path / "out.log", tmp_path / "err.log"
    family: list[psutil.Process] = []
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "workbook_helpers", "serve",
                                 "--no-browser", "--port", str(port)], env=env, stdout=o,
                                stderr=e, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not _answers(port):
            assert proc.poll() is None, err.read_text()
            time.sleep(0.3)
        assert _answers(port), err.read_text()
        # wait for the pre-heated kernels, so that the stop has kernels to stop
        while time.monotonic() < deadline:
            family = psutil.Process(proc.pid).children(recursive=True)
            if sum("ipykernel" in " ".join(p.cmdline()) for p in family
                   if not _gone(p)) >= 2:
                break
            time.sleep(0.5)
        assert any("ipykernel" in " ".join(p.cmdline()) for p in family), "no kernel started"
        assert any("voila" in " ".join(p.cmdline()) for p in family)
        if sig == signal.SIGTERM:  # a respondent opens their link: logged by name only
            link = next(line.split(": ", 1)[1] for line in out.read_text().splitlines()
                        if "Amara Osei" in line)
            urllib.request.urlopen(link, timeout=60).read()
            token = link.split("t=", 1)[1]
        family = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == 0, err.read_text()
        leftover = [p for p in family if not _gone(p)]
        deadline = time.monotonic() + 10
        while leftover and time.monotonic() < deadline:
            time.sleep(0.2)
            leftover = [p for p in family if not _gone(p)]
        assert not leftover, [p.cmdline() for p in leftover]
        assert _port_is_free(port)
        assert list(tmp.iterdir()) == [], list(tmp.rglob("*"))
        log = err.read_text()
        assert "Stopped." in log
        for noise in ("is not trusted", "without encryption", "Traceback"):
            assert noise not in log, log
        if sig == signal.SIGTERM:
            assert "Amara Osei (host, CFO, engagement demo) opened the questionnaire" in log
            assert token not in log
    finally:
        for p in [psutil.Process(proc.pid)] if proc.poll() is None else []:
            family += p.children(recursive=True)
            p.kill()
        for p in family:
            if not _gone(p):
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def test_serve_refuses_a_port_in_use(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = run_cli_process("serve", "--no-browser", "--port", str(port),
                              env={"WORKBOOK_DATA_DIR": str(tmp_path / "data")})
    assert res.code == 1
    assert f"port {port} is already in use" in res.err


def test_log_lines_never_carry_tokens_or_keys():
    uri = "/voila/render/dashboard.ipynb?engagement=demo&key=SECRETKEY"
    assert "SECRETKEY" not in redact(uri) and "engagement=demo" in redact(uri)
    line = describe_request("GET", uri, 200, "10.0.0.7", verbose=False)
    assert line == "the dashboard was opened (from 10.0.0.7)"
    assert describe_request("GET", "/static/x.css", 200, "1.2.3.4", verbose=False) is None
    verbose = describe_request("GET", "/x?t=TOKEN123", 404, "1.2.3.4", verbose=True)
    assert verbose is not None and "TOKEN123" not in verbose
    assert "error 500" in str(describe_request("GET", "/x?t=TOKEN123", 500, "ip", False))
    assert "TOKEN123" not in str(describe_request("GET", "/x?t=TOKEN123", 500, "ip", False))
