"""The room opens its links at once: a burst of visitors on a real `workbook serve`.

A fresh SQLite store gets the demo and an engagement `room` with one respondent per visitor.
`workbook serve` starts; `--warm` seconds later (two minutes by default, as a facilitator
starts the server before people arrive) N visitors open their personal questionnaire links
in headless Chromium within `--window` seconds, each in a browser context of its own, and
click one answer. Printed, never asserted in a test:

- time until the first answer can be clicked (p50, p95), from the moment the visitor's
  browser starts loading the link; visitors who got no question within 5 minutes;
- server CPU-seconds per visitor: Voila and every kernel, from the first arrival until the
  server is quiet again after the tabs closed, beside the pre-heat CPU of one pooled kernel
  (done before the room arrives, and again once it has been quiet for a while);
- server memory per visitor: the mean PSS of a kernel plus Voila's own growth per visitor;
- kernels left after every tab closed (their unload handlers run), and how long until the
  count is back at the idle level; every click found in the store;
- the same link opened once more by one visitor after the burst: the in-run baseline that
  the burst's p95 is compared with.

`python benchmarks/bench_room.py [--src PATH] [--visitors 40] [--window 20] [--warm 120]
[--serve-arg=--room=40 ...] [--json FILE]`: `--src` runs another checkout's code (e.g. the
commit before a change, from a `git worktree`) with this machine's environment, so that two
versions are measured the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Row

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER = ".wb-questionnaire input[type=radio]"
GIVE_UP = 300.0  # a visitor without a question after 5 minutes has left the room

SEED = """
import sys
from workbook_helpers.bank import load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.store import Store
store = Store.open(sys.argv[1])
seed_demo(store, load_bank())
store.create_engagement("room", "Room Host", "Room Partner")
for i in range(int(sys.argv[2])):
    store.add_respondent("room", f"v{i:02d}", f"Visitor {i}", ("host", "partner")[i % 2], "CEO")
import json
print(json.dumps({r.id: r.token for r in store.respondents("room")}))
store.close()
"""


@dataclass
class Visit:
    """What one visitor saw."""

    respondent: str
    kernel: str = ""
    arrive: float = 0.0
    ready: float | None = None
    saved: float | None = None
    error: str = ""

    @property
    def tti(self) -> float | None:
        return None if self.ready is None else self.ready - self.arrive


@dataclass
class Tree:
    """CPU and memory of `workbook serve`, Voila and every kernel, sampled in the background."""

    root: int
    cpu: dict[int, float] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def procs(self) -> list[psutil.Process]:
        try:
            p = psutil.Process(self.root)
            return [p, *p.children(recursive=True)]
        except psutil.Error:
            return []

    def sample(self) -> None:
        for p in self.procs():
            try:
                t = p.cpu_times()
                self.cpu[p.pid] = t.user + t.system
                if p.pid not in self.kinds:
                    cmd = " ".join(p.cmdline())
                    self.kinds[p.pid] = ("kernel" if "ipykernel" in cmd else
                                         "voila" if "voila" in cmd else "serve")
            except psutil.Error:
                pass

    def run(self) -> None:
        while not self.stop.wait(0.25):
            self.sample()

    def total_cpu(self) -> float:
        self.sample()
        return sum(self.cpu.values())

    def cpu_by_kind(self) -> dict[str, float]:
        self.sample()
        out: dict[str, float] = {}
        for pid, cpu in self.cpu.items():
            kind = self.kinds.get(pid, "?")
            out[kind] = out.get(kind, 0.0) + cpu
        return out

    def kernels(self) -> list[psutil.Process]:
        out = []
        for p in self.procs():
            try:
                if "ipykernel" in " ".join(p.cmdline()):
                    out.append(p)
            except psutil.Error:
                pass
        return out

    def alive(self, kernel_ids: set[str]) -> set[str]:
        """Which of these kernels still run (their connection file names them)."""
        found = set()
        for p in self.kernels():
            try:
                cmd = " ".join(p.cmdline())
            except psutil.Error:
                continue
            found.update(k for k in kernel_ids if f"kernel-{k}.json" in cmd)
        return found

    def kernel_pss(self) -> dict[str, float]:
        """PSS in MiB of each kernel, by kernel id (from its connection file's name)."""
        out = {}
        for p in self.kernels():
            try:
                cmd = " ".join(p.cmdline())
                mib = p.memory_full_info().pss / 2**20
            except psutil.Error:
                continue
            if "kernel-" in cmd:
                out[cmd.split("kernel-", 1)[1].split(".json", 1)[0]] = mib
        return out

    def pss(self) -> dict[str, list[float]]:
        """PSS in MiB of each process, by kind."""
        out: dict[str, list[float]] = {"kernel": [], "voila": [], "serve": []}
        for p in self.procs():
            try:
                mib = p.memory_full_info().pss / 2**20
                cmd = " ".join(p.cmdline())
            except psutil.Error:
                continue
            kind = "kernel" if "ipykernel" in cmd else "voila" if "voila" in cmd else "serve"
            out[kind].append(mib)
        return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(src: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBOOK_")}
    env["PYTHONPATH"] = str(src)
    env["WORKBOOK_DATA_DIR"] = str(data)
    return env


async def _visit(browser: Any, url: str, v: Visit, t0: float, delay: float,
                 close_after: asyncio.Event, pages: list[Any]) -> None:
    await asyncio.sleep(delay)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await ctx.new_page()
    pages.append(page)
    v.arrive = time.monotonic() - t0
    try:
        await page.goto(url, wait_until="commit", timeout=GIVE_UP * 1000)
        left = GIVE_UP - (time.monotonic() - t0 - v.arrive)
        radio = page.locator(ANSWER).first
        await radio.wait_for(state="visible", timeout=max(left, 1) * 1000)
        v.ready = time.monotonic() - t0
        v.kernel = str(await page.evaluate(
            "() => { const c = document.getElementById('jupyter-config-data');"
            " return c ? JSON.parse(c.textContent).kernelId || '' : ''; }"))
        await radio.check(timeout=30_000)
        await page.wait_for_function(
            "() => { const s = document.querySelector('.wb-status');"
            " return s && s.innerText.includes('Saved'); }", timeout=60_000,
            polling=100)  # not every animation frame: 40 pages poll on the same processor
        v.saved = time.monotonic() - t0
    except Exception as exc:  # a visitor who gives up: recorded, not raised
        v.error = type(exc).__name__ + ": " + str(exc).splitlines()[0][:160]
    await close_after.wait()
    try:
        await page.close(run_before_unload=True)
        await asyncio.sleep(0.5)  # the unload beacon leaves before the context goes
        await ctx.close()
    except Exception:
        pass


async def _burst(base: str, tokens: dict[str, str], window: float,
                 at_peak: Any = None) -> list[Visit]:
    from playwright.async_api import async_playwright

    visits = [Visit(rid) for rid in sorted(tokens)]
    close_after = asyncio.Event()
    pages: list[Any] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        t0 = time.monotonic()
        n = len(visits)
        tasks = [asyncio.create_task(_visit(
            browser, f"{base}/voila/render/questionnaire.ipynb?t={tokens[v.respondent]}", v, t0,
            window * i / max(n - 1, 1), close_after, pages)) for i, v in enumerate(visits)]
        while any(v.saved is None and not v.error for v in visits):
            await asyncio.sleep(0.5)
        _burst.done_at = time.monotonic()  # type: ignore[attr-defined]
        _burst.client_cpu = _client_cpu()  # type: ignore[attr-defined]
        if at_peak is not None:
            at_peak()  # every visitor's page is still open
        close_after.set()
        await asyncio.gather(*tasks)
        await browser.close()
    return visits


async def _http_visit(base: str, token: str, v: Visit, t0: float, delay: float) -> None:
    """One visitor without a browser: the page is fetched to its end (Voila has run the
    page's cells and rendered the widget), then the page's unload beacon is sent. What the
    server does for a visitor, without the browser's own work on the same processor."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    await asyncio.sleep(delay)
    v.arrive = time.monotonic() - t0
    client = AsyncHTTPClient()
    try:
        resp = await client.fetch(HTTPRequest(
            f"{base}/voila/render/questionnaire.ipynb?t={token}", request_timeout=GIVE_UP,
            connect_timeout=GIVE_UP))
        html = resp.body.decode("utf-8", "replace")
        if 'id="wb-data"' in html:  # the light questionnaire: every step is in the page
            v.ready = v.saved = time.monotonic() - t0
            return
        if "application/vnd.jupyter.widget-view+json" not in html:
            raise RuntimeError("the page has no questionnaire widget")
        v.ready = time.monotonic() - t0
        start = html.index('"kernelId"')
        v.kernel = html[start:].split('"')[3]
        cookies = [c.split(";")[0] for c in resp.headers.get_list("Set-Cookie")]
        xsrf = next((c.split("=", 1)[1] for c in cookies if c.startswith("_xsrf=")), "")
        await client.fetch(HTTPRequest(
            f"{base}/voila/api/shutdown/{v.kernel}", method="POST",
            body=f"_xsrf={xsrf}", headers={"Cookie": "; ".join(cookies)}),
            raise_error=False)
        v.saved = v.ready
    except Exception as exc:
        v.error = type(exc).__name__ + ": " + str(exc).splitlines()[0][:160]


async def _http_burst(base: str, tokens: dict[str, str], window: float) -> list[Visit]:
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=len(tokens) + 1)
    visits = [Visit(rid) for rid in sorted(tokens)]
    t0 = time.monotonic()
    n = len(visits)
    await asyncio.gather(*[_http_visit(base, tokens[v.respondent], v, t0,
                                       window * i / max(n - 1, 1))
                           for i, v in enumerate(visits)])
    return visits


@dataclass
class Served:
    """A fresh store with one respondent per visitor, and `workbook serve` on it."""

    tmp: Path
    data: Path
    tokens: dict[str, str]
    proc: subprocess.Popen[bytes]
    base: str
    started: float
    log: Any

    def stop(self) -> None:
        """Stop the server (as a facilitator would) and close its log."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def _serve(src: Path, people: int, serve_args: list[str] | None, kind: str) -> Served:
    """Seed a store with `people` respondents of an engagement `room` and start serve."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-room-{kind}-"))
    data = tmp / "data"
    data.mkdir()
    env = _env(src, data)
    out = subprocess.run([sys.executable, "-c", SEED, f"sqlite:///{data / 'workbook.db'}",
                          str(people)], env=env, check=True, capture_output=True, text=True)
    tokens: dict[str, str] = json.loads(out.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = (tmp / "serve.log").open("wb")
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "workbook_helpers", "serve", "--port",
                             str(port), "--no-browser", *(serve_args or [])], env=env,
                            cwd=tmp, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    return Served(tmp, data, tokens, proc, f"http://127.0.0.1:{port}", started, log)


def measure_http(src: Path = ROOT / "src", visitors: int = 40, window: float = 20.0,
                 warm: float = 120.0, serve_args: list[str] | None = None) -> dict[str, Any]:
    """The server's side of the burst: visitors fetch their page with a plain HTTP client
    (no browser sharing the processor) and close it with the page's own unload beacon."""
    srv = _serve(src, visitors, serve_args, "http")
    tokens, tree = srv.tokens, Tree(srv.proc.pid)
    res: dict[str, Any] = {"visitors": visitors}
    try:
        time.sleep(max(0.0, warm - (time.monotonic() - srv.started)))
        idle_cpu = tree.total_cpu()
        visits = asyncio.run(_http_burst(srv.base, tokens, window))
        tti = [v.tti for v in visits if v.tti is not None]
        busy = tree.total_cpu()
        res.update(tti_p50_s=_pct(tti, 0.5), tti_p95_s=_pct(tti, 0.95),
                   no_page=sum(1 for v in visits if v.ready is None),
                   errors=[f"{v.respondent}: {v.error}" for v in visits if v.error][:5],
                   cpu_per_visitor_s=(busy - idle_cpu) / visitors)
    finally:
        srv.stop()
    return res


async def _one(base: str, token: str) -> float | None:
    visits = await _burst(base, {"single": token}, 0)
    return visits[0].tti


def _client_cpu() -> float:
    """CPU-seconds of the headless browser (every chromium process of this benchmark)."""
    total = 0.0
    for p in psutil.Process().children(recursive=True):
        try:
            if "chromium" in p.name() or "chrome" in p.name():
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _quiet(tree: Tree, limit: float) -> float:
    """The tree's CPU once it uses less than 5 % of a core over 3 s (or after `limit`)."""
    end = time.monotonic() + limit
    last = tree.total_cpu()
    while time.monotonic() < end:
        time.sleep(3)
        now = tree.total_cpu()
        if now - last < 0.15:
            return now
        last = now
    return last


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def measure(src: Path = ROOT / "src", visitors: int = 40, window: float = 20.0,
            warm: float = 120.0, serve_args: list[str] | None = None,
            settle_timeout: float = 180.0) -> dict[str, Any]:
    """One burst on a fresh server; returns the figures as a dict."""
    srv = _serve(src, visitors + 1, serve_args, "chromium")
    tokens, proc, base, started, data = srv.tokens, srv.proc, srv.base, srv.started, srv.data
    single = tokens.pop(f"v{visitors:02d}")
    tree = Tree(proc.pid)
    sampler = threading.Thread(target=tree.run, daemon=True)
    sampler.start()
    res: dict[str, Any] = {"visitors": visitors, "window_s": window, "warm_s": warm,
                           "serve_args": serve_args or [], "src": str(src)}
    try:
        time.sleep(max(0.0, warm - (time.monotonic() - started)))
        idle_kernels = len(tree.kernels())
        idle_pss = tree.pss()
        idle_cpu = tree.total_cpu()
        idle_by_kind = tree.cpu_by_kind()
        kernel_cpu = [tree.cpu[p.pid] for p in tree.kernels() if p.pid in tree.cpu]
        res.update(idle_kernels=idle_kernels, idle_cpu_s=idle_cpu,
                   preheat_cpu_per_kernel_s=statistics.mean(kernel_cpu) if kernel_cpu else 0,
                   idle_kernel_pss_mib=statistics.mean(idle_pss["kernel"] or [0]),
                   idle_voila_pss_mib=sum(idle_pss["voila"]))
        t_burst = time.monotonic()
        at_peak: dict[str, Any] = {}
        visits = asyncio.run(_burst(base, tokens, window,
                                    lambda: at_peak.update(pss=tree.pss(),
                                                           kernels=tree.kernel_pss())))
        done_at = getattr(_burst, "done_at", time.monotonic())
        res["browser_cpu_per_visitor_s"] = getattr(_burst, "client_cpu", 0.0) / visitors
        peak = at_peak.get("pss") or tree.pss()
        closed_at = time.monotonic()
        served = {v.kernel for v in visits if v.kernel}
        back = None
        while time.monotonic() - closed_at < settle_timeout:
            if not tree.alive(served):
                back = time.monotonic() - closed_at
                break
            time.sleep(1)
        res["kernels_left_after_close"] = len(tree.alive(served))
        res["kernels_served"] = len(served)
        # the server is back where it started (pool full, no visitor kernel) once it is
        # quiet: the CPU since the burst began is what the visits cost, refills included
        quiet_cpu = _quiet(tree, limit=60.0)
        res["burst_cpu_by_kind_s"] = {k: round(v - idle_by_kind.get(k, 0.0), 2)
                                      for k, v in tree.cpu_by_kind().items()}
        tti = [v.tti for v in visits if v.tti is not None]
        res.update(
            tti_p50_s=_pct(tti, 0.5), tti_p95_s=_pct(tti, 0.95), tti_max_s=max(tti or [0]),
            no_question=sum(1 for v in visits if v.ready is None),
            errors=[f"{v.respondent}: {v.error}" for v in visits if v.error][:10],
            burst_wall_s=done_at - t_burst,
            cpu_per_visitor_s=(quiet_cpu - idle_cpu) / visitors,
            # a light questionnaire has no kernel of its own: its memory is Voila's growth
            kernel_pss_mib=statistics.mean(
                [mib for k, mib in at_peak.get("kernels", {}).items()
                 if k in {v.kernel for v in visits}] or (peak["kernel"] if served else [0])
                or [0]),
            kernels_at_peak=len(peak["kernel"]),
            voila_growth_mib=sum(peak["voila"]) - res["idle_voila_pss_mib"],
            kernels_back_to_idle_s=back)
        res["mem_per_visitor_mib"] = res["kernel_pss_mib"] + max(
            res["voila_growth_mib"], 0) / visitors
        with sqlite3.connect(data / "workbook.db") as db:
            stored = {r[0] for r in db.execute(
                "SELECT DISTINCT respondent_id FROM answers WHERE engagement_id='room'")}
        clicked = {v.respondent for v in visits if v.saved is not None}
        res.update(clicked=len(clicked), clicks_in_store=len(clicked & stored),
                   stored_without_click=len(stored - clicked))
        time.sleep(10)
        res["single_tti_s"] = asyncio.run(_one(base, single))
    finally:
        tree.stop.set()
        srv.stop()
        res["log_tail"] = (srv.tmp / "serve.log").read_text(errors="replace")[-1500:]
    return res


def rows(res: dict[str, Any]) -> list[Row]:
    """The burst's figures as benchmark rows with the issue's goals."""
    single = res.get("single_tti_s") or float("nan")
    n = res["visitors"]
    return [
        Row(f"room: {n} visitors, answer clickable p50", res["tti_p50_s"], single,
            note="baseline: one visitor alone after the burst"),
        Row(f"room: {n} visitors, answer clickable p95", res["tti_p95_s"], single,
            max_seconds=10),
        Row("room: visitors without a question in 5 min", res["no_question"], 0, max_over=0,
            unit=""),
        Row("room: server CPU per visitor (until the server is quiet)",
            res["cpu_per_visitor_s"], res["preheat_cpu_per_kernel_s"], max_seconds=1.5,
            unit="CPU-s", note="baseline: pre-heating one pooled kernel"),
        Row("room: server memory per visitor (PSS)", res["mem_per_visitor_mib"],
            res["idle_kernel_pss_mib"], max_seconds=90, unit="MiB",
            note="baseline: one idle pooled kernel"),
        Row("room: kernels back at the idle count after tabs closed",
            res["kernels_back_to_idle_s"] if res["kernels_back_to_idle_s"] is not None
            else float("inf"), 0, max_seconds=120),
        Row("room: clicks missing from the store", res["clicked"] - res["clicks_in_store"], 0,
            max_over=0, unit=""),
    ]


def http_rows(res: dict[str, Any], single: float) -> list[Row]:
    """The server's side of the burst (no browser on the processor)."""
    n = res["visitors"]
    return [Row(f"room (server side): {n} pages rendered, p95", res["tti_p95_s"], single,
                max_seconds=10, note="baseline: one browser visitor alone"),
            Row("room (server side): pages not rendered in 5 min", res["no_page"], 0,
                max_over=0, unit="")]


def run() -> list[Row]:
    """The burst as `make bench` runs it (skipped without Chromium): the light questionnaire
    (the default) in Chromium and without a browser, and the widget questionnaire in
    Chromium for comparison."""
    if not os.path.exists(CHROMIUM):
        return []
    res = measure(serve_args=["--room", "40"])
    server = measure_http(serve_args=["--room", "40"])
    widget = measure(serve_args=["--room", "40", "--questionnaire", "voila"])
    return (rows(res) + http_rows(server, res.get("single_tti_s") or float("nan"))
            + [Row(r.name.replace("room:", "room (widget questionnaire):"), r.measured,
                   r.baseline, unit=r.unit, note=r.note) for r in rows(widget)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=ROOT / "src")
    ap.add_argument("--visitors", type=int, default=40)
    ap.add_argument("--window", type=float, default=20.0)
    ap.add_argument("--warm", type=float, default=120.0)
    ap.add_argument("--serve-arg", action="append", default=[])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--client", choices=("chromium", "http"), default="chromium",
                    help="http: the server's side only (pages fetched without a browser)")
    a = ap.parse_args()
    if a.client == "http":
        res = measure_http(a.src.resolve(), a.visitors, a.window, a.warm, a.serve_arg)
        print(json.dumps(res, indent=2, default=str))
        if a.json:
            a.json.write_text(json.dumps(res, indent=2, default=str))
        return
    res = measure(a.src.resolve(), a.visitors, a.window, a.warm, a.serve_arg)
    if a.json:
        a.json.write_text(json.dumps(res, indent=2, default=str))
    print(json.dumps({k: v for k, v in res.items() if k != "log_tail"}, indent=2, default=str))
    for r in rows(res):
        print(f"{r.name}: {r.measured:.2f} {r.unit} (baseline {r.baseline:.2f}; goal {r.goal()}"
              f"; {'ok' if r.ok else 'MISSED'})")


if __name__ == "__main__":
    main()
