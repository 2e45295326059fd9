"""The store on SQLite and PostgreSQL: history, upgrades, moves, load and a killed writer."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import run_cli
from workbook_helpers.store import Store, migrate


def test_history_and_tokens(store_url):
    s = Store.open(store_url)
    s.create_engagement("acme", "Acme", "Globex")
    s.add_respondent("acme", "ann", "Ann", "host", "CEO")
    for v in (2, 2, 4, None):
        s.record_answer("acme", "ann", "ctl-governance", v, comment="c")
    hist = s.history("acme")
    assert hist["value"].astype("object").where(hist["value"].notna(), None).tolist() == \
        [2, 4, None]
    assert hist["dont_know"].tolist() == [False, False, True]
    assert hist["answered_at"].is_monotonic_increasing
    r = s.respondent("acme", "ann")
    assert s.respondent_by_token(r.token) == r
    s.close()


def test_upgrade_from_first_schema(store_url):
    engine = create_engine(store_url)
    migrate.upgrade(engine, "0001")
    when = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)
    with engine.begin() as c:
        c.execute(text("INSERT INTO engagements VALUES ('old','Old','H','P',:t)"), {"t": when})
        c.execute(text("INSERT INTO respondents VALUES ('old','pat','Pat','partner','COO',:t)"),
                  {"t": when})
        c.execute(text("INSERT INTO answers (engagement_id, respondent_id, question_id, value, "
                       "dont_know, comment, answered_at) VALUES ('old','pat','ctl-governance',"
                       "3, false, 'kept', :t)"), {"t": when})
    engine.dispose()
    s = Store.open(store_url)
    assert migrate.current_revision(s.engine) == migrate.head_revision()
    assert s.respondent("old", "pat").token
    assert s.history("old")["comment"].tolist() == ["kept"]
    assert s.history("old")["answered_at"].iloc[0] == when
    s.close()


def test_demo_scores_the_same_on_every_backend(store_url, bank):
    from workbook_helpers.demo.baseline import demo_answers
    from workbook_helpers.domain import current_answers
    from workbook_helpers.scoring import score_engagement

    assert run_cli("demo").code == 0
    from_store = json.loads(run_cli("score", "demo", "--round", "baseline", "--format",
                                    "json").out)
    d = current_answers(demo_answers(bank), order="row")
    pure = score_engagement(d, bank, "demo").to_dict()
    for key in ("verdict", "relationship_type", "dimensions", "flags", "reasons", "next_steps"):
        assert from_store[key] == pure[key], key


def test_expectation_rows_round_trip_through_csv(store_url, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DATABASE_URL", store_url)
    rows = ["engagement,respondent,side,role,question_id,value,comment,about"]
    for who, side in (("ann", "host"), ("bo", "host"), ("cy", "partner"), ("di", "partner")):
        rows += [f"deal,{who},{side},CEO,pri-rank,4,,", f"deal,{who},{side},CEO,pri-rank,2,,"
                 "other-side", f"deal,{who},{side},CEO,ctl-governance,dk,\"a, b\",self"]
    src = tmp_path / "in.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = json.loads(run_cli("score", str(src), "--format", "json").out)
    assert run_cli("import", str(src)).code == 0
    out = run_cli("export", "deal", "--format", "csv")
    assert out.code == 0
    back = list(csv.DictReader(io.StringIO(out.out)))
    assert "about" in back[0] and {r["round"] for r in back} == {"baseline"}
    assert sum(r["about"] == "other-side" for r in back) == 4
    assert sum(r["about"] == "self" for r in back) == 8
    again = tmp_path / "again.csv"
    again.write_text(out.out, encoding="utf-8")
    # the store, the exported file and the original file score alike
    stored = json.loads(run_cli("score", "deal", "--format", "json").out)
    from_export = json.loads(run_cli("score", str(again), "--format", "json").out)
    for doc in (stored, from_export):
        assert doc["dimensions"] == before["dimensions"]
        assert doc["expectations"] == before["expectations"]
    assert before["expectations"]["priority"]["host_expects"] == 25.0
    hist = json.loads(run_cli("export", "deal", "--format", "json").out)
    assert sorted({a["about"] for a in hist["answers"]}) == ["other-side", "self"]


def test_upgrade_keeps_answers_as_own_answers(store_url):
    engine = create_engine(store_url)
    migrate.upgrade(engine, "0002")
    when = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    with engine.begin() as c:
        c.execute(text("INSERT INTO engagements (id, title, host_org, partner_org, created_at) "
                       "VALUES ('old','Old','H','P',:t)"), {"t": when})
        c.execute(text("INSERT INTO respondents (engagement_id, id, name, side, role, "
                       "created_at) VALUES ('old','pat','Pat','partner','COO',:t)"),
                  {"t": when})
        c.execute(text("INSERT INTO answers (engagement_id, respondent_id, question_id, value, "
                       "dont_know, comment, answered_at) VALUES ('old','pat','pri-rank',"
                       "3, false, 'kept', :t)"), {"t": when})
    engine.dispose()
    s = Store.open(store_url)
    assert migrate.current_revision(s.engine) == migrate.head_revision()
    cur = s.current_answers("old")
    assert cur["about"].tolist() == ["self"] and cur["comment"].tolist() == ["kept"]
    assert s.engagement("old").expectations is True
    s.record_answer("old", "pat", "pri-rank", 5, about="other-side")
    cur = s.current_answers("old").set_index("about")
    assert int(cur.loc["self", "value"]) == 3 and int(cur.loc["other-side", "value"]) == 5
    s.close()


def test_json_round_trip_into_this_backend(store_url, tmp_path, monkeypatch):
    # made on a laptop (SQLite), moved into the store under test
    laptop = f"sqlite:///{tmp_path / 'laptop.db'}"
    monkeypatch.setenv("WORKBOOK_DATABASE_URL", laptop)
    run_cli("demo")
    run_cli("export", "demo", "--format", "json", "--out", str(tmp_path / "demo.json"))
    original = json.loads((tmp_path / "demo.json").read_text())
    monkeypatch.setenv("WORKBOOK_DATABASE_URL", store_url)
    assert run_cli("import", str(tmp_path / "demo.json")).code == 0
    again = json.loads(run_cli("export", "demo", "--format", "json").out)
    assert again == original
    clash = run_cli("import", str(tmp_path / "demo.json"))
    assert clash.code == 2 and "--replace" in clash.err and "--as" in clash.err
    assert run_cli("import", str(tmp_path / "demo.json"), "--as", "demo-2").code == 0
    copy = json.loads(run_cli("export", "demo-2", "--format", "json").out)
    assert copy["answers"] == original["answers"]
    def tokens(doc):
        return {m["token"] for r in doc["rounds"] for m in r["members"]}
    assert tokens(copy) and tokens(copy).isdisjoint(tokens(original))
    assert run_cli("import", str(tmp_path / "demo.json"), "--replace").code == 0


@pytest.mark.slow
def test_twenty_concurrent_respondents_lose_nothing(store_url, bank):
    from workbook_helpers.store.loadcheck import ENGAGEMENT, plan, run_load

    questions = [q.id for q in bank.iter_ordered()][:40]
    report = run_load(store_url, questions, respondents=20, change_every=5)
    assert report.errors == []
    s = Store.open(store_url)
    hist = s.history(ENGAGEMENT)
    for n in range(20):
        mine = hist[hist["respondent"] == f"r{n:02d}"]
        expected = plan(n, questions, 5)
        assert len(mine) == len(expected)
        for qid in questions:
            wanted = [v for q, v in expected if q == qid]
            assert mine[mine["question_id"] == qid]["value"].tolist() == wanted
    cur = s.current_answers(ENGAGEMENT)
    assert len(cur) == 20 * 40
    s.close()


WRITER = """
import sys
from workbook_helpers.store import Store
s = Store.open(sys.argv[1], upgrade=False)
i = 0
while True:
    q = "ctl-governance" if i % 2 else "risk-exit-terms"
    s.record_answer("acme", "ann", q, 1 + i % 5, comment=f"save {i}")
    print(i, flush=True)
    i += 1
"""


def test_killed_writer_keeps_every_acknowledged_answer(store_url):
    s = Store.open(store_url)
    s.create_engagement("acme", "Acme", "Globex")
    s.add_respondent("acme", "ann", "Ann", "host", "CEO")
    s.close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, store_url], stdout=subprocess.PIPE,
                            text=True, env=os.environ.copy())
    acked = -1
    deadline = time.time() + 60
    assert proc.stdout is not None
    while acked < 60 and time.time() < deadline:
        line = proc.stdout.readline()
        if line.strip():
            acked = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert acked >= 60
    s = Store.open(store_url)
    comments = set(s.history("acme")["comment"])
    assert {f"save {i}" for i in range(acked + 1)} <= comments
    if store_url.startswith("sqlite"):
        with s.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    s.record_answer("acme", "ann", "ctl-governance", 3, comment="after the crash")
    assert s.current_answers("acme").set_index("question_id").loc[
        "ctl-governance", "comment"] == "after the crash"
    s.close()
