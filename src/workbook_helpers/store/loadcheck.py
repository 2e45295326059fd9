"""A load check for a store: many respondents saving at once from separate processes.

Used by the tests and `make bench`, and by anyone checking a shared PostgreSQL before a
workshop: `python -m workbook_helpers.store.loadcheck [URL]`.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
from dataclasses import dataclass, field
from typing import Any

ENGAGEMENT = "load-check"


@dataclass
class LoadReport:
    """What a load check saw: counts, retries, latencies and any error a respondent met."""

    respondents: int
    saves: int
    seconds: float
    retries: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def answers_per_second(self) -> float:
        """Saves per second over the whole run."""
        return self.saves / self.seconds if self.seconds else 0.0

    @property
    def p95(self) -> float:
        """95th percentile of one save's latency, in seconds."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def plan(respondent: int, questions: list[str], change_every: int) -> list[tuple[str, int]]:
    """The saves one respondent makes: one per question, every n-th question changed twice."""
    saves = []
    for i, q in enumerate(questions):
        first = 1 + (respondent + i) % 5
        saves.append((q, first))
        if change_every and i % change_every == 0:
            saves.append((q, 1 + (first % 5)))
            saves.append((q, 1 + ((first + 1) % 5)))
    return saves


def _session(args: tuple[str, int, list[str], int, Any]) -> dict[str, Any]:
    url, n, questions, change_every, start_at = args
    from .store import Store

    store = Store.open(url, upgrade=False)
    latencies: list[float] = []
    errors: list[str] = []
    while time.time() < start_at:  # start together
        time.sleep(0.005)
    for qid, value in plan(n, questions, change_every):
        t = time.perf_counter()
        try:
            store.record_answer(ENGAGEMENT, f"r{n:02d}", qid, value, comment=f"r{n}")
        except Exception as exc:  # reported, not raised: the check counts them
            errors.append(f"r{n:02d} {qid}: {type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - t)
    store.close()
    return {"latencies": latencies, "errors": errors, "retries": store.retries}


def run_load(url: str, questions: list[str], respondents: int = 20,
             change_every: int = 5) -> LoadReport:
    """Save every respondent's answers concurrently from separate processes."""
    from .store import Store

    store = Store.open(url)
    if store.has_engagement(ENGAGEMENT):
        store.delete_engagement(ENGAGEMENT)
    store.create_engagement(ENGAGEMENT, "Load Host", "Load Partner")
    for n in range(respondents):
        store.add_respondent(ENGAGEMENT, f"r{n:02d}", f"Respondent {n}",
                             "host" if n % 2 == 0 else "partner", "Load")
    store.close()
    # separate processes (each its own connections, as separate visitors' kernels have), forked
    # from a server that imported the store once: spawning each one imported it again
    # (0.4 s of CPU per respondent); the server is started fresh, with no thread or open
    # connection of this process to inherit
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([f"{__package__}.store"])
    start_at = time.time() + 2.0 + 0.1 * respondents  # time for the processes to start
    jobs = [(url, n, questions, change_every, start_at) for n in range(respondents)]
    with ctx.Pool(respondents) as pool:
        results = pool.map(_session, jobs)
    seconds = max(time.time() - start_at, 1e-9)
    lat = [x for r in results for x in r["latencies"]]
    return LoadReport(respondents, len(lat), seconds, sum(r["retries"] for r in results), lat,
                      [e for r in results for e in r["errors"]])


def main(argv: list[str]) -> int:
    """Run a load check against `argv[0]` (or the configured store) and print the figures."""
    from ..bank import load_bank

    url = argv[0] if argv else None
    from ..config import database_url

    target = database_url(url)
    questions = [q.id for q in load_bank().iter_ordered()][:40]
    report = run_load(target, questions)
    print(f"{report.saves} saves by {report.respondents} respondents in {report.seconds:.1f}s: "
          f"{report.answers_per_second:.0f}/s, {report.retries} retries, "
          f"p95 {report.p95 * 1000:.0f} ms, {len(report.errors)} errors")
    for e in report.errors[:10]:
        print("  " + e)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
