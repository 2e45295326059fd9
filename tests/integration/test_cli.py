"""The `workbook` command line against a real SQLite store: the contract's shapes."""

from __future__ import annotations

import json

from tests.conftest import run_cli, run_cli_process, write_csv


def test_questions_json_contract(data_dir, bank):
    res = run_cli("questions", "--format", "json")
    assert res.code == 0
    items = json.loads(res.out)
    assert {i["list"] for i in items} == set(bank.list_ids())
    for item in items:
        assert {"id", "list", "text", "scale", "reverse", "weight"} <= set(item)
        s = item["scale"]
        assert set(s["anchors"]) == {str(p) for p in range(s["min"], s["max"] + 1)}


def test_questions_table_shows_anchors(data_dir):
    res = run_cli("questions")
    assert res.code == 0 and "Control" in res.out and "1:" in res.out


def test_demo_then_score_json_contract(data_dir):
    assert run_cli("demo").code == 0
    res = run_cli("score", "demo", "--format", "json")
    assert res.code == 0, res.err
    out = json.loads(res.out)
    assert out["engagement"] == "demo"
    assert out["verdict"] in ("fit", "conditional", "no-fit", "insufficient-data")
    assert out["relationship_type"] in ("strategic-alliance", "joint-venture", "outsourcing",
                                        "licensing", "supply-chain", "other")
    assert 0 <= out["completeness"] <= 1
    for d in out["dimensions"].values():
        assert {"host", "partner", "gap"} <= set(d)
    for f in out["flags"]:
        assert {"kind", "dimension", "side", "question_id", "detail"} <= set(f)
    assert out["reasons"] and all(isinstance(r, str) for r in out["reasons"])
    # version 2: the form with its confidence and evidence, and readiness per side
    form = out["form"]
    assert {"recommended", "runner_up", "confidence", "evidence", "to_ask", "pursue"} <= set(form)
    assert form["recommended"] == out["relationship_type"] and 0 <= form["confidence"] <= 1
    assert form["evidence"] and all(isinstance(e, str) for e in form["evidence"])
    assert {r["side"] for r in out["readiness"]} == {"host", "partner"}
    for r in out["readiness"]:
        assert {"id", "side", "met", "detail"} <= set(r) and r["met"] in (True, False, None)


def test_demo_is_deterministic_across_recreation(data_dir):
    run_cli("demo")
    first = json.loads(run_cli("score", "demo", "--format", "json").out)
    run_cli("demo")
    second = json.loads(run_cli("score", "demo", "--format", "json").out)
    assert first == second


def test_score_csv_does_not_touch_the_store(data_dir, tmp_path, bank):
    run_cli("demo")
    before = run_cli("engagement", "list", "--format", "json").out
    for rnd, bank_args in (("baseline", ()), ("health-2026-09", ("--bank",
                                                                 "health_check_bank"))):
        csv_text = run_cli("export", "demo", "--round", rnd).out
        assert csv_text.splitlines()[0].split(",")[-1] == "round"   # every export names it
        path = tmp_path / f"answers-{rnd}.csv"
        path.write_text(csv_text.replace("demo,", "copy-1,"), encoding="utf-8")
        res = run_cli(*bank_args, "score", str(path), "--format", "json")
        assert res.code == 0, res.err
        from_csv = json.loads(res.out)
        from_store = json.loads(run_cli("score", "demo", "--round", rnd, "--format",
                                        "json").out)
        assert from_csv["verdict"] == from_store["verdict"]
        assert from_csv["dimensions"] == from_store["dimensions"]
        assert from_csv["round"] == from_store["round"] == rnd
    assert run_cli("engagement", "list", "--format", "json").out == before


def test_import_export_round_trip(data_dir, tmp_path):
    run_cli("demo")
    exported = run_cli("export", "demo", "--round", "baseline").out
    path = tmp_path / "a.csv"
    path.write_text(exported.replace("demo,", "moved,"), encoding="utf-8")
    res = run_cli("import", str(path))
    assert res.code == 0, res.err
    again = run_cli("export", "moved").out
    assert again == exported.replace("demo,", "moved,")
    # the health-check round's answers go back into the round of that name, checked against
    # the health-check questions (the store knows the round's bank)
    health = run_cli("export", "demo").out
    assert "hc-" in health and health.splitlines()[0].endswith("round")
    (tmp_path / "h.csv").write_text(health.replace("demo,", "moved,"), encoding="utf-8")
    missing = run_cli("import", str(tmp_path / "h.csv"))
    assert missing.code == 2 and "workbook round add moved health-2026-09" in missing.err
    assert run_cli("round", "add", "moved", "health-2026-09", "--bank",
                   "health_check_bank").code == 0
    assert run_cli("import", str(tmp_path / "h.csv")).code == 0
    assert run_cli("export", "moved").out == health.replace("demo,", "moved,")
    hist = run_cli("export", "demo", "--history", "--round", "baseline").out
    assert hist.count("\n") > exported.count("\n")  # the demo has a changed answer


def test_engagement_and_respondent_commands(data_dir):
    assert run_cli("engagement", "create", "acme-globex", "--host-org", "Acme",
                   "--partner-org", "Globex").code == 0
    res = run_cli("respondent", "add", "acme-globex", "ann", "--name", "Ann", "--side", "host",
                  "--role", "CEO")
    assert res.code == 0 and "token" in res.out.lower()
    listed = json.loads(run_cli("respondent", "list", "acme-globex", "--format", "json").out)
    assert listed[0]["id"] == "ann" and len(listed[0]["token"]) >= 30
    dup = run_cli("engagement", "create", "acme-globex", "--host-org", "A", "--partner-org", "B")
    assert dup.code == 2 and "already exists" in dup.err


def test_import_creates_people_and_scores(data_dir, tmp_path, bank):
    rows = [f"e2,{r},{s},Lead,{q.id},{v},"
            for r, s, v in (("a", "host", 4), ("b", "host", 5), ("c", "partner", 4),
                            ("d", "partner", 3))
            for q in bank.questions]
    path = write_csv(tmp_path / "x.csv", rows)
    assert run_cli("import", str(path)).code == 0
    out = json.loads(run_cli("score", "e2", "--format", "json").out)
    assert out["completeness"] == 1.0 and out["respondents_per_side"] == {"host": 2, "partner": 2}


def test_real_process_help_and_exit_codes(data_dir):
    res = run_cli_process("--help")
    assert res.code == 0 and "questions" in res.out and "score" in res.out
    for cmd in ("questions", "import", "score", "export", "demo", "serve", "report"):
        sub = run_cli_process(cmd, "--help")
        assert sub.code == 0, cmd
    missing = run_cli_process("score", "no-such-engagement")
    assert missing.code == 2 and "no engagement" in missing.err
    assert "Traceback" not in missing.err
