"""Every bad answers file: exit 2, a message naming file, row, column and fix, nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import HEADER, run_cli, run_cli_process, write_csv

GOOD = "acme,ann,host,CEO,ctl-decision-rights,4,fine"


def _answer_rows():
    from workbook_helpers.store import Store

    s = Store.open()
    try:
        return len(s.history())
    finally:
        s.close()


CASES = [
    # (name, header, rows, row, column, words in message)
    ("missing column", "engagement,respondent,side,role,value,comment\n",
     ["acme,ann,host,CEO,4,"], 1, "question_id", "missing"),
    ("renamed column", "engagement,respondent,side,role,question,value,comment\n",
     ["acme,ann,host,CEO,ctl-decision-rights,4,"], 1, "question_id", "rename it"),
    ("off the scale", HEADER, [GOOD, "acme,ann,host,CEO,ctl-governance,7,"], 3, "value",
     "off the scale"),
    ("not an integer", HEADER, [GOOD, "acme,ann,host,CEO,ctl-governance,3.5,"], 3, "value",
     "not a whole number"),
    ("unknown question", HEADER, [GOOD, "acme,ann,host,CEO,ctl-decision-right,3,"], 3,
     "question_id", "unknown question id"),
    ("unknown side", HEADER, [GOOD, "acme,bob,both,CFO,ctl-governance,3,"], 3, "side",
     "unknown side"),
    ("engagement not a slug", HEADER, [GOOD, "../x,bob,host,CFO,ctl-governance,3,"], 3,
     "engagement", "not a valid engagement id"),
    ("respondent not a slug", HEADER, [GOOD, "acme,Bob Smith,host,CFO,ctl-governance,3,"], 3,
     "respondent", "not a valid respondent id"),
    ("repeated pair", HEADER, [GOOD, "acme,ann,host,CEO,ctl-decision-rights,2,"], 3,
     "question_id", "again (first in row 2)"),
    ("side changes", HEADER, [GOOD, "acme,ann,partner,CEO,ctl-governance,3,"], 3, "side",
     "one side"),
]


@pytest.mark.parametrize(("name", "header", "rows", "row", "column", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_csv_is_refused_clearly(data_dir, tmp_path, name, header, rows, row, column, words):
    run_cli("demo")
    before = _answer_rows()
    path = write_csv(tmp_path / "answers.csv", rows, header)
    for cmd in (("import", str(path)), ("score", str(path))):
        res = run_cli(*cmd)
        assert res.code == 2, (cmd, res.err)
        assert str(path) in res.err
        assert f"row {row}" in res.err
        assert f"column '{column}'" in res.err
        assert "Fix:" in res.err
        assert words in res.err
        assert "Traceback" not in res.err
    assert _answer_rows() == before


def test_empty_file(data_dir, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    res = run_cli("import", str(path))
    assert res.code == 2 and "empty" in res.err and str(path) in res.err and "Fix:" in res.err


def test_not_utf8(data_dir, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + GOOD + "\nacme,bob,host,Directeur Général,ctl-governance,3,\n")
                     .encode("latin-1"))
    res = run_cli("import", str(path))
    assert res.code == 2 and "not UTF-8" in res.err and "row 3" in res.err and "Fix:" in res.err


def test_bom_is_accepted_and_extra_columns_warned(data_dir, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER.strip() + ",notes\n" + GOOD + ",x\n").encode("utf-8"))
    res = run_cli("import", str(path))
    assert res.code == 0, res.err
    assert "notes" in res.err and "ignored" in res.err


def test_several_problems_reported_together_in_real_process(data_dir, tmp_path):
    path = write_csv(tmp_path / "many.csv", [
        GOOD, "acme,ann,host,CEO,ctl-governance,9,", "acme,zed,nowhere,CEO,ctl-governance,2,"])
    res = run_cli_process("import", str(path))
    assert res.code == 2
    assert "row 3" in res.err and "row 4" in res.err
    assert "Traceback" not in res.err


def test_side_conflict_with_the_store_writes_nothing(data_dir, tmp_path):
    run_cli("demo")
    before = _answer_rows()
    path = write_csv(tmp_path / "c.csv", [
        "demo,ingrid-halvorsen,host,CEO,pri-rank,1,",
        "demo,tomas-berg,partner,VP,pri-rank,1,"])
    res = run_cli("import", str(path))
    assert res.code == 2 and "row 3" in res.err and "column 'side'" in res.err
    assert _answer_rows() == before


def test_bad_engagement_argument(data_dir):
    res = run_cli("score", "../etc")
    assert res.code == 2 and "not a valid" in res.err and "Fix:" in res.err
