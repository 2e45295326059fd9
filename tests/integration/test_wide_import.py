"""Survey-tool exports (one row per respondent) imported through a mapping file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli
from workbook_helpers.answers.survey import email_slug

SAMPLES = Path(__file__).resolve().parents[2] / "templates" / "imports"
CASES = [("forms-anchor-text", "csv"), ("research-codes", "csv"), ("web-labels", "xlsx")]
KEYS = ("verdict", "relationship_type", "form", "completeness", "dimensions", "readiness",
        "flags", "next_steps", "questions")


@pytest.mark.slow
@pytest.mark.parametrize(("name", "ext"), CASES)
def test_each_sample_export_scores_exactly_as_the_long_csv(data_dir, name, ext):
    export, mapping = SAMPLES / f"{name}.{ext}", SAMPLES / f"{name}.map.yaml"
    res = run_cli("import", str(export), "--map", str(mapping))
    assert res.code == 0, res.err
    stored = json.loads(run_cli("score", "northwind-contoso", "--format", "json").out)
    long = json.loads(run_cli("score", str(SAMPLES / f"{name}.long.csv"),
                              "--format", "json").out)
    for key in KEYS:
        assert stored[key] == long[key], key
    assert stored.get("expectations") == long.get("expectations")
    assert stored["respondents_per_side"] == {"host": 3, "partner": 3}
    # importing the same file again changes nothing
    again = run_cli("import", str(export), "--map", str(mapping))
    assert again.code == 0 and "Imported 0 answer(s)" in again.out


def test_dry_run_shows_the_plan_and_writes_nothing(data_dir):
    export, mapping = SAMPLES / "research-codes.csv", SAMPLES / "research-codes.map.yaml"
    res = run_cli("import", str(export), "--map", str(mapping), "--dry-run", "--format", "json")
    assert res.code == 0, res.err
    plan = json.loads(res.out)
    assert plan["engagements"] == ["northwind-contoso"]
    assert len(plan["respondents"]) == 6 and plan["expectations"] == 60
    assert plan["dont_know"] == 2 and plan["empty_cells"] == 1
    assert plan["skipped_rows"] == [{"row": 10, "reason": "response not finished"}]
    assert sum(plan["answers_per_list"].values()) == plan["answers"]
    listed = run_cli("engagement", "list", "--format", "json")
    assert "northwind-contoso" not in listed.out
    table = run_cli("import", str(export), "--map", str(mapping), "--dry-run")
    assert "nothing was written" in table.out and "response not finished" in table.out


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((SAMPLES / "forms-anchor-text.map.yaml").read_text())
    change(data)
    path = tmp_path / "broken.map.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


@pytest.mark.parametrize(("change", "needles"), [
    (lambda d: d["questions"][0].update(question="sf-nope"),
     ["broken.map.yaml", "'sf-nope'", "not in the bank", "workbook questions"]),
    (lambda d: d["questions"][0].update(column="No such column"),
     ["forms-anchor-text.csv", "row 1", "'No such column'", "correct the column name"]),
    (lambda d: d.update(labels={"five": {"Fully": 9}}) or d["questions"][0].update(
        labels="five"), ["broken.map.yaml", "'Fully' maps to 9", "from 1 to 5"]),
    (lambda d: d["respondent"]["side"]["values"].update({"Contoso Media": "vendor"}),
     ["side 'vendor'", "host' or 'partner'"]),
])
def test_a_wrong_mapping_is_refused_with_its_place_and_fix(data_dir, tmp_path, change, needles):
    res = run_cli("import", str(SAMPLES / "forms-anchor-text.csv"), "--map",
                  str(_broken(tmp_path, change)))
    assert res.code == 2
    for needle in needles:
        assert needle in res.err, (needle, res.err)
    assert "Traceback" not in res.err
    assert "northwind-contoso" not in run_cli("engagement", "list", "--format", "json").out


def test_an_unknown_answer_label_names_the_spreadsheet_row_and_column(data_dir, tmp_path):
    src = (SAMPLES / "forms-anchor-text.csv").read_text(encoding="utf-8").splitlines()
    # row 4 of the spreadsheet (header = 1) is the third respondent
    cells = src[3].split(",")
    src[3] = ",".join([*cells[:5], "Kind of", *cells[6:]])
    bad = tmp_path / "export.csv"
    bad.write_text("\n".join(src) + "\n", encoding="utf-8")
    shutil.copy(SAMPLES / "forms-anchor-text.map.yaml", tmp_path / "map.yaml")
    res = run_cli("import", str(bad), "--map", str(tmp_path / "map.yaml"))
    assert res.code == 2
    assert "export.csv, row 4, column 'How directly does this alliance" in res.err
    assert "'Kind of' matches no label" in res.err and "Fix:" in res.err
    assert "northwind-contoso" not in run_cli("engagement", "list", "--format", "json").out


def test_email_addresses_become_distinct_safe_ids():
    taken: dict[str, str] = {}
    a = email_slug("Ana.Lopez@Contoso.example", taken)
    b = email_slug("ana-lopez@contoso.example", taken)
    c = email_slug("Ana.Lopez@Contoso.example", taken)
    d = email_slug("Zoë O'Brien <zoe@x.example>", taken)
    assert a == c == "ana-lopez-contoso-example"
    assert b != a and b.startswith("ana-lopez-contoso-example-")
    assert d.startswith("zoe-o-brien")
    for slug in (a, b, d):
        assert len(slug) <= 64 and slug[0].isalnum()
