"""The wheel works on its own: built with `python -m build`, installed into a fresh virtual
environment outside the checkout, and run from another working folder, it finds its bank,
notebooks, templates and migrations, writes every report format and serves the apps."""

from __future__ import annotations

import html
import importlib.metadata
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pypdf import PdfReader

from tests.conftest import ROOT, run_cli
from workbook_helpers.store import Store

pytestmark = pytest.mark.slow


@dataclass
class Installed:
    wheel: Path
    venv: Path
    work: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        # the timeout only guards a hang: a report on a busy machine takes minutes
        return subprocess.run([str(self.venv / "bin" / "workbook"), *args], cwd=self.work,
                              env=self.env, capture_output=True, text=True, timeout=timeout)


def _requirements(dist: importlib.metadata.Distribution, extras: set[str]) -> list[Requirement]:
    """The requirements `dist` declares for this platform with the given extras."""
    out = []
    for line in dist.requires or []:
        req = Requirement(line)
        if req.marker is None or any(req.marker.evaluate({"extra": e})
                                     for e in (extras or {""})):
            out.append(req)
    return out


def _closure(wheel_dist: importlib.metadata.Distribution) -> list[importlib.metadata.Distribution]:
    """The installed distributions the wheel's declared requirements need, transitively (the
    test's own environment resolves them; a requirement it cannot meet fails here)."""
    seen: dict[str, importlib.metadata.Distribution] = {}
    todo = [(req, set(req.extras)) for req in _requirements(wheel_dist, set())]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            pytest.fail(f"the wheel requires {req}, which is not installed here")
        assert req.specifier.contains(dist.version, prereleases=True), (str(req), dist.version)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen[key] = dist
        todo.extend((r, set(r.extras)) for r in _requirements(dist, extras))
    unique = {canonicalize_name(d.metadata["Name"]): d for d in seen.values()}
    return list(unique.values())


def _top_level(dist: importlib.metadata.Distribution) -> set[str]:
    """The names `dist` puts directly in its site-packages (packages, modules, dist-info)."""
    return {f.parts[0] for f in dist.files or [] if f.parts[0] not in ("..", "__pycache__")}


def _venv_of_the_closure(venv: Path, dists: list[importlib.metadata.Distribution]) -> None:
    """Fill the fresh venv with symbolic links to exactly the files of `dists` (their RECORD):
    their packages in site-packages (a whole folder where no other installed distribution
    shares it), their data under share/ and etc/ (Jupyter's kernel specs, Voila's templates,
    the server extensions' config). Their scripts in bin/ are left out (they would start this
    environment's Python). Nothing else is importable, so a dependency the wheel forgot to
    declare fails the tests as in a venv that pip filled from the index, without the minutes
    pip spends resolving and unpacking ~130 wheels."""
    prefix = Path(sys.prefix).resolve()
    site = venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    owners: dict[str, int] = {}
    for d in importlib.metadata.distributions():
        for name in _top_level(d):
            owners[name] = owners.get(name, 0) + 1

    def link(src: Path, dest: Path) -> None:
        if not (dest.exists() or dest.is_symlink()):
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.symlink_to(src)

    for dist in dists:
        here = Path(str(dist.locate_file(""))).resolve()
        whole = {n for n in _top_level(dist) if owners.get(n) == 1}
        for name in whole:
            link(here / name, site / name)
        for f in dist.files or []:
            if f.parts[0] in whole or f.parts[0] == "__pycache__":
                continue
            src = (here / f).resolve(strict=False)
            if not src.is_file():
                continue
            try:
                rel = src.relative_to(prefix)
            except ValueError:
                continue  # outside this environment (an editable install's source)
            if rel.parts[0] == "bin":
                continue
            if "site-packages" in rel.parts:
                link(src, site / Path(*rel.parts[rel.parts.index("site-packages") + 1:]))
            else:
                link(src, venv / rel)


@pytest.fixture(scope="module")
def installed() -> Iterator[Installed]:
    # a private folder outside the checkout (and not under it, so nothing can fall back on
    # the checkout's files)
    base = Path(tempfile.mkdtemp(prefix="wb-wheel-"))
    assert ROOT not in base.parents
    try:
        dist = base / "dist"
        # the source distribution first, then the wheel from it (what `python -m build` does):
        # this checks MANIFEST.in too, and leaves no build/ folder in the checkout
        # with uv where `make` installed it (the isolated build environments in a second,
        # not pip's half a minute), as `make wheel` does
        installer = ["--installer", "uv"] if importlib.util.find_spec("uv") else []
        built = subprocess.run([sys.executable, "-m", "build", *installer, "--outdir",
                                str(dist), str(ROOT)], capture_output=True, text=True,
                               timeout=600)
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        wheel = next(dist.glob("alliance_workbook-*.whl"))
        venv = base / "venv"
        # nothing of the caller's Python set-up: with PYTHONPATH pointing at a checkout's src/
        # (where building the sdist leaves an .egg-info), pip would find the package
        # "already installed" and install nothing
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("WORKBOOK_", "PYTHON", "VIRTUAL_ENV", "JUPYTER"))}
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                       timeout=300, env=env)
        # the wheel's declared dependencies (read from the wheel itself), transitively, linked
        # in from this environment (docs/decisions.md, "Tests in half the time")
        meta = base / "meta"
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(meta, [n for n in zf.namelist() if ".dist-info/" in n])
        wheel_dist = next(importlib.metadata.distributions(path=[str(meta)]))
        _venv_of_the_closure(venv, _closure(wheel_dist))
        # pip itself (this environment's, run with the venv's Python) installs the wheel
        python = str(venv / "bin" / "python")
        pip = subprocess.run([sys.executable, "-m", "pip", "--python", python, "install",
                              "--quiet", "--no-deps", "--no-index", str(wheel)],
                             capture_output=True, text=True, timeout=600, env=env)
        assert pip.returncode == 0, pip.stderr[-3000:]
        assert (venv / "bin" / "workbook").exists(), pip.stdout[-3000:]
        # every requirement of every installed distribution is met inside the venv
        check = subprocess.run([sys.executable, "-m", "pip", "--python", python, "check"],
                               capture_output=True, text=True, timeout=300, env=env)
        assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
        work = base / "elsewhere"
        work.mkdir()
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["HOME"] = str(base)  # no user-level kernels or config from the real home
        yield Installed(wheel, venv, work, env)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_the_wheel_carries_bank_notebooks_templates_and_migrations(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for must in ("workbook_helpers/data/templates/question_bank.yaml",
                 "workbook_helpers/data/notebooks/report.ipynb",
                 "workbook_helpers/data/notebooks/questionnaire.ipynb",
                 "workbook_helpers/data/notebooks/portfolio.ipynb",
                 "workbook_helpers/data/templates/report/index.html.j2",
                 "workbook_helpers/data/templates/sections/report/trend.html.j2",
                 "workbook_helpers/data/templates/sections/report/action_plan.html.j2",
                 "workbook_helpers/data/templates/sections/apps/verdict_card.html.j2",
                 "workbook_helpers/data/templates/sections/shared/_macros.html.j2",
                 "workbook_helpers/data/templates/voila/share/jupyter/voila/templates/"
                 "workbook/index.html.j2",
                 "workbook_helpers/data/voila.json",
                 "workbook_helpers/store/migrations/env.py",
                 "workbook_helpers/store/migrations/versions/0001_initial.py"):
        assert must in names, must
    # every section template of the checkout is in the wheel
    sections = ROOT / "templates" / "sections"
    for path in sections.rglob("*.html.j2"):
        name = "workbook_helpers/data/templates/sections/" + path.relative_to(sections).as_posix()
        assert name in names, name
    code = ("import workbook_helpers.config as c; print(c.data_root()); "
            "print(c.default_bank_path()); import workbook_helpers.presenting.templating as t; "
            "print(t.template_dir()); print(t.render('report/action_plan.html.j2', plan=[]))")
    out = subprocess.run([str(installed.venv / "bin" / "python"), "-c", code],
                         cwd=installed.work, env=installed.env, capture_output=True, text=True,
                         check=True).stdout
    assert str(ROOT) not in out
    assert str(installed.venv) in out
    # the section templates are read from the installed package, and render
    assert "templates/sections" in out and 'class="wb-sec wb-sec-actions"' in out


def test_the_wheel_runs_demo_score_and_every_report_format(installed, monkeypatch):
    demo = installed.run("demo")
    assert demo.returncode == 0, demo.stderr
    data = installed.work / "data"  # ./data of the working folder
    store = Store.open(f"sqlite:///{data / 'workbook.db'}", upgrade=False)
    try:
        title = dict(zip(store.engagements()["engagement"], store.engagements()["title"],
                         strict=True))["demo"]
    finally:
        store.close()
    score = installed.run("score", "demo", "--format", "json")
    assert score.returncode == 0, score.stderr
    # the installed package scores the store exactly as the checkout's source does
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(data))
    monkeypatch.delenv("WORKBOOK_DATABASE_URL", raising=False)
    mine = run_cli("score", "demo", "--format", "json")
    assert mine.code == 0, mine.err
    assert json.loads(score.stdout) == json.loads(mine.out)
    assert json.loads(score.stdout)["verdict"] in ("fit", "conditional", "no-fit")
    rep = installed.run("report", "demo", "--format", "html,pdf,xlsx", "--jobs", "1")
    assert rep.returncode == 0, rep.stdout + rep.stderr
    for ext, magic in (("html", b"<!DOCTYPE html"), ("pdf", b"%PDF"), ("xlsx", b"PK")):
        f = installed.work / "reports" / f"demo.{ext}"
        assert f.exists(), ext
        assert f.read_bytes()[:20].lstrip().upper().startswith(magic.upper()), ext
    reports = installed.work / "reports"
    assert html.escape(title, quote=False) in (reports / "demo.html").read_text("utf-8")
    pdf = PdfReader(str(reports / "demo.pdf"))
    assert len(pdf.pages) >= 2
    assert "Halvorsen Robotics" in " ".join((pg.extract_text() or "") for pg in pdf.pages[:2])
    book = load_workbook(reports / "demo.xlsx", read_only=True)
    cells = {str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True)
             for c in r if c is not None}
    book.close()
    assert len(book.sheetnames) >= 2 and any("Halvorsen Robotics" in c for c in cells)


def test_the_wheel_serves_the_apps_and_stops_cleanly(installed):
    assert installed.run("demo").returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = installed.work / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(installed.venv / "bin" / "workbook"), "serve",
                                 "--no-browser", "--port", str(port)], cwd=installed.work,
                                env=installed.env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        page = b""
        while time.monotonic() < deadline and not page:
            assert proc.poll() is None, log.read_text()
            try:
                url = f"http://127.0.0.1:{port}/voila/render/dashboard.ipynb?engagement=demo"
                page = urllib.request.urlopen(url, timeout=60).read()
            except OSError:
                time.sleep(0.5)
        assert page, log.read_text()
        assert b"wb-" in page or b"workbook" in page.lower()  # the workbook template
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
