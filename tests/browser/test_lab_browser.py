"""The dashboard notebook run inside a real JupyterLab looks like the Voila app: the apps ship
their own component styles, and nothing of JupyterLab's own look (its code cells) is hidden."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, SHOTS, _free_port

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.store import Store

    data = tmp_path_factory.mktemp("labstore")
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    seed_demo(store, load_bank())
    store.set_engagement_options("demo", revealed=True)
    store.close()
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / "dashboard.ipynb", root / "dashboard.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "WORKBOOK_DATA_DIR": str(data),
           "JUPYTER_CONFIG_DIR": str(root / ".jupyter"), "JUPYTER_DATA_DIR":
           str(root / ".data"), "JUPYTER_RUNTIME_DIR": str(root / ".runtime")}
    env.pop("WORKBOOK_DATABASE_URL", None)
    log = (root / "lab.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate", "--allow-root"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 90
        import urllib.request

        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}",
                                       timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterLab did not start:\n"
                               + (root / "lab.log").read_text()[-3000:])
        yield f"http://127.0.0.1:{port}", token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _answer_dialog(page) -> None:  # type: ignore[no-untyped-def]
    """A dialog Lab opens while it is slow to start (on a busy machine: the kernel choice,
    a kernel that took long to start) blocks the menu: keep its text in the test's output and
    answer it with its default button, as a person would."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count():
        print("JupyterLab asked:", dialog.first.inner_text().replace("\n", " | "))
        dialog.first.locator(".jp-Dialog-button.jp-mod-accept").first.click()
        try:  # a busy machine may keep it open while the kernel starts: the caller asks again
            dialog.first.wait_for(state="detached", timeout=15_000)
        except Exception:
            page.keyboard.press("Escape")


def test_dashboard_in_jupyterlab_is_styled_like_in_voila(lab, browser) -> None:
    base, token = lab
    context = browser.new_context(reduced_motion="reduce",
                                  viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(f"{base}/lab/tree/dashboard.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               state="attached")
        # Lab may still be settling when the menu is first used: ask again until a cell runs
        for _attempt in range(6):
            _answer_dialog(page)
            page.locator(".lm-MenuBar-item", has_text="Run").first.click()
            page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()
            try:
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.jp-InputPrompt')]"
                    ".some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))", timeout=20_000)
                break
            except Exception:
                page.keyboard.press("Escape")
        try:
            eyebrow = page.wait_for_selector(".wb-app .wb-eyebrow", timeout=240_000)
        except Exception:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "jupyterlab-dashboard-failed.png"))
            raise
        # the page's rules apply once Lab has attached the output's stylesheet
        page.wait_for_function(
            "e => getComputedStyle(e).textTransform === 'uppercase'", arg=eyebrow,
            timeout=30_000)
        style = page.evaluate(
            "e => { const s = getComputedStyle(e); return [s.textTransform, s.fontSize]; }",
            eyebrow)
        assert style == ["uppercase", "12px"], style
        # the notebook's code stays visible in Lab: page-level rules were not sent
        assert page.locator(".jp-InputArea").first.is_visible()
        assert page.locator(".wb-app .wb-verdict, .wb-app .wb-card").count() >= 1 or \
            page.locator(".wb-app").count() >= 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "jupyterlab-dashboard.png"), full_page=False)
    finally:
        context.close()
