"""Past one machine: two `workbook serve` workers over one PostgreSQL store behind
configurable-http-proxy (JupyterHub's proxy, from the npm registry), all real processes on
127.0.0.1. Each worker serves one engagement under its prefix and keeps its route in the
proxy; respondents of both engagements answer through the proxy and their answers land;
stopping one worker removes its route and leaves the other engagement answering."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, Profile, _free_port, forget, shoot, wait_until

CHP_VERSION = "4.6.3"
TOKEN = "proxy-test-token"


@pytest.fixture(scope="session")
def chp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """configurable-http-proxy installed from the npm registry into a private folder."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Node.js and npm are needed for the proxy test in CI")
        pytest.skip("Node.js and npm are not installed")
    prefix = tmp_path_factory.mktemp("chp")
    done = subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit",
                           "--no-fund", f"configurable-http-proxy@{CHP_VERSION}"],
                          capture_output=True, text=True, timeout=600)
    binary = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    assert done.returncode == 0 and binary.exists(), done.stderr[-2000:]
    return binary


def _routes(api: str) -> dict[str, Any]:
    req = urllib.request.Request(f"{api}/api/routes",
                                 headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return dict(json.loads(resp.read()))
    except OSError:
        return {}


@pytest.fixture()
def cluster(chp: Path, pg_server: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.store import Store

    db = pg_server.create_db()
    url = pg_server.base_url + db
    store = Store.open(url)
    seed_demo(store, load_bank(), with_health_check=False)
    store.create_engagement("acme-globex", "Acme", "Globex")
    store.add_respondent("acme-globex", "ann", "Ann Host", "host", "CEO")
    store.add_respondent("acme-globex", "pia", "Pia Partner", "partner", "COO")
    tokens = {(e, r.id): r.token or "" for e in ("demo", "acme-globex")
              for r in store.respondents(e)}
    store.close()
    port, api_port = _free_port(), _free_port()
    proxy = subprocess.Popen([str(chp), "--ip", "127.0.0.1", "--port", str(port),
                              "--api-ip", "127.0.0.1", "--api-port", str(api_port)],
                             env={**os.environ, "CONFIGPROXY_AUTH_TOKEN": TOKEN},
                             stdout=(tmp_path / "proxy.log").open("wb"),
                             stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{api_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBOOK_")}
    env.update(WORKBOOK_DATABASE_URL=url, WORKBOOK_DATA_DIR=str(tmp_path),
               WORKBOOK_PUBLIC_URL=f"http://127.0.0.1:{port}", WORKBOOK_PROXY_API=api,
               WORKBOOK_PROXY_TOKEN=TOKEN, WORKBOOK_ROOM="1")
    workers = {}
    for eng in ("demo", "acme-globex"):
        log = tmp_path / f"worker-{eng}.log"
        workers[eng] = (subprocess.Popen(
            [sys.executable, "-m", "workbook_helpers", "serve", "--port", str(_free_port()),
             "--no-browser", "--prefix", f"/e/{eng}"], env=env, cwd=tmp_path,
            stdout=log.open("wb"), stderr=subprocess.STDOUT), log)
    try:
        wait_until(lambda: {"/e/demo", "/e/acme-globex"} <= set(_routes(api)), 120,
              "both workers' routes in the proxy")
        yield {"base": f"http://127.0.0.1:{port}", "api": api, "url": url, "tokens": tokens,
               "workers": workers}
    finally:
        for proc, _log in workers.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _log in workers.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        proxy.terminate()
        proxy.wait(timeout=10)
        pg_server.drop_db(db)


def _answer(profile: Profile, link: str, name: str) -> None:
    page = profile.context.new_page()
    try:
        page.goto(link)
        radio = page.get_by_role("radio").first
        radio.wait_for(state="visible", timeout=120_000)
        radio.check()
        page.wait_for_function("() => { const s = document.querySelector('.wb-status');"
                               " return s && s.innerText.includes('Saved'); }",
                               timeout=60_000)
        shoot(page, name)
    finally:
        page.close(run_before_unload=True)
        forget(profile, [link])


def _stored(url: str, engagement: str, respondent: str) -> int:
    from workbook_helpers.store import Store

    store = Store.open(url, upgrade=False)
    try:
        return len(store.respondent_answers(engagement, respondent))
    finally:
        store.close()


def test_two_workers_behind_the_proxy_and_one_stops(cluster: dict[str, Any],
                                                    profile: Profile) -> None:
    base, tokens = cluster["base"], cluster["tokens"]

    def link(eng: str, rid: str) -> str:
        return f"{base}/e/{eng}/voila/render/questionnaire.ipynb?t={tokens[(eng, rid)]}"

    _answer(profile, link("acme-globex", "ann"), "proxy-acme-ann")
    _answer(profile, link("demo", "ingrid-halvorsen"), "proxy-demo-ingrid")
    assert _stored(cluster["url"], "acme-globex", "ann") == 1
    assert _stored(cluster["url"], "demo", "ingrid-halvorsen") >= 1

    proc, log = cluster["workers"]["demo"]
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    wait_until(lambda: "/e/demo" not in _routes(cluster["api"]), 30,
               "the stopped worker's route to go")
    assert "/e/acme-globex" in _routes(cluster["api"])
    assert "removed from the proxy" in log.read_text()
    _answer(profile, link("acme-globex", "pia"), "proxy-acme-pia-after-stop")
    assert _stored(cluster["url"], "acme-globex", "pia") == 1
