"""Respondents' e-mail addresses: set from the CLI, the answers CSV, a JSON export and a survey
export's mapping; exported again; a bad address is refused with its place and the fix, and
nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, write_csv
from workbook_helpers.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "templates" / "imports"
HEADER = "engagement,respondent,side,role,question_id,value,comment,email\n"


def _eng() -> None:
    assert run_cli("engagement", "create", "eng", "--host-org", "H", "--partner-org",
                   "P").code == 0


def test_respondent_add_keeps_a_checked_address(data_dir):
    _eng()
    ok = run_cli("respondent", "add", "eng", "ann", "--name", "Ann", "--side", "host",
                 "--email", "Ann.Lee@Host-Corp.EXAMPLE.com")
    assert ok.code == 0, ok.err
    listed = json.loads(run_cli("respondent", "list", "eng", "--format", "json").out)
    assert listed[0]["email"] == "Ann.Lee@host-corp.example.com"  # domain normalised


def test_a_bad_address_is_refused_and_nothing_is_added(data_dir):
    _eng()
    bad = run_cli("respondent", "add", "eng", "bob", "--name", "Bob", "--side", "partner",
                  "--email", "bob at partner")
    assert bad.code == 2
    assert "column '--email'" in bad.err and "Fix:" in bad.err and "bob at partner" in bad.err
    assert json.loads(run_cli("respondent", "list", "eng", "--format", "json").out) == []


def test_respondent_email_sets_and_clears(data_dir):
    _eng()
    run_cli("respondent", "add", "eng", "ann", "--name", "Ann", "--side", "host")
    assert run_cli("respondent", "email", "eng", "ann", "ann@host.example.com").code == 0
    s = Store.open()
    assert s.respondent("eng", "ann").email == "ann@host.example.com"
    assert run_cli("respondent", "email", "eng", "ann", "not-an-address").code == 2
    assert s.respondent("eng", "ann").email == "ann@host.example.com"
    assert run_cli("respondent", "email", "eng", "ann", "--clear").code == 0
    assert s.respondent("eng", "ann").email is None
    assert run_cli("respondent", "email", "eng", "nobody", "x@y.example.com").code == 2
    s.close()


def test_csv_email_column_imports_exports_and_round_trips(data_dir, tmp_path, monkeypatch):
    f = write_csv(tmp_path / "a.csv", [
        "eng,ann,host,CEO,pri-rank,4,,ann@host.example.com",
        "eng,ann,host,CEO,ctl-decision-rights,3,,",
        "eng,bob,partner,CFO,pri-rank,2,,"], header=HEADER)
    res = run_cli("import", str(f))
    assert res.code == 0, res.err
    assert "email" not in res.err  # a known column, not an ignored one
    s = Store.open()
    assert s.emails("eng") == {"ann": "ann@host.example.com"}
    out = run_cli("export", "eng").out
    head, *rows = out.splitlines()
    assert head.split(",")[-1] == "email"
    assert {r.split(",")[1]: r.split(",")[-1] for r in rows} == {
        "ann": "ann@host.example.com", "bob": ""}
    # a file without the column changes nobody's address
    plain = write_csv(tmp_path / "b.csv", ["eng,ann,host,CEO,pri-rank,5,"])
    assert run_cli("import", str(plain)).code == 0
    assert s.emails("eng") == {"ann": "ann@host.example.com"}
    # the exported file imports into another store with the addresses
    (tmp_path / "out.csv").write_text(out, encoding="utf-8")
    s.close()
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path / "other"))
    assert run_cli("import", str(tmp_path / "out.csv")).code == 0
    s2 = Store.open()
    assert s2.emails("eng") == {"ann": "ann@host.example.com"}
    s2.close()


def test_csv_without_any_address_exports_as_before(data_dir, tmp_path):
    f = write_csv(tmp_path / "a.csv", ["eng,ann,host,CEO,pri-rank,4,"])
    assert run_cli("import", str(f)).code == 0
    head = run_cli("export", "eng").out.splitlines()[0]
    assert head == "engagement,respondent,side,role,question_id,value,comment,round"


def test_a_bad_csv_address_names_file_row_and_column(data_dir, tmp_path):
    f = write_csv(tmp_path / "bad.csv", [
        "eng,ann,host,CEO,pri-rank,4,,ann@host.example.com",
        "eng,bob,partner,CFO,pri-rank,2,,bob@@partner"], header=HEADER)
    res = run_cli("import", str(f))
    assert res.code == 2
    assert str(f) in res.err and "row 3" in res.err and "column 'email'" in res.err
    assert "Fix:" in res.err
    assert run_cli("engagement", "list", "--format", "json").out.strip() == "[]"
    # two addresses for one person are refused too
    g = write_csv(tmp_path / "two.csv", [
        "eng,ann,host,CEO,pri-rank,4,,ann@host.example.com",
        "eng,ann,host,CEO,ctl-decision-rights,3,,ann@other.example.com"], header=HEADER)
    res = run_cli("import", str(g))
    assert res.code == 2 and "row 3" in res.err and "ann@host.example.com" in res.err


def test_json_export_carries_addresses_and_checks_them(data_dir, tmp_path):
    _eng()
    run_cli("respondent", "add", "eng", "ann", "--name", "Ann", "--side", "host",
            "--email", "ann@host.example.com")
    run_cli("respondent", "add", "eng", "bob", "--name", "Bob", "--side", "partner")
    doc = json.loads(run_cli("export", "eng", "--format", "json").out)
    people = {p["id"]: p for p in doc["respondents"]}
    assert people["ann"]["email"] == "ann@host.example.com" and "email" not in people["bob"]
    path = tmp_path / "e.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run_cli("import", str(path), "--as", "copy").code == 0
    assert Store.open().emails("copy") == {"ann": "ann@host.example.com"}
    people["bob"]["email"] = "bob@"
    path.write_text(json.dumps(doc), encoding="utf-8")
    res = run_cli("import", str(path), "--as", "copy2")
    assert res.code == 2 and "respondents.1.email" in res.err and str(path) in res.err
    assert run_cli("respondent", "list", "copy2").code == 2  # nothing was written


def test_survey_export_keeps_the_mapped_address(data_dir, tmp_path):
    export = SAMPLES / "forms-anchor-text.csv"
    res = run_cli("import", str(export), "--map", str(SAMPLES / "forms-anchor-text.map.yaml"))
    assert res.code == 0, res.err
    mails = Store.open().emails("northwind-contoso")
    assert len(mails) == 6
    assert all("@" in a and a.split("@")[1] == a.split("@")[1].lower() for a in mails.values())
    # each address belongs to the respondent whose id was made from it
    from workbook_helpers.answers.survey import email_slug

    assert all(email_slug(a, {}) == rid for rid, a in mails.items())
    # a broken address in the export is refused with its spreadsheet row and column
    text = export.read_text(encoding="utf-8").splitlines()
    first = text[1].split(",")
    bad = next(c for c in first if "@" in c)
    text[1] = text[1].replace(bad, bad.replace("@", "@@"), 1)
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(text) + "\n", encoding="utf-8")
    res = run_cli("import", str(broken), "--map", str(SAMPLES / "forms-anchor-text.map.yaml"))
    assert res.code == 2 and "row 2" in res.err and "column 'Email Address'" in res.err
