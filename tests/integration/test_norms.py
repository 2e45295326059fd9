"""Norms against the portfolio: percentiles of one engagement's list scores among the other
engagements' latest rounds on the same bank version, checked against a direct computation on
12 generated engagements; nothing below 5 others; no engagement named."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run_cli
from workbook_helpers.scoring.norms import MIN_OTHERS, percentile
from workbook_helpers.store import Store


def _generate(store: Store, bank, n: int, seed: int = 7) -> list[str]:
    """`n` engagements of 2 host and 2 partner respondents with random answers, each
    engagement leaning its own way so that scores spread."""
    rng = np.random.default_rng(seed)
    ids = []
    for i in range(n):
        eng = f"gen-{i:02d}"
        ids.append(eng)
        lean = rng.uniform(-1.5, 1.5, size=2)
        rows = []
        for side_no, side in enumerate(("host", "partner")):
            for k in range(2):
                rid = f"{side}-{k}"
                for q in bank.questions:
                    lo, hi = q.scale.min, q.scale.max
                    mid = (lo + hi) / 2 + lean[side_no] + rng.normal(0, 0.8)
                    value = int(np.clip(round(mid), lo, hi))
                    rows.append({"engagement": eng, "respondent": rid, "side": side,
                                 "role": "", "name": rid, "question_id": q.id,
                                 "value": value, "dont_know": False, "comment": "",
                                 "answered_at": "", "about": "self", "round": ""})
        frame = pd.DataFrame(rows)
        frame["value"] = frame["value"].astype("Int64")
        store.import_answers(frame, bank_version=bank.version)
    return ids


def _direct(value: float, others: list[float]) -> float:
    """The percentile computed straight from its definition."""
    below = sum(1 for o in others if o < value)
    same = sum(1 for o in others if o == value)
    return 100.0 * (below + same / 2) / len(others)


def _score(eng: str) -> dict:
    res = run_cli("score", eng, "--format", "json")
    assert res.code == 0, res.err
    return json.loads(res.out)


def test_percentiles_match_a_direct_computation(store, bank):
    ids = _generate(store, bank, 12)
    docs = {e: _score(e) for e in ids}
    lists = list(docs[ids[0]]["dimensions"])
    assert lists and all(d["norms"].keys() == set(lists) for d in docs.values())
    checked = 0
    for eng in ids:
        norms = docs[eng]["norms"]
        for lid in lists:
            for side in ("host", "partner"):
                own = docs[eng]["dimensions"][lid][side]
                others = [docs[o]["dimensions"][lid][side] for o in ids if o != eng]
                others = [x for x in others if x is not None]
                got = norms[lid][side]
                if own is None or len(others) < MIN_OTHERS:
                    assert got is None
                    continue
                assert got["of"] == len(others) == 11
                assert got["percentile"] == pytest.approx(_direct(own, others), abs=0.051)
                assert 0 <= got["percentile"] <= 100
                checked += 1
    assert checked >= 12 * len(lists)  # most lists and sides have numbers
    # the scores spread: not every engagement sits at the same percentile
    spread = {docs[e]["norms"][lists[0]]["host"]["percentile"] for e in ids}
    assert len(spread) > 3
    # the norms command: counts and quantiles, never an engagement's id
    out = run_cli("norms", "--format", "json")
    assert out.code == 0, out.err
    assert not any(e in out.out for e in ids)
    doc = json.loads(out.out)
    assert doc["engagements"] == 12 and doc["version"] == bank.version
    row = next(r for r in doc["lists"] if (r["list"], r["side"]) == (lists[0], "partner"))
    scores = [docs[e]["dimensions"][lists[0]]["partner"] for e in ids]
    assert row["n"] == 12
    assert row["median"] == pytest.approx(float(np.percentile(scores, 50)), abs=0.051)
    assert row["p25"] == pytest.approx(float(np.percentile(scores, 25)), abs=0.051)
    csv_out = run_cli("norms", "--format", "csv").out.splitlines()
    assert csv_out[0] == "list,side,n,p10,p25,median,p75,p90" and len(csv_out) > 2
    table = run_cli("norms")
    assert table.code == 0 and not any(e in table.out for e in ids)


@pytest.mark.slow
def test_no_number_below_five_other_engagements(store, bank):
    def all_null(doc: dict) -> bool:
        return bool(doc["norms"]) and all(v is None for sides in doc["norms"].values()
                                          for v in sides.values())

    ids = _generate(store, bank, 4, seed=3)  # each has 3 others
    assert all_null(_score(ids[0]))
    out = json.loads(run_cli("norms", "--format", "json").out)
    assert all(r["median"] is None and r["n"] == 4 for r in out["lists"])
    assert "Too few engagements" in run_cli("norms").out
    # five engagements: the norm base has 5, but each engagement has only 4 others
    ids = _generate(store, bank, 5, seed=3)
    assert all(all_null(_score(e)) for e in ids)
    out = json.loads(run_cli("norms", "--format", "json").out)
    assert all(r["median"] is not None for r in out["lists"] if r["n"] >= 5)
    # a sixth engagement gives each 5 others: numbers appear
    sixth = _generate(store, bank, 6, seed=3)[-1]
    doc = _score(sixth)
    some = [v for sides in doc["norms"].values() for v in sides.values() if v is not None]
    assert some and all(v["of"] == 5 for v in some)


def test_a_csv_scored_without_the_store_has_no_norms(data_dir, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("engagement,respondent,side,role,question_id,value,comment\n"
                 "x,ann,host,,pri-rank,4,\n", encoding="utf-8")
    doc = json.loads(run_cli("score", str(f), "--format", "json").out)
    assert all(v is None for sides in doc["norms"].values() for v in sides.values())


def test_percentile_definition():
    assert percentile(50, [10, 20, 60, 70]) == 50.0
    assert percentile(5, [10, 20]) == 0.0 and percentile(99, [10, 20]) == 100.0
    assert percentile(20, [10, 20, 30, 40]) == pytest.approx(37.5)


def test_report_and_dashboard_show_norms_only_from_five_others(store, bank):
    from workbook_helpers.apps.dashboard import Dashboard
    from workbook_helpers.report import content
    from workbook_helpers.report.data import load_report_data

    ids = _generate(store, bank, 5, seed=11)
    few = content.norms(load_report_data(ids[0], store=store, bank=bank))
    assert "No comparison with other engagements yet" in few and "percentile" not in few
    ids = _generate(store, bank, 7, seed=11)
    rep = load_report_data(ids[0], store=store, bank=bank)
    html = content.norms(rep)
    assert "wb-norms-table" in html and "percentile" in html and "of 6)" in html
    assert not any(e in html for e in ids)  # no engagement named, not even this one
    doc = _score(ids[0])
    lid, side = next((k, s) for k, v in doc["norms"].items() for s in ("host", "partner")
                     if v[s] is not None)
    assert str(round(doc["norms"][lid][side]["percentile"])) in html
    store.set_engagement_options(ids[0], revealed=True)
    dash = Dashboard(store, bank, ids[0], controls=False)
    assert "wb-norms-table" in dash.norms.value
    store.set_engagement_options(ids[0], revealed=False)
    dash.refresh(force=True)
    assert dash.norms.value == ""  # nothing shown before the facilitator reveals results


def test_deck_has_a_norms_slide_only_with_norms(store, bank):
    from workbook_helpers.report.data import load_report_data
    from workbook_helpers.report.deck import build_deck

    def titles(eng: str) -> tuple[list[str], str]:
        deck = build_deck(load_report_data(eng, store=store, bank=bank))
        slides = list(deck.prs.slides)
        names = [s.shapes[1].text_frame.text for s in slides[1:] if len(s.shapes) > 1
                 and s.shapes[1].has_text_frame]
        text = "\n".join(sh.text_frame.text for s in slides for sh in s.shapes
                         if sh.has_text_frame)
        return names, text

    ids = _generate(store, bank, 5, seed=5)
    assert "Against the portfolio" not in titles(ids[0])[0]
    ids = _generate(store, bank, 7, seed=5)
    names, text = titles(ids[0])
    assert "Against the portfolio" in names and "percentile" in text and "of 6)" in text
    assert not any(e in text for e in ids[1:])
