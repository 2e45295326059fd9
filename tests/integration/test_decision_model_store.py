"""Decision model v2 through the CLI and a real SQLite store: each seed case read from a CSV
(`workbook score FILE.csv`) and from the store after `workbook demo --case` (the model's pure
properties are in tests/unit/test_decision_model.py)."""

from __future__ import annotations

import json

from workbook_helpers.demo.cases import CASES, case_answers


def test_workbook_score_reads_each_case_from_a_csv_and_the_store(bank, tmp_path, data_dir):
    from tests.conftest import run_cli

    for c in CASES:
        path = tmp_path / f"{c.id}.csv"
        frame = case_answers(c, bank)
        frame["value"] = frame["value"].astype("string").fillna("dk")
        frame[["engagement", "respondent", "side", "role", "question_id", "value",
               "comment"]].to_csv(path, index=False)
        res = run_cli("score", str(path), "--format", "json")
        assert res.code == 0, res.err
        out = json.loads(res.out)
        assert (out["relationship_type"], out["verdict"]) == (c.expect_form, c.expect_verdict)
        assert out["form"]["recommended"] == c.expect_form
        assert {"runner_up", "confidence", "evidence"} <= set(out["form"])
        assert all({"id", "side", "met", "detail"} <= set(x) for x in out["readiness"])
    made = run_cli("demo", "--case", "technology-licence", "--case", "side-job")
    assert made.code == 0, made.err
    res = run_cli("score", "side-job", "--format", "json")
    assert json.loads(res.out)["verdict"] == "conditional"
    assert run_cli("demo", "--case", "no-such-case").code == 2
