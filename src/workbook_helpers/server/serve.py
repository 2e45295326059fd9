"""`workbook serve`: run the Voila workshop apps on the store from the environment.

Binds 127.0.0.1 by default. Binding anywhere else turns on a facilitator key (generated unless
given as `token`): setup, dashboard and portfolio then need `?key=...`, and respondents only
ever get their own unguessable personal link. Only the four app notebooks are served, copied
into a private temporary folder together with `voila.json`, Voila's connection files and the
kernels' IPC sockets; the folder is removed when the server stops. The portfolio's report
links are served from `reports/` beside the data folder (`report.folder.reports_dir`).

Stopping: SIGTERM (systemd, Docker, supervisors), SIGINT (Ctrl-C) and SIGHUP (a closed
terminal) all stop Voila and every kernel, free the port and remove the folder. Voila runs in a
session of its own (so a terminal's signals reach only this process, which then stops the whole
tree in order) and gets SIGTERM from the kernel should this process die without cleaning up.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import (
    BANK_CACHE_ENV,
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    DEFAULT_PORT,
    FACILITATOR_KEY_ENV,
    IDLE_MINUTES_ENV,
    MAX_VISITORS_ENV,
    PUBLIC_URL_ENV,
    QUESTIONNAIRE_ENV,
    ROOM_ENV,
    SCHEMA_READY_ENV,
    data_dir,
    default_bank_path,
    resource,
    settings,
)
from ..exceptions import WorkbookError
from .proxy import ProxyClient, check_prefix
from .room import plan, voila_settings

APP_NOTEBOOKS = ("questionnaire.ipynb", "dashboard.ipynb", "setup.ipynb", "portfolio.ipynb")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
RUN_DIR = ".wb"  # inside the app folder: voila.json, connection files, IPC sockets
# Voila adds "/voila_XXXXXXXX/kernel-<uuid>-ipc-N" (66 bytes) to the kernels' folder, and a
# Unix socket path has at most 107 bytes
MAX_KERNEL_ROOT = 40
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@dataclass
class ServeSpec:
    """Everything needed to start Voila: command, environment, folders and the public URL."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path
    app_dir: Path
    base_url: str
    facilitator_key: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def prepare(port: int = DEFAULT_PORT, host: str = "127.0.0.1", token: str | None = None,
            app_dir: Path | None = None, no_browser: bool = True,
            verbose: bool = False, room: int | None = None,
            idle_minutes: float | None = None,
            max_visitors: int | None = None, prefix: str = "",
            questionnaire: str | None = None, other_pages: int | None = None) -> ServeSpec:
    """Build the Voila command line and environment (also used by the browser tests).

    `room`, `idle_minutes` and `max_visitors` override the settings of the same names (see
    `room.plan`); `prefix` ('/e/acme') serves every page under that path, as a worker behind
    a proxy (`proxy`); `questionnaire` ('light' or 'voila') overrides what personal links
    open; `other_pages` the kernels kept ready for each other page (default 1; 0 where only
    questionnaires will be opened)."""
    prefix = check_prefix(prefix)
    app_dir = app_dir or Path(tempfile.mkdtemp(prefix="wb-apps-"))
    app_dir.mkdir(parents=True, exist_ok=True)
    for name in APP_NOTEBOOKS:
        shutil.copy2(resource("notebooks", name), app_dir / name)
    run_dir = app_dir / RUN_DIR
    run_dir.mkdir(mode=0o700, exist_ok=True)
    conf = settings()
    room_plan = plan(conf.room if room is None else room,
                     conf.max_visitors if max_visitors is None else max_visitors,
                     conf.idle_minutes if idle_minutes is None else idle_minutes,
                     light=(questionnaire or conf.questionnaire) == "light",
                     other_pages=1 if other_pages is None else other_pages)
    base_conf = json.loads(resource("voila.json").read_text(encoding="utf-8"))
    (run_dir / "voila.json").write_text(json.dumps(voila_settings(room_plan, base_conf),
                                                   indent=1), encoding="utf-8")
    extra: dict[str, str] = {}
    kernel_root = run_dir
    if len(str(kernel_root)) > MAX_KERNEL_ROOT:  # a socket path has at most 107 bytes
        kernel_root = Path(tempfile.mkdtemp(prefix="wb-k-", dir="/tmp"))
        extra["kernel_dir"] = str(kernel_root)
    env = dict(os.environ)
    env[ROOM_ENV] = str(room_plan.room)
    env[QUESTIONNAIRE_ENV] = "light" if room_plan.light else "voila"
    env[IDLE_MINUTES_ENV] = f"{room_plan.idle_seconds / 60:g}"
    env[MAX_VISITORS_ENV] = str(room_plan.max_visitors)
    env.update(_ready_store(run_dir))
    # absolute, also beside a database URL: the kernels run in the app folder, and the
    # portfolio finds the reports beside the data folder
    env[DATA_DIR_ENV] = str(data_dir().resolve())
    template_root = resource("templates", "voila", "share", "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(template_root), env.get("JUPYTER_PATH", "")) if p)
    key = token or conf.facilitator_key or ("" if host in LOOPBACK
                                            else secrets.token_urlsafe(24))
    if key:
        env[FACILITATOR_KEY_ENV] = key
    else:
        env.pop(FACILITATOR_KEY_ENV, None)
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    base = (conf.public_url or f"http://{shown}:{port}") + prefix
    env[PUBLIC_URL_ENV] = base
    # where a pre-heated kernel reaches its own server for its visitor's request
    env["VOILA_APP_IP"] = _reachable(host)
    env.setdefault("PYTHONUNBUFFERED", "1")
    argv = [sys.executable, "-m", "workbook_helpers.server.voila_app", str(app_dir),
            f"--port={port}", f"--Voila.ip={host}", "--Voila.open_browser=False",
            "--Voila.port_retries=0", f"--Voila.connection_dir_root={kernel_root}",
            # IPC sockets in the private folder: no TCP ports for kernels, no "unencrypted
            # TCP" warning
            "--KernelManager.transport=ipc",
            # a page's output may reach Voila late while a room loads the processor; the
            # default 4 s lost it (and the visitor saw no question)
            "--VoilaExecutor.iopub_timeout=60",
            # closed pages give their kernel back (room_kernels)
            "--VoilaConfiguration.multi_kernel_manager_class="
            "workbook_helpers.server.kernels.RoomKernelManager",
            f"--Voila.log_level={'INFO' if verbose else 'WARN'}"]
    if prefix:
        argv += [f"--Voila.base_url={prefix}/", f"--Voila.server_url={prefix}/"]
        extra["prefix"] = prefix
    return ServeSpec(argv, env, run_dir, app_dir, base, key, extra)


def _reachable(host: str) -> str:
    """The address this machine's own processes use to reach a server bound to `host`."""
    return "127.0.0.1" if host in ("0.0.0.0", "", "localhost") else \
        "::1" if host == "::" else host


def _ready_store(run_dir: Path) -> dict[str, str]:
    """Upgrade the store once and parse the banks in use once, for every kernel to come:
    the variables that tell the kernels so (none when the store cannot be opened now: each
    page then opens it itself and reports what is wrong)."""
    from ..bank import write_parsed_banks
    from ..bank.choice import bank_path, shipped_path
    from ..store import Store

    env: dict[str, str] = {}
    refs: set[str] = set()
    try:
        store = Store.open()
        try:
            env[SCHEMA_READY_ENV] = "1"
            for eng in store.engagements(counts=False)["engagement"]:
                refs.update(r.bank for r in store.rounds(str(eng)) if r.bank)
        finally:
            store.close()
    except WorkbookError:
        pass
    paths: set[Path] = {default_bank_path().resolve()}
    for name in ("question_bank", "health_check_bank"):
        with contextlib.suppress(WorkbookError):
            paths.add(shipped_path(name).resolve())
    for ref in refs:
        with contextlib.suppress(WorkbookError, OSError):
            paths.add(bank_path(ref).resolve())
    cache = run_dir / "banks.pickle"
    with contextlib.suppress(OSError):
        write_parsed_banks(sorted(paths), cache)
        env[BANK_CACHE_ENV] = str(cache)
    return env


def links(spec: ServeSpec, engagement: str = "demo") -> dict[str, str]:
    """Facilitator URLs and each respondent's personal link for one engagement."""
    from ..apps.links import facilitator_link, respondent_link

    out = {"setup": facilitator_link("setup", engagement, spec.facilitator_key, spec.base_url),
           "dashboard": facilitator_link("dashboard", engagement, spec.facilitator_key,
                                         spec.base_url),
           "portfolio": facilitator_link("portfolio", "", spec.facilitator_key, spec.base_url)}
    try:
        from ..store import Store

        url = spec.env.get(DATABASE_URL_ENV) or \
            f"sqlite:///{Path(spec.env.get(DATA_DIR_ENV) or data_dir()).resolve() / 'workbook.db'}"
        store = Store.open(url)
        try:
            if store.has_engagement(engagement):
                for who in store.respondents(engagement):
                    out[f"{who.name} ({who.side}, {who.role})"] = respondent_link(
                        who.token, spec.base_url)
        finally:
            store.close()
    except Exception as exc:  # the server still starts; the setup page shows links too
        out["note"] = f"respondent links unavailable: {exc}"
    return out


def wait_until_up(port: int, host: str = "127.0.0.1", timeout: float = 60.0) -> bool:
    """Wait until something accepts connections on host:port."""
    deadline = time.monotonic() + timeout
    target = "127.0.0.1" if host in ("0.0.0.0", "", "localhost") else host
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((target, port), timeout=1):
            return True
        time.sleep(0.2)
    return False


def _family(pid: int) -> list[Any]:
    """The process and every descendant (kernels included), as psutil processes."""
    import psutil

    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return []


def stop(proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 20.0) -> None:
    """Stop Voila and every process it started (kernels run in sessions of their own, so a
    process group signal would miss them): SIGTERM to Voila, which shuts its kernels down;
    then whatever is left of the tree is terminated, and killed if it does not go in time."""
    import psutil

    family = _family(proc.pid)[1:]
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    family += [p for p in _family(proc.pid)[1:] if p not in family]
    alive = [p for p in family if p.is_running()]
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(alive, timeout=5)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=5)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to send SIGTERM to Voila if `workbook serve` dies without stopping it."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _say(text: str, err: bool = False) -> None:
    """Print, ignoring a terminal that has gone away (SIGHUP)."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr if err else sys.stdout, flush=True)


def serve(port: int = DEFAULT_PORT, no_browser: bool = False, host: str = "127.0.0.1",
          token: str | None = None, verbose: bool = False, room: int | None = None,
          idle_minutes: float | None = None, max_visitors: int | None = None,
          prefix: str = "", proxy_api: str | None = None,
          questionnaire: str | None = None) -> int:
    """Start Voila on the workshop apps, print the links, and return the exit code (0 when
    stopped by a signal, else Voila's own). With `proxy_api`, the `prefix` route is kept in
    that configurable-http-proxy while the apps run."""
    if not _port_free(host, port):
        _say(f"error: port {port} is already in use; stop whatever holds it or choose another "
             "with --port.", err=True)
        return 1
    spec = prepare(port=port, host=host, token=token, verbose=verbose, room=room,
                   idle_minutes=idle_minutes, max_visitors=max_visitors, prefix=prefix,
                   questionnaire=questionnaire)
    api = settings().proxy_api if proxy_api is None else proxy_api
    proxy = ProxyClient(api, settings().proxy_token) if api else None
    if proxy is not None and not spec.extra.get("prefix"):
        _say("error: --proxy-api needs --prefix (the path the proxy sends to this server, "
             "e.g. --prefix /e/acme-globex).", err=True)
        return 2
    stopping = threading.Event()
    received: list[int] = []

    def on_signal(signum: int, _frame: Any) -> None:
        received.append(signum)
        stopping.set()

    previous = {s: signal.signal(s, on_signal) for s in STOP_SIGNALS}
    proc: subprocess.Popen[bytes] | None = None
    try:
        if host not in LOOPBACK:
            _say(f"Serving beyond this machine on {host}: facilitator pages need the key "
                 "below; respondents need their personal links.", err=True)
        _say("Alliance Workbook is starting. Links:")
        for label, url in links(spec).items():
            _say(f"  {label}: {url}")
        if stopping.is_set():
            return 0
        proc = _start(spec, port, host, no_browser, verbose, proxy, stopping)
        while proc.poll() is None and not stopping.wait(0.5):
            pass
        if stopping.is_set():
            names = ", ".join(signal.Signals(s).name for s in received)
            _say(f"Stopping ({names}): closing the apps and their kernels...", err=True)
            stop(proc, timeout=15)
            _say("Stopped.", err=True)
            return 0
        return proc.returncode or 0
    finally:
        _clean_up(spec, proc, proxy, stopping)
        for s, h in previous.items():
            signal.signal(s, h)


def _start(spec: ServeSpec, port: int, host: str, no_browser: bool, verbose: bool,
           proxy: ProxyClient | None, stopping: threading.Event) -> subprocess.Popen[bytes]:
    """Start Voila in a session of its own, with the threads that relay its log, announce
    the apps once they answer and keep the proxy's route."""
    proc = subprocess.Popen(spec.argv, env=spec.env, cwd=spec.cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=_die_with_parent)
    threading.Thread(target=_relay, args=(proc, stopping, verbose), daemon=True).start()
    threading.Thread(target=_announce, args=(spec, port, host, no_browser, stopping),
                     daemon=True).start()
    if proxy is not None:
        threading.Thread(target=_keep_route, args=(proxy, spec.extra["prefix"],
                                                   f"http://{_reachable(host)}:{port}",
                                                   port, host, stopping),
                         daemon=True).start()
    return proc


def _clean_up(spec: ServeSpec, proc: subprocess.Popen[bytes] | None,
              proxy: ProxyClient | None, stopping: threading.Event) -> None:
    """However serving ended: the proxy's route first (nobody new is sent here), then Voila
    and its kernels, then the temporary folders."""
    if proxy is not None:
        stopping.set()
        with contextlib.suppress(WorkbookError):
            proxy.remove_route(spec.extra["prefix"])
            _say(f"Route {spec.extra['prefix']} removed from the proxy.", err=True)
    if proc is not None and proc.poll() is None:
        stop(proc, timeout=15)
    shutil.rmtree(spec.app_dir, ignore_errors=True)
    if spec.extra.get("kernel_dir"):
        shutil.rmtree(spec.extra["kernel_dir"], ignore_errors=True)


ROUTE_CHECK_S = 10.0


def _keep_route(proxy: ProxyClient, prefix: str, target: str, port: int, host: str,
                stopping: threading.Event) -> None:
    """Once the apps answer, keep `prefix` -> `target` in the proxy while they run: added at
    the start, and added again should the proxy restart (it keeps routes in memory only)."""
    if not wait_until_up(port, host, timeout=120):
        return
    failing = False
    while not stopping.is_set():
        try:
            if proxy.routes().get(prefix) != target:
                proxy.add_route(prefix, target)
                _say(f"Route {prefix} -> {target} added to the proxy at {proxy.api}.")
            if failing:
                _say("The proxy answers again.")
            failing = False
        except WorkbookError as exc:
            if not failing:
                _say(f"warning: {exc} Respondents cannot reach this server through the "
                     f"proxy until it answers; retrying every {ROUTE_CHECK_S:g} s.", err=True)
            failing = True
        stopping.wait(ROUTE_CHECK_S)


OWN_LINE = re.compile(rb"^\d\d:\d\d:\d\d  ")


def _relay(proc: subprocess.Popen[bytes], stopping: threading.Event, verbose: bool) -> None:
    """Pass Voila's log on to our stderr. Once a stop has begun, only the workbook's own lines
    pass (kernels being shut down in the middle of a pre-heat say so with tracebacks that
    mean nothing to a facilitator), unless --verbose."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if stopping.is_set() and not verbose and not OWN_LINE.match(line):
            continue
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.buffer.write(line)
            sys.stderr.buffer.flush()


def _port_free(host: str, port: int) -> bool:
    target = "127.0.0.1" if host in ("0.0.0.0", "", "localhost") else host
    with contextlib.suppress(OSError), socket.create_connection((target, port), timeout=1):
        return False
    return True


def _announce(spec: ServeSpec, port: int, host: str, no_browser: bool,
              stopping: threading.Event) -> None:
    """Say when the apps answer, and open the dashboard where there is a screen."""
    if not wait_until_up(port, host, timeout=120) or stopping.is_set():
        return
    _say(f"Ready on {spec.base_url} (Ctrl-C stops the apps and their kernels).")
    has_screen = sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not no_browser and has_screen:
        webbrowser.open(links(spec)["dashboard"])
