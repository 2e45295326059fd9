"""A real Voila server on a free 127.0.0.1 port over a demo store, and headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    data_dir: Path
    tokens: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def store(self) -> Any:
        from workbook_helpers.store import Store

        return Store.open(f"sqlite:///{self.data_dir / 'workbook.db'}")


@contextmanager
def voila_on(data: Path, host: str, app_dir: Path, log: Path,
             settle: float, **serve: Any) -> Iterator[tuple[int, Any, Path, Any]]:
    """`workbook serve`'s Voila over the SQLite store in `data`, on a free port, logging to
    `log`; yields (port, spec, log, process) once it answers and its kernels have settled.
    `serve` passes room, idle_minutes, max_visitors or prefix on to `serve.prepare`."""
    from workbook_helpers.server.serve import prepare, stop, wait_until_up

    serve.setdefault("room", 1)  # three pre-heated questionnaires: enough for one test's pages
    # no kernel kept ready for the other pages: each page a test opens starts its own (the
    # same work, done when asked), and none is left pre-heated and unused when the server
    # stops. `workbook serve` keeps one per page (the CLI tests and the wheel test start it)
    serve.setdefault("other_pages", 0)
    port = _free_port()
    old = os.environ.get("WORKBOOK_DATA_DIR")
    os.environ["WORKBOOK_DATA_DIR"] = str(data)
    try:
        spec = prepare(port=port, host=host, app_dir=app_dir, **serve)
    finally:
        if old is None:
            os.environ.pop("WORKBOOK_DATA_DIR", None)
        else:
            os.environ["WORKBOOK_DATA_DIR"] = old
    spec.env.pop("WORKBOOK_DATABASE_URL", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(spec.argv, env=spec.env, cwd=spec.cwd, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        if not wait_until_up(port, timeout=90):
            raise RuntimeError("voila did not start:\n" + log.read_text()[-3000:])
        # the pre-heated questionnaires are ready (the server says so), then a short settle
        # for the other pages' pools, where there are any
        wait_for_log(log, "ready for a room", timeout=180)
        if serve["other_pages"]:
            time.sleep(min(settle, 2))
        yield port, spec, log, proc
    finally:
        stop(proc)


def wait_until(cond: Any, timeout: float, what: str) -> None:
    """Poll `cond()` until it is true; fail naming `what` after `timeout` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def wait_for_log(log: Path, text: str, timeout: float) -> None:
    """Wait until the server's log says `text` (fails with the log's end)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in log.read_text(errors="replace"):
            return
        time.sleep(0.25)
    raise RuntimeError(f"the server never said {text!r}:\n" + log.read_text()[-3000:])


def kernel_pids(proc: Any) -> list[int]:
    """The kernels of a Voila process."""
    import psutil

    out = []
    for p in psutil.Process(proc.pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                out.append(p.pid)
        except psutil.Error:
            pass
    return out


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.store import Store

    data = tmp_path_factory.mktemp("store")
    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    seed_demo(store, load_bank())
    store.add_respondent("demo", "tess-tester", "Tess Tester", "host", "Head of strategy")
    store.add_respondent("demo", "reload-rita", "Rita Reload", "partner", "CFO")
    store.create_engagement("other", "Other Host", "Other Partner")
    store.add_respondent("other", "otto", "Otto Other", "host", "CEO")
    from tests.report_support import LICENCE, seed_licence

    seed_licence(store, load_bank())  # a licence, not an alliance: a recommendation
    store.set_engagement_options(LICENCE, revealed=True)
    tokens = {r.id: r.token or "" for e in ("demo", "other") for r in store.respondents(e)}
    store.close()
    with voila_on(data, "127.0.0.1", tmp_path_factory.mktemp("apps"), data / "voila.log",
                  settle=4) as (port, _spec, log, proc):
        yield Server(f"http://127.0.0.1:{port}", data, tokens, log, proc)


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright: Any) -> Iterator[Any]:
    """Chromium for tests that make their own contexts: several visitors at once, a phone's
    or a tablet's screen, a first visit with nothing cached."""
    b = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()


@dataclass
class Profile:
    context: Any  # a persistent Playwright BrowserContext
    anchor: Any   # its first tab, kept open


@pytest.fixture(scope="session")
def profile(_playwright: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    """One Chromium profile on disk for the `page` fixture, as an executive's own browser
    has: its cache keeps Voila's scripts and the code compiled from them from one page to the
    next (a page costs Chromium a quarter of the CPU of a first visit). What a visitor leaves
    behind (cookies, local storage, open tabs) is cleared after each test, see `page`."""
    ctx = _playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
        args=CHROMIUM_ARGS, headless=True, reduced_motion="reduce",
        viewport={"width": 1280, "height": 800})
    # one tab stays open between tests (the window is not closed with the last test's tabs)
    yield Profile(ctx, ctx.pages[0] if ctx.pages else ctx.new_page())
    ctx.close()


#: what a test's visitor leaves in the shared profile, cleared after each test (not the cache)
LEFT_BEHIND = "cookies,local_storage,indexeddb,websql,service_workers,cache_storage,file_systems"


def forget(profile: Profile, urls: list[str]) -> None:
    """Close the test's tabs and clear what its pages stored, keeping the profile's cache."""
    ctx = profile.context
    for pg in ctx.pages:
        if pg is not profile.anchor:
            urls = [*urls, pg.url]
            pg.close()
    ctx.clear_cookies()
    ctx.clear_permissions()
    origins = {f"{u.scheme}://{u.netloc}" for u in map(urlparse, urls)
               if u.scheme in ("http", "https")}
    cdp = ctx.new_cdp_session(profile.anchor)
    try:
        for origin in sorted(origins):
            cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": LEFT_BEHIND})
    finally:
        cdp.detach()


@pytest.fixture()
def tabs(profile: Profile) -> Iterator[Any]:
    """Open tabs in the lane's Chromium profile: `tabs(url, viewport=None)` returns the tab
    once the page has loaded (for tests with several visitors at once: the server tells them
    apart by their links, not by their browsers). What they leave is cleared afterwards."""
    seen: list[str] = []

    def open_tab(url: str, viewport: dict[str, int] | None = None) -> Any:
        pg = profile.context.new_page()
        if viewport:
            pg.set_viewport_size(viewport)
        seen.append(url)
        pg.goto(url)
        return pg

    yield open_tab
    forget(profile, seen)


@dataclass
class Watched:
    page: Any
    requests: list[str]
    errors: list[str]
    dialogs: list[str]

    def offsite(self) -> list[str]:
        bad = []
        for url in self.requests:
            u = urlparse(url)
            if u.scheme in ("data", "blob", "about"):
                continue
            if u.hostname != "127.0.0.1":
                bad.append(url)
        return bad


@pytest.fixture()
def page(profile: Profile, request: pytest.FixtureRequest) -> Iterator[Watched]:
    """A new 1280x800 tab that records every request; fails if one leaves 127.0.0.1.

    The tab opens in the lane's Chromium profile (`profile`): the cache is warm, nothing
    else is left from the test before. (Sharing one incognito context, whose cache keeps no
    compiled code, saved nothing: docs/decisions.md.)"""
    pg = profile.context.new_page()
    pg.set_default_timeout(45_000)
    w = Watched(pg, [], [], [])
    pg.on("request", lambda r: w.requests.append(r.url))
    pg.on("pageerror", lambda e: w.errors.append(str(e)))

    def _dialog(d: Any) -> None:
        w.dialogs.append(d.message)
        d.dismiss()
    pg.on("dialog", _dialog)
    yield w
    forget(profile, w.requests)
    assert not w.offsite(), f"requests left 127.0.0.1: {w.offsite()}"
    assert not w.dialogs, f"a script ran and opened a dialog: {w.dialogs}"


LAYOUT_SETTLED_JS = """() => new Promise(resolve => {
  // fonts loaded, then two animation frames in a row with the same layout size
  const size = () => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,
                      document.body ? document.body.scrollHeight : 0].join('x');
  // (a page that never stops moving, e.g. a spinner, is taken as it is after 120 frames)
  document.fonts.ready.then(() => {
    let last = size(), frames = 0;
    const step = () => requestAnimationFrame(() => requestAnimationFrame(() => {
      const now = size();
      frames += 2;
      if (now === last || frames >= 120) { resolve(now); } else { last = now; step(); }
    }));
    step();
  });
})"""


def wait_for_layout(page: Any) -> None:
    """Wait until the page's fonts are loaded and its layout no longer changes size between
    frames (instead of a fixed pause before measuring or shooting it)."""
    page.evaluate(LAYOUT_SETTLED_JS)


def shoot(page: Any, name: str, element: Any = None) -> Path:
    """Save a full-page screenshot (or one of `element`) under artifacts/screenshots/.

    The page scrolls inside inner panels, so the viewport is first made as tall as the
    tallest scrolled content; otherwise anything below the first screen is cut off.

    With WORKBOOK_SCREENSHOTS=0 (`make test`: pictures nobody opens cost the lanes ~35 CPU-s,
    `make screenshots` takes them) only what a screenshot waits for happens: the layout
    settles and `element` is visible."""
    path = SHOTS / f"{name}.png"
    if os.environ.get("WORKBOOK_SCREENSHOTS") == "0":
        wait_for_layout(page)
        if element is not None:
            element.wait_for(state="visible")
        return path
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    tall = page.evaluate("() => Math.max(...[...document.querySelectorAll("
                         "'#jp-main-content-panel, .jp-WindowedPanel-outer, body, "
                         ".jp-Notebook, .jp-LabShell, main, div')]"
                         ".map(e => e.scrollHeight + e.getBoundingClientRect().top))")
    page.set_viewport_size({"width": size["width"],
                            "height": min(max(size["height"], int(tall) + 40), 12000)})
    wait_for_layout(page)
    if element is not None:
        element.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def axe_serious(page: Any) -> list[str]:
    """axe-core violations of impact serious or critical, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    out = []
    for v in results.response.get("violations", []):
        if v.get("impact") in ("serious", "critical"):
            targets = [n.get("target") for n in v.get("nodes", [])][:5]
            out.append(f"{v['id']} ({v['impact']}): {v.get('help')} at {targets}")
    return out
