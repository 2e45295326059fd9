"""Foundation benchmarks: portfolio scoring and the package's import cost."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from goals import Row


def synthetic_portfolio(engagements: int = 1000, respondents: int = 12,
                        questions: int = 40, seed: int = 7) -> tuple[pd.DataFrame, object]:
    """A portfolio of answers shaped like real workshops (half host, half partner)."""
    from workbook_helpers.bank import load_bank

    bank = load_bank()
    # round-robin over the lists, so that every list (and the structure evidence) is answered
    by_list = [bank.questions_in(lid) for lid in bank.list_ids()]
    qids = []
    for i in range(max(len(b) for b in by_list)):
        qids += [b[i].id for b in by_list if i < len(b)]
    qids = qids[:questions]
    rng = np.random.default_rng(seed)
    n = engagements * respondents * len(qids)
    eng = np.repeat([f"eng-{i:04d}" for i in range(engagements)], respondents * len(qids))
    resp_idx = np.tile(np.repeat(np.arange(respondents), len(qids)), engagements)
    values = rng.integers(1, 6, size=n).astype("float64")
    dk = rng.random(n) < 0.03
    frame = pd.DataFrame({
        "engagement": eng,
        "respondent": np.char.add("r", resp_idx.astype(str)),
        "side": np.where(resp_idx < respondents // 2, "host", "partner"),
        "role": "Lead",
        "question_id": np.tile(qids, engagements * respondents),
        "value": pd.array(np.where(dk, np.nan, values), dtype="Int64"),
        "dont_know": dk,
        "comment": "",
    })
    return frame, bank


def _best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_scoring() -> list[Row]:
    """Scoring 1,000 engagements x 12 respondents x 40 questions, against a bare groupby-mean.

    The first row is the vectorised engine (every score, flag, form, readiness and verdict);
    the second adds building the typed result and the full JSON document of every engagement.
    """
    from workbook_helpers.scoring import portfolio_summary, score_portfolio

    frame, bank = synthetic_portfolio()
    score_portfolio(frame.head(2000), bank)  # warm caches and imports
    baseline = _best(lambda: frame.assign(v=frame["value"].astype("float64"))
                     .groupby(["engagement", "side", "question_id"])["v"].mean())
    engine = _best(lambda: portfolio_summary(frame, bank), repeat=3)
    full = _best(lambda: [r.to_dict() for r in score_portfolio(frame, bank).values()],
                 repeat=2)
    return [Row("score portfolio 1000x12x40 (verdicts)", engine, baseline, max_seconds=1.0),
            Row("  ... plus 1000 full result documents", full, baseline, max_seconds=1.5)]


def _interpreter(code: str, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_import() -> Row:
    """`import workbook_helpers` against a bare interpreter start."""
    bare = _interpreter("pass")
    pkg = _interpreter("import workbook_helpers")
    return Row("import workbook_helpers (process)", pkg, bare, max_over=0.3,
               note="baseline: a bare interpreter")


def bench_robustness() -> Row:
    """The robustness check of the demo engagement, against scoring it without the check."""
    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo.baseline import demo_answers
    from workbook_helpers.domain import current_answers
    from workbook_helpers.scoring import score_portfolio

    bank = load_bank()
    answers = current_answers(demo_answers(bank), order="row")
    score_portfolio(answers, bank, robustness=True)  # warm up
    plain = _best(lambda: score_portfolio(answers, bank), repeat=7)
    checked = _best(lambda: score_portfolio(answers, bank, robustness=True), repeat=7)
    return Row("robustness check of one engagement (demo)", checked - plain, plain,
               max_seconds=0.05, note="measured: the check's own cost")


def run() -> list[Row]:
    """All foundation benchmark rows."""
    return [*bench_scoring(), bench_robustness(), bench_import()]
