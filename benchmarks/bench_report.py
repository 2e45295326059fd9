"""Report benchmarks, each against a baseline measured in the same run.

1. One HTML report (`python -m workbook_helpers report ENG --format html --jobs 1`,
   a fresh process, as a consultant runs it) against papermill's own floor: the papermill CLI
   running a one-cell notebook. Goal: at most 1.5x the floor.
2. A batch of 20 HTML reports (`--jobs 2`) against the naive loop a consultant would write:
   for each engagement, the `papermill` CLI then the `jupyter nbconvert --to html` CLI.
   Goal: at least 4x faster (ratio <= 0.25x).

BENCH_REPORT_NAIVE_N (default 20) runs only that many naive iterations and scales the time
to 20 (the naive loop is sequential and per-engagement, so it scales linearly); the row
name says when it did.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goals import Row

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "report.ipynb"
ONE_REPORT_GOAL = 1.5   # x papermill on an empty notebook
BATCH_GOAL = 0.25       # x the naive CLI loop
BATCH = 20


def _seed(data: Path, n: int) -> list[str]:
    """A store with `n` copies of the demo engagement (demo answers, distinct ids)."""
    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo.baseline import HOST_ORG, PARTNER_ORG, PEOPLE, demo_answers
    from workbook_helpers.store import Store

    store = Store.open(f"sqlite:///{data / 'workbook.db'}")
    bank = load_bank()
    base = demo_answers(bank)
    ids = [f"bench-{i:02d}" for i in range(1, n + 1)]
    for eng in ids:
        store.create_engagement(eng, HOST_ORG, PARTNER_ORG, title=f"Benchmark {eng}",
                                bank_version=bank.version)
        for p in PEOPLE:
            store.add_respondent(eng, p.id, p.name, p.side, p.role)
        store.import_answers(base.assign(engagement=eng), source="bench",
                             bank_version=bank.version)
    store.close()
    return ids


def _time(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=1800)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... failed ({proc.returncode}):\n"
                           f"{proc.stderr[-3000:]}")
    return took


def _empty_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


def run() -> list[Row]:
    """Measure both benchmarks."""
    naive_n = max(1, min(BATCH, int(os.environ.get("BENCH_REPORT_NAIVE_N", BATCH))))
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        work = Path(tmp)
        data = work / "data"
        data.mkdir()
        ids = _seed(data, BATCH)
        env = {**os.environ, "WORKBOOK_DATA_DIR": str(data)}
        env.pop("WORKBOOK_DATABASE_URL", None)
        papermill = str(BIN / "papermill")
        _empty_notebook(work / "empty.ipynb")
        batch = [sys.executable, "-m", "workbook_helpers", "report"]

        # warm the OS file cache and .pyc files once, for both sides alike
        _time([papermill, "empty.ipynb", "empty-out.ipynb"], env, work)
        _time([*batch, ids[0], "--format", "html", "--jobs", "1", "--out", "warm"], env, work)

        floor = min(_time([papermill, "empty.ipynb", "empty-out.ipynb"], env, work)
                    for _ in range(3))
        one = min(_time([*batch, ids[0], "--format", "html", "--jobs", "1", "--out",
                         f"one-{i}"], env, work) for i in range(3))

        ours = _time([*batch, *ids, "--format", "html", "--jobs", "2", "--out", "batch"],
                     env, work)
        if len(list((work / "batch").glob("*.html"))) != BATCH:
            raise RuntimeError("the batch did not write every report")

        naive_dir = work / "naive"
        naive_dir.mkdir()
        start = time.perf_counter()
        for eng in ids[:naive_n]:
            out = naive_dir / f"{eng}.ipynb"
            _time([papermill, str(NOTEBOOK), str(out), "-p", "engagement", eng], env, work)
            _time([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                   str(out)], env, work)
        naive = (time.perf_counter() - start) * BATCH / naive_n
        shutil.rmtree(naive_dir, ignore_errors=True)

        warm = _warm_report(data, ids[1:4])

    scaled = "" if naive_n == BATCH else f" (naive: {naive_n} run, scaled to {BATCH})"
    return [
        Row("report: one HTML report (cold) vs papermill floor", one, floor,
            max_ratio=ONE_REPORT_GOAL, note="baseline: papermill CLI on a one-cell notebook"),
        Row(f"report: batch of {BATCH} HTML vs naive CLI loop{scaled}", ours, naive,
            max_ratio=BATCH_GOAL, note=">= 4x faster"),
        Row("report: one HTML report in a warm worker vs floor", warm, floor,
            note="marginal cost"),
    ]


def _warm_report(data: Path, ids: list[str]) -> float:
    """Median time of one HTML report once a worker is warm (kernel, exporter loaded)."""
    from workbook_helpers.report.html import notebook_to_html
    from workbook_helpers.report.notebook import WarmKernel, run_report_notebook

    url = f"sqlite:///{data / 'workbook.db'}"
    kernel = WarmKernel()
    times = []
    try:
        with tempfile.TemporaryDirectory() as out:
            for i, eng in enumerate(["bench-01", *ids]):
                start = time.perf_counter()
                nb = run_report_notebook(Path(out) / f"{eng}.ipynb",
                                         {"engagement": eng, "database_url": url},
                                         kernel=kernel)
                (Path(out) / f"{eng}.html").write_text(notebook_to_html(nb, eng))
                if i:  # the first run warms up
                    times.append(time.perf_counter() - start)
    finally:
        kernel.shutdown()
    return sorted(times)[len(times) // 2]


if __name__ == "__main__":
    for r in run():
        print(f"{r.name:60} {r.measured:8.2f}s {r.baseline:8.2f}s {r.ratio:6.2f}x  {r.goal()} "
              f"{'ok' if r.ok else 'MISSED'}")
