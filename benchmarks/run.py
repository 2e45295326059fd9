"""Run every benchmark and print a table of figures, each as a ratio against a baseline
measured in the same run. Usage: `make bench` (or `python benchmarks/run.py [core apps report]`).
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SUITES = {"core": "bench_core", "store": "bench_store", "apps": "bench_apps",
          "report": "bench_report"}


def main(argv: list[str]) -> int:
    chosen = argv or list(SUITES)
    rows = []
    failed = []
    for name in chosen:
        try:
            module = importlib.import_module(SUITES[name])
        except ModuleNotFoundError as exc:
            if exc.name == SUITES[name]:
                print(f"(suite {name}: not present yet)")
                continue
            raise
        try:
            rows.extend(module.run())
        except Exception:
            failed.append(name)
            traceback.print_exc()
    print()
    head = f"{'benchmark':44} {'measured':>10} {'baseline':>10} {'ratio':>8}  goal"
    print(head)
    print("-" * len(head) + "-" * 16)
    for name, measured, baseline, goal in rows:
        ratio = measured / baseline if baseline > 0 else float("nan")
        print(f"{name:44} {measured:>9.3f}s {baseline:>9.3f}s {ratio:>7.2f}x  {goal}")
    if failed:
        print(f"\nsuites that failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
