"""Store under load: 20 respondent processes x 40 answers (some changed twice) on SQLite and,
when a server can be started, PostgreSQL. Baseline: one writer alone on the same backend."""

from __future__ import annotations

import statistics
import tempfile
import time

from goals import Row

P95_GOAL = 0.5  # seconds


def _alone(url: str, saves: int = 200) -> float:
    """Median latency of one save with nobody else writing."""
    from workbook_helpers.store import Store

    s = Store.open(url)
    s.create_engagement("alone", "A", "B")
    s.add_respondent("alone", "solo", "Solo", "host")
    lat = []
    for i in range(saves):
        t = time.perf_counter()
        s.record_answer("alone", "solo", "ctl-governance", 1 + i % 5)
        lat.append(time.perf_counter() - t)
    s.close()
    return statistics.median(lat)


def _load_row(label: str, url: str) -> Row:
    from workbook_helpers.bank import load_bank
    from workbook_helpers.store.loadcheck import run_load

    questions = [q.id for q in load_bank().iter_ordered()][:40]
    alone = _alone(url)
    r = run_load(url, questions, respondents=20, change_every=5)
    name = (f"load {label}: {r.answers_per_second:.0f} saves/s, {r.retries} retries, "
            f"{len(r.errors)} errors; p95 save")
    # 20 writers at once queue on one store: a save may wait for the others, but the slowest
    # 5 % must stay well under a respondent's patience (the app retries in the background)
    return Row(name, r.p95, alone, max_seconds=P95_GOAL,
               note="baseline: one writer alone")


def run() -> list[Row]:
    """Load figures for each backend available here."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(_load_row("sqlite", f"sqlite:///{tmp}/bench.db"))
    from workbook_helpers.store import throwaway

    server, reason = throwaway.start()
    if server is None:
        print(f"(postgres load skipped: {reason})")
        return rows
    try:
        rows.append(_load_row("postgres", server.base_url + server.create_db()))
    finally:
        if callable(server.stop):
            server.stop()
    return rows
