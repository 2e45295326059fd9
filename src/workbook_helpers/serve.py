"""`workbook serve`: run the Voila workshop apps on the store from the environment.

Binds 127.0.0.1 by default. Binding anywhere else turns on a facilitator key (generated unless
given as `token`): setup and dashboard then need `?key=...`, and respondents only ever get
their own unguessable personal link. Only the three app notebooks are served (copied to a
private folder), with the repo's voila.json and the `workbook` template.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path

from .config import DATA_DIR_ENV, DATABASE_URL_ENV, data_dir, repo_root

APP_NOTEBOOKS = ("questionnaire.ipynb", "dashboard.ipynb", "setup.ipynb")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


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


def _root() -> Path:
    root = repo_root()
    if root is None:
        raise FileNotFoundError("workbook serve runs from a source checkout (notebooks/, "
                                "templates/voila/ and voila.json are needed).")
    return root


def prepare(port: int = 8866, host: str = "127.0.0.1", token: str | None = None,
            app_dir: Path | None = None, no_browser: bool = True) -> ServeSpec:
    """Build the Voila command line and environment (also used by the browser tests)."""
    root = _root()
    app_dir = app_dir or Path(tempfile.mkdtemp(prefix="workbook-apps-"))
    app_dir.mkdir(parents=True, exist_ok=True)
    for name in APP_NOTEBOOKS:
        shutil.copy2(root / "notebooks" / name, app_dir / name)
    env = dict(os.environ)
    if not env.get(DATABASE_URL_ENV):
        env[DATA_DIR_ENV] = str(data_dir().resolve())
    template_root = root / "templates" / "voila" / "share" / "jupyter"
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(template_root), env.get("JUPYTER_PATH", "")) if p)
    key = token or ("" if host in LOOPBACK else secrets.token_urlsafe(24))
    if key:
        env["WORKBOOK_FACILITATOR_KEY"] = key
    else:
        env.pop("WORKBOOK_FACILITATOR_KEY", None)
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    base = env.get("WORKBOOK_PUBLIC_URL") or f"http://{shown}:{port}"
    env["WORKBOOK_PUBLIC_URL"] = base
    env.setdefault("PYTHONUNBUFFERED", "1")
    argv = [sys.executable, "-m", "voila", str(app_dir), f"--port={port}",
            f"--Voila.ip={host}", "--Voila.open_browser=False"]
    return ServeSpec(argv, env, root, app_dir, base, key)


def links(spec: ServeSpec, engagement: str = "demo") -> dict[str, str]:
    """Facilitator URLs and each respondent's personal link for one engagement."""
    from .apps.links import facilitator_link, respondent_link

    out = {"setup": facilitator_link("setup", engagement, spec.facilitator_key, spec.base_url),
           "dashboard": facilitator_link("dashboard", engagement, spec.facilitator_key,
                                         spec.base_url)}
    try:
        from .store import Store

        old = {k: os.environ.get(k) for k in (DATA_DIR_ENV,)}
        os.environ[DATA_DIR_ENV] = spec.env.get(DATA_DIR_ENV, old[DATA_DIR_ENV] or "data")
        try:
            store = Store.open()
            if store.has_engagement(engagement):
                for who in store.respondents(engagement):
                    out[f"{who.name} ({who.side}, {who.role})"] = respondent_link(
                        who.token, spec.base_url)
            store.close()
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
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


def stop(proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 20.0) -> None:
    """Stop a Voila process politely, and forcibly if it does not go in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def serve(port: int = 8866, no_browser: bool = False, host: str = "127.0.0.1",
          token: str | None = None) -> int:
    """Start Voila on the workshop apps, print the links, and return Voila's exit code."""
    spec = prepare(port=port, host=host, token=token)
    if host not in LOOPBACK:
        print(f"Serving beyond this machine on {host}: facilitator pages need the key below; "
              "respondents need their personal links.", file=sys.stderr)
    print("Alliance Workbook is starting. Links:")
    for label, url in links(spec).items():
        print(f"  {label}: {url}")
    proc = subprocess.Popen(spec.argv, env=spec.env, cwd=spec.cwd)
    has_screen = sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not no_browser and has_screen:
        def _open() -> None:
            if wait_until_up(port, host):
                webbrowser.open(links(spec)["dashboard"])
        threading.Thread(target=_open, daemon=True).start()
    try:
        return proc.wait()
    except KeyboardInterrupt:
        stop(proc, timeout=10)
        return 0
    finally:
        shutil.rmtree(spec.app_dir, ignore_errors=True)
