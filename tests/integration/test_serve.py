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

from tests.conftest import run_cli_process, seed_demo_in
from workbook_helpers.server.handlers import describe_request, redact


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
    seed_demo_in(data)
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


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    """Status, body and headers of a GET (an HTTP error status is returned, not raised)."""
    import urllib.error

    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode("utf-8"), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)


@pytest.mark.slow
def test_the_address_serve_prints_is_a_landing_page(tmp_path, monkeypatch):
    """Issue 19: `GET /` answered 500 (TemplateNotFound 'workbook.css'). It is a landing page:
    what the server is, where facilitators and respondents go; with a facilitator key set,
    nothing of an engagement shows without the key. No Voila page answers 500."""
    from tests.browser.conftest import voila_on
    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.demo.baseline import HOST_ORG, PARTNER_ORG
    from workbook_helpers.store import Store

    data = tmp_path / "da ta"
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    seed_demo(store, load_bank(), with_health_check=False)
    store.create_engagement("hostile", "<script>alert(1)</script> Host", "Globex & Co",
                            title="<b>Deal</b> & 'more'")
    store.close()
    key = "landing-test-key-0123456789"
    monkeypatch.setenv("WORKBOOK_FACILITATOR_KEY", key)
    with voila_on(data, "127.0.0.1", tmp_path / "apps", tmp_path / "voila.log",
                  settle=0, other_pages=0) as (port, spec, log, _proc):
        assert spec.facilitator_key == key
        base = f"http://127.0.0.1:{port}"
        for url in (f"{base}/", f"{base}/?key=not-the-key"):
            status, body, headers = _get(url)
            assert status == 200, body[:2000]
            assert "Alliance Workbook" in body and "workshop" in body.lower()
            assert "personal link" in body and "workbook serve" in body
            for secret in (HOST_ORG, PARTNER_ORG, "demo", "hostile", "Globex", key,
                           "engagement=", "setup.ipynb", "dashboard.ipynb",
                           "portfolio.ipynb"):
                assert secret not in body, f"{secret!r} shown without the key"
            assert "no-store" in headers.get("Cache-Control", "")
        status, body, _ = _get(f"{base}/?key={key}")
        assert status == 200
        assert f"voila/render/dashboard.ipynb?engagement=demo&amp;key={key}" in body
        assert f"voila/render/setup.ipynb?engagement=demo&amp;key={key}" in body
        assert f"voila/render/portfolio.ipynb?key={key}" in body
        assert HOST_ORG in body and "&lt;b&gt;Deal&lt;/b&gt; &amp; " in body
        assert "<script>alert" not in body and "<b>Deal" not in body
        # Voila's index shows the landing page too; its error pages render with the
        # workbook template (their page.html included a missing file), never a 500
        for index in ("/voila/tree", "/voila/tree/", "/voila/tree/questionnaire.ipynb"):
            status, body, _ = _get(base + index)
            assert status == 200 and "personal link" in body, body[:2000]
            assert "questionnaire.ipynb" not in body and HOST_ORG not in body
        for missing in ("/voila/render/no-such.ipynb", "/voila/render/a/b.ipynb"):
            status, body, _ = _get(base + missing)
            assert status == 404, (missing, status, body[:2000])
            assert "Alliance Workbook" in body    # Voila's error page, in the workbook's look
        assert _get(f"{base}/no-such-page")[0] == 404   # outside Voila: Tornado's plain 404
        text = log.read_text()
        assert "Traceback" not in text and "error 500" not in text, text[-3000:]
        assert key not in text


def test_landing_page_shows_engagements_only_to_facilitators():
    """The landing page's HTML: a local-only server (no key) lists engagements with links
    without a key; with a key, only the right key shows them, and every text is escaped."""
    from workbook_helpers.server.pages import EngagementLinks, key_ok, page_link, render_landing

    assert key_ok("", "") and key_ok("anything", "")
    assert key_ok("k3y", "k3y") and not key_ok("", "k3y") and not key_ok("k3Y", "k3y")
    hostile = EngagementLinks("acme", "<img src=x onerror=alert(1)>", "A & B", "C\"D", 1,
                              page_link("setup", "acme"), page_link("dashboard", "acme"))
    local = render_landing(facilitator=True, has_key=False, wrong_key=False,
                           engagements=[hostile])
    assert 'href="voila/render/dashboard.ipynb?engagement=acme"' in local
    assert 'href="voila/render/portfolio.ipynb"' in local and "1 person" in local
    assert "<img" not in local and "&lt;img src=x" in local and "A &amp; B" in local
    assert "C&quot;D" in local and "key=" not in local
    refused = render_landing(facilitator=False, has_key=True, wrong_key=True,
                             engagements=[hostile])
    assert "acme" not in refused and "voila/render" not in refused
    assert "not this server's facilitator key" in refused.replace("&#x27;", "'")
    empty = render_landing(facilitator=True, has_key=True, wrong_key=False, key="k3y")
    assert "No engagement yet" in empty and 'href="voila/render/setup.ipynb?key=k3y"' in empty
