"""How long a fresh clone's `make test` takes, against a baseline commit measured in the same run.

    python benchmarks/bench_tests.py [--baseline REV] [--candidate REV] [--order base-first]

Each commit is cloned into its own fresh folder (a path with a space, as a newcomer's might
be) and `CI=true bash .ci/run` runs there from nothing: venv, install, system packages,
lint, types, every test lane, notebooks. The wall time and the pass/fail of each are printed,
then the candidate's time as a ratio of the baseline's. Issue 20's goal: at most 0.5.
Run it on a quiet machine: both runs share it, so other work slows both, but not equally.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# the commit before issue 20's test lanes (session 5 measured it at 892 s on this machine)
BASELINE = "cf8dab7"


def _passed(log: str) -> str:
    """The pytest summary lines of a run's log (what ran, what passed)."""
    found = re.findall(r"^=*\s*(\d+ (?:passed|failed).*?)\s*=*$", log, flags=re.MULTILINE)
    return "; ".join(found[-4:]) or "no pytest summary"


def run_clone(rev: str, where: Path) -> tuple[float, int, str]:
    """Clone `rev` into `where` and time its CI entry point; returns seconds, exit code, summary."""
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(where)], check=True)
    subprocess.run(["git", "-C", str(where), "checkout", "--quiet", rev], check=True)
    env = {**os.environ, "CI": "true"}
    for name in list(env):
        if name.startswith("WORKBOOK_") or name == "PYTHONPATH":
            env.pop(name)
    start = time.monotonic()
    done = subprocess.run(["bash", ".ci/run"], cwd=where, env=env, capture_output=True,
                          text=True, check=False)
    seconds = time.monotonic() - start
    (where.parent / f"{rev}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    return seconds, done.returncode, _passed(done.stdout)


def main() -> int:
    """Time the baseline and the candidate one after the other and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--candidate", default="HEAD")
    parser.add_argument("--order", choices=["base-first", "candidate-first"],
                        default="candidate-first")
    args = parser.parse_args()
    candidate = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", args.candidate],
                               capture_output=True, text=True, check=True).stdout.strip()
    order = [args.baseline, candidate]
    if args.order == "candidate-first":
        order.reverse()
    results: dict[str, tuple[float, int, str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench tests ") as tmp:
        for rev in order:
            results[rev] = run_clone(rev, Path(tmp) / f"clone {rev}")
            seconds, code, summary = results[rev]
            print(f"{rev}: {seconds:.0f} s, exit {code}; {summary}", flush=True)
            if code != 0:
                print((Path(tmp) / f"{rev}.log").read_text(encoding="utf-8")[-3000:])
    base, cand = results[args.baseline][0], results[candidate][0]
    print(f"fresh-clone make test: baseline {args.baseline} {base:.0f} s, candidate "
          f"{candidate} {cand:.0f} s, ratio {cand / base:.2f} (goal <= 0.50)")
    return 0 if all(code == 0 for _, code, _ in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
