"""Benchmarks of the workshop apps (called by benchmarks/run.py; never asserted in tests).

run() returns `goals.Row`s (measured and baseline seconds, numeric goal):
- time to interactive of the questionnaire page against a bare one-button Voila page, same
  server settings (voila.json, template, pre-heated kernels), same run, warm;
- one click -> answer stored and dashboard data updated, inside the kernel's process;
- time to interactive of the portfolio page (until the table's first link can be clicked) in
  a new and in a reused tab, each after the pool has had 10 s to pre-heat the next kernel
  (moved here from tests/browser/test_portfolio_browser.py: a time is a benchmark figure, not
  a test); written to artifacts/portfolio-tti.json.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
from goals import Row

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _seed(data: Path) -> dict[str, str]:
    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.store import Store

    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    seed_demo(store, load_bank())
    for i in range(8):
        store.add_respondent("demo", f"bench-{i}", f"Bench {i}", "host", "CEO")
    tokens = {r.id: r.token or "" for r in store.respondents("demo")}
    store.close()
    return tokens


def _bare_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import ipywidgets as w\nw.Button(description='Bare button')")]
    nbformat.write(nb, str(path))


def _tti(page: object, url: str, selector: str) -> float:
    t0 = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_selector(selector, state="visible", timeout=90_000)  # type: ignore[attr-defined]
    return time.perf_counter() - t0


def _serve_apps(prefix: str) -> tuple[dict[str, str], Any, int, str]:
    """A seeded store and `workbook serve`'s Voila on a free port, with the bare page beside
    the apps: (tokens, process, port, base URL of the rendered pages)."""
    from workbook_helpers.server.serve import prepare

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    data, apps = tmp / "data", tmp / "apps"
    data.mkdir()
    tokens = _seed(data)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    old = os.environ.get("WORKBOOK_DATA_DIR")
    os.environ["WORKBOOK_DATA_DIR"] = str(data)
    try:
        spec = prepare(port=port, app_dir=apps)
    finally:
        if old is None:
            os.environ.pop("WORKBOOK_DATA_DIR", None)
        else:
            os.environ["WORKBOOK_DATA_DIR"] = old
    _bare_notebook(apps / "bare.ipynb")
    proc = subprocess.Popen(spec.argv, env=spec.env, cwd=spec.cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return tokens, proc, port, f"http://127.0.0.1:{port}/voila/render"


def page_load_rows(rounds: int = 4) -> list[Row]:
    """Warm time to interactive: questionnaire vs a bare one-button page."""
    from playwright.sync_api import sync_playwright

    from workbook_helpers.server.serve import stop, wait_until_up

    tokens, proc, port, base = _serve_apps("bench-apps-")
    bare_t: list[float] = []
    q_t: list[float] = []
    try:
        wait_until_up(port, timeout=90)
        time.sleep(8)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            _tti(page, f"{base}/bare.ipynb", "text=Bare button")  # warm caches
            _tti(page, f"{base}/questionnaire.ipynb?t={tokens['bench-0']}", ".wb-question")
            for i in range(rounds):
                time.sleep(6)  # let the pools refill (same for both pages)
                bare_t.append(_tti(page, f"{base}/bare.ipynb", "text=Bare button"))
                q_t.append(_tti(page, f"{base}/questionnaire.ipynb?t={tokens[f'bench-{i + 1}']}",
                                ".wb-question"))
            browser.close()
    finally:
        stop(proc)
    q, b = statistics.median(q_t), statistics.median(bare_t)
    return [Row("apps: questionnaire time to interactive (warm, median)", q, b,
                max_ratio=1.2, max_seconds=1.5, note="baseline: a bare one-button page")]


def _portfolio_tti(page: object, url: str) -> float:
    """Seconds until the portfolio table's first link can be clicked (actionable, not just
    drawn)."""
    t0 = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_selector(".wb-pf-table tbody tr a", state="visible",  # type: ignore[attr-defined]
                           timeout=90_000)
    page.locator('tr[data-engagement="demo"] a').first.click(trial=True)  # type: ignore[attr-defined]
    return time.perf_counter() - t0


def portfolio_rows(pause: float = 10.0) -> list[Row]:
    """Portfolio time to interactive in a new and a reused tab (demo store), each after
    `pause` seconds for the pool to pre-heat the next kernel, against the bare page."""
    from playwright.sync_api import sync_playwright

    from workbook_helpers.server.serve import stop, wait_until_up

    _tokens, proc, port, base = _serve_apps("bench-portfolio-tti-")
    times: dict[str, float] = {}
    try:
        wait_until_up(port, timeout=90)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            time.sleep(pause)
            bare = _tti(page, f"{base}/bare.ipynb", "text=Bare button")
            fresh = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            time.sleep(pause)
            times["new tab"] = _portfolio_tti(fresh, f"{base}/portfolio.ipynb")
            time.sleep(pause)  # the pool pre-heats the next kernel meanwhile
            times["reused tab"] = _portfolio_tti(fresh, f"{base}/portfolio.ipynb")
            browser.close()
    finally:
        stop(proc)
    out = Path(__file__).resolve().parents[1] / "artifacts" / "portfolio-tti.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(times, indent=1))
    return [Row(f"apps: portfolio time to interactive, {k}", v, bare, max_seconds=30,
                note="baseline: a bare one-button page; until the first link is clickable")
            for k, v in times.items()]


def click_rows(rounds: int = 30) -> list[Row]:
    """One click -> answer stored -> dashboard data re-scored, in-process (kernel work)."""
    from workbook_helpers.apps.dashboard import Dashboard
    from workbook_helpers.apps.questionnaire import Questionnaire
    from workbook_helpers.bank import load_bank
    from workbook_helpers.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-click-"))
    _seed(tmp)
    store = Store.open(f"sqlite:///{tmp / 'workbook.db'}")
    bank = load_bank()
    quest = Questionnaire(store, bank, store.respondent("demo", "bench-0"), schedule=None)
    dash = Dashboard(store, bank, "demo")
    click, raw = [], []
    for i in range(rounds):
        quest.go(i % len(quest.questions))
        t0 = time.perf_counter()
        quest.choose(1 + i % 5)
        dash.update_data()
        click.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        store.record_answer("demo", "bench-1", "sf-strategy-link", 1 + i % 5)
        raw.append(time.perf_counter() - t0)
    return [Row("apps: click -> answer stored + dashboard updated (in kernel, median)",
                statistics.median(click), statistics.median(raw), max_seconds=0.1,
                note="baseline: bare store.record_answer")]


def run() -> list[Row]:
    """All app benchmarks; the page-load one is skipped when Chromium is missing."""
    rows = click_rows()
    if os.path.exists(CHROMIUM):
        rows += page_load_rows()
        rows += portfolio_rows()
    return rows


if __name__ == "__main__":
    for row in run():
        print(f"{row.name}: {row.measured:.3f} s (baseline {row.baseline:.3f} s; goal "
              f"{row.goal()}; {'ok' if row.ok else 'MISSED'})")
