"""Run every benchmark and print a table of figures, each against a baseline measured in the
same run and checked against its numeric goal. Exits 1 when any figure misses its goal or a
suite fails, so that a regression is seen. Usage: `make bench` (or
`python benchmarks/run.py [core store apps report portfolio]`).
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from goals import Row

SUITES = {"core": "bench_core", "store": "bench_store", "apps": "bench_apps",
          "report": "bench_report", "portfolio": "bench_portfolio", "room": "bench_room"}


def main(argv: list[str]) -> int:
    chosen = argv or list(SUITES)
    unknown = [n for n in chosen if n not in SUITES]
    if unknown:
        print(f"unknown suite(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    rows: list[Row] = []
    failed = []
    for name in chosen:
        module = importlib.import_module(SUITES[name])
        try:
            rows.extend(module.run())
        except Exception:
            failed.append(name)
            traceback.print_exc()
    print()
    head = (f"{'benchmark':60} {'measured':>10} {'baseline':>10} {'ratio':>8}  {'result':6}  "
            "goal")
    print(head)
    print("-" * (len(head) + 30))
    for r in rows:
        result = ("ok" if r.ok else "MISSED") if r.checked else "info"
        unit = {"s": "s", "": " "}.get(r.unit, " " + r.unit)
        print(f"{r.name:60} {r.measured:>9.3f}{unit} {r.baseline:>9.3f}{unit} {r.ratio:>7.2f}x  "
              f"{result:6}  {r.goal()}")
    missed = [r.name for r in rows if r.checked and not r.ok]
    if missed:
        print(f"\n{len(missed)} figure(s) missed their goal: {'; '.join(missed)}")
    if failed:
        print(f"\nsuites that failed: {', '.join(failed)}")
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
