"""The consultant's portfolio: `workbook portfolio` in each format (the contract's columns,
values derived from the store), and the portfolio app's logic (sorting, filtering, escaping,
the empty store, the overdue highlight, the fit map, reports and refreshing)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
import pytest

from tests.conftest import ROOT, run_cli
from workbook_helpers.apps import portfolio as app
from workbook_helpers.apps.access import key_matches
from workbook_helpers.apps.html import esc
from workbook_helpers.bank import Bank
from workbook_helpers.bank.choice import bank_for
from workbook_helpers.demo import seed_demo
from workbook_helpers.demo.cases import case, seed_case
from workbook_helpers.report import folder as folders
from workbook_helpers.scoring import score_engagement
from workbook_helpers.scoring.portfolio_table import COLUMNS, EXTRA, portfolio_frame
from workbook_helpers.store import ALL_ROUNDS, Store

HOSTILE = '<script>alert(1)</script> & "x"'
TODAY = datetime.now(UTC).date()


@pytest.fixture()
def filled(store: Store, bank: Bank) -> Store:
    """The demo (two rounds, five actions), two reference cases, a hostile engagement with
    actions around today, and one engagement nobody has answered yet."""
    seed_demo(store, bank)
    for cid in ("technology-licence", "pharma-codevelopment"):
        seed_case(store, bank, case(cid))
    store.create_engagement("hostile", HOSTILE, "Acme <b>Host</b>", title=HOSTILE)
    store.add_respondent("hostile", "h1", "Hal", "host", "CEO")
    axes = bank.forms.axes
    for lid in [*axes.share, *axes.importance]:   # enough for a place on the fit map
        store.record_answer("hostile", "h1", bank.questions_in(lid)[0].id, 4)
    for text, due, status in (("late", TODAY - timedelta(days=1), "open"),
                              ("due today", TODAY, "open"),
                              ("done late", TODAY - timedelta(days=30), "done"),
                              ("dropped late", TODAY - timedelta(days=9), "dropped"),
                              ("later", TODAY + timedelta(days=3), "open")):
        a = store.add_action("hostile", text, "Owner", due)
        if status != "open":
            store.set_action_status("hostile", a.id, status, "")
    store.create_engagement("silent", "Quiet Host", "Quiet Partner")
    return store


def _expected(store: Store, bank: Bank, eng: str) -> dict[str, Any]:
    """One engagement's portfolio row, worked out from the store by other means."""
    acts = store.actions(eng)
    latest = store.rounds(eng)[-1]
    history = store.history(eng, ALL_ROUNDS)
    rbank = bank_for(latest.bank, bank)
    answers = store.current_answers(eng)
    result = score_engagement(answers, rbank, eng, store.roster(eng))
    return {
        "engagement": eng, "title": store.engagement(eng).title,
        "verdict": result.verdict if len(answers) else "insufficient-data",
        "round": latest.id,
        "open_actions": sum(a.status == "open" for a in acts),
        "overdue_actions": sum(a.status == "open" and a.due < TODAY for a in acts),
        "last_answer_at": (history["answered_at"].max().isoformat() if len(history)
                           else None),
    }


# ---- workbook portfolio ------------------------------------------------------------------------
def test_cli_json_has_exactly_the_contract_columns_and_the_store_values(filled: Store,
                                                                        bank: Bank) -> None:
    res = run_cli("portfolio", "--format", "json")
    assert res.code == 0, res.err
    rows = json.loads(res.out)
    ids = [r["engagement"] for r in rows]
    assert ids == sorted(filled.engagements()["engagement"])
    for row in rows:
        assert list(row) == COLUMNS
        want = _expected(filled, bank, row["engagement"])
        for k, v in want.items():
            if k == "last_answer_at" and v is not None:
                assert pd.Timestamp(row[k]) == pd.Timestamp(v), row["engagement"]
            else:
                assert row[k] == v, (row["engagement"], k)
        assert 0.0 <= row["completeness"] <= 1.0
    by_id = {r["engagement"]: r for r in rows}
    assert by_id["demo"]["round"] == "health-2026-09"
    assert (by_id["demo"]["open_actions"], by_id["demo"]["overdue_actions"]) == (2, 1)
    assert (by_id["hostile"]["open_actions"], by_id["hostile"]["overdue_actions"]) == (3, 1)
    assert by_id["silent"]["last_answer_at"] is None
    assert by_id["silent"]["completeness"] == 0.0


def test_cli_csv_and_table_show_the_same_rows(filled: Store, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    rows = json.loads(run_cli("portfolio", "--format", "json").out)
    res = run_cli("portfolio", "--format", "csv")
    assert res.code == 0, res.err
    reader = csv.reader(io.StringIO(res.out))
    assert next(reader) == COLUMNS
    got = list(reader)
    assert len(got) == len(rows)
    for line, row in zip(got, rows, strict=True):
        assert line == ["" if row[c] is None else str(row[c]) for c in COLUMNS]
    monkeypatch.setenv("COLUMNS", "400")  # rich draws the table this wide
    res = run_cli("portfolio")
    assert res.code == 0, res.err
    header = next(line for line in res.out.splitlines() if "engagement" in line)
    assert [c.strip() for c in re.split(r"[┃│]", header) if c.strip()] == COLUMNS
    demo = next(line for line in res.out.splitlines() if "│ demo " in line)
    cells = [c.strip() for c in demo.split("│")[1:-1]]
    assert cells[COLUMNS.index("round")] == "health-2026-09"
    assert cells[COLUMNS.index("overdue_actions")] == "1"
    assert cells[COLUMNS.index("completeness")].endswith("%")


def test_cli_portfolio_of_an_empty_store(store: Store) -> None:
    assert json.loads(run_cli("portfolio", "--format", "json").out) == []
    assert run_cli("portfolio", "--format", "csv").out.strip() == ",".join(COLUMNS)


# ---- sorting and filtering ----------------------------------------------------------------------
def _frame(n: int = 40, seed: int = 3) -> pd.DataFrame:
    """A portfolio frame of `n` engagements with every kind of value, some missing."""
    rng = np.random.default_rng(seed)
    verdicts = ["fit", "conditional", "no-fit", "insufficient-data"]
    forms = ["strategic-alliance", "joint-venture", "licensing", "outsourcing", "other"]
    rows = []
    for i in range(n):
        scored = i % 7 != 3
        rows.append({
            "engagement": f"e-{i:02d}", "title": f"{['Alpha', 'beta', 'Gamma'][i % 3]} {i % 5}",
            "verdict": verdicts[i % 4] if scored else "insufficient-data",
            "relationship_type": forms[i % 5], "completeness": round(float(rng.random()), 3),
            "round": "baseline" if i % 2 else "health-1", "open_actions": int(rng.integers(4)),
            "overdue_actions": int(rng.integers(3)),
            "last_answer_at": (pd.Timestamp("2026-01-01", tz="UTC")
                               + pd.Timedelta(hours=int(rng.integers(5000)))) if scored else None,
            "host_org": f"Host {['Acme', 'globex', 'Initech'][i % 3]}",
            "partner_org": f"Partner {i % 4}", "rounds": 1 + i % 3,
            "share": float(rng.uniform(0, 100)) if scored else np.nan,
            "importance": float(rng.uniform(0, 100)) if scored else np.nan})
    return pd.DataFrame(rows, columns=[*COLUMNS, *EXTRA])


@pytest.mark.parametrize("by", list(app.SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_orders_by_the_column_missing_last_then_title(bank: Bank, by: str,
                                                              descending: bool) -> None:
    view = app.view_frame(_frame(), bank)
    got = app.sort_frame(view, by, descending)
    assert sorted(got["engagement"]) == sorted(view["engagement"])  # nothing lost
    rank = {k: i for i, k in enumerate(app.KINDS)}
    raw: dict[str, Any] = {
        "title": lambda r: r.title.casefold(), "host": lambda r: r.host_org.casefold(),
        "partner": lambda r: r.partner_org.casefold(), "verdict": lambda r: rank[r.kind],
        "form": lambda r: r.form_label, "completeness": lambda r: r.completeness,
        "rounds": lambda r: r.rounds, "open": lambda r: r.open_actions,
        "overdue": lambda r: r.overdue_actions,
        "last": lambda r: None if pd.isna(r.last_answer_at) else r.last_answer_at,
        "report": lambda r: None}
    # worked out independently: by title then id, then (stably) by the value, missing last
    base = sorted(view.itertuples(), key=lambda r: (r.title.casefold(), r.engagement))
    present = sorted([r for r in base if raw[by](r) is not None], key=raw[by],
                     reverse=descending)
    missing = [r for r in base if raw[by](r) is None]
    assert list(got["engagement"]) == [r.engagement for r in present + missing]
    assert len(present) > len(missing) or by == "report"


def test_sorting_by_an_unknown_column_is_refused(bank: Bank) -> None:
    with pytest.raises(Exception, match="cannot sort"):
        app.sort_frame(app.view_frame(_frame(), bank), "nonsense")


def test_filters_narrow_by_verdict_form_overdue_and_words(bank: Bank) -> None:
    frame = _frame()
    view = app.view_frame(frame, bank)
    assert len(app.filter_frame(view, app.Filters())) == len(frame)
    fits = app.filter_frame(view, app.Filters(kind="fit"))
    assert set(fits["engagement"]) == set(frame.loc[frame["verdict"] == "fit", "engagement"])
    # a no-fit whose form is not an alliance is shown (and filtered) as a recommendation
    rec = app.filter_frame(view, app.Filters(kind="recommend"))
    want = frame[(frame["verdict"] == "no-fit")
                 & ~frame["relationship_type"].isin([*bank.forms.alliance_forms, "other"])]
    assert set(rec["engagement"]) == set(want["engagement"]) and len(want)
    lic = app.filter_frame(view, app.Filters(form="licensing"))
    assert set(lic["relationship_type"]) == {"licensing"}
    late = app.filter_frame(view, app.Filters(overdue_only=True))
    assert set(late["engagement"]) == set(frame.loc[frame["overdue_actions"] > 0,
                                                    "engagement"])
    words = app.filter_frame(view, app.Filters(text="  GLOBEX   beta "))
    want_w = frame[frame["host_org"].str.contains("globex") & frame["title"].str.contains("beta")]
    assert set(words["engagement"]) == set(want_w["engagement"]) and len(want_w)
    assert len(app.filter_frame(view, app.Filters(text="e-07"))) == 1  # the id too
    both = app.filter_frame(view, app.Filters(kind="conditional", overdue_only=True))
    assert set(both["engagement"]) == set(
        frame.loc[(frame["verdict"] == "conditional") & (frame["overdue_actions"] > 0),
                  "engagement"])


# ---- the HTML -----------------------------------------------------------------------------------
def test_hostile_text_is_escaped_in_the_table_summary_and_map(filled: Store, bank: Bank) -> None:
    page = app.Portfolio(filled, bank)
    everything = page.header.value + page.table.value + page.chart.value
    assert "<script>" not in everything and "<b>Host</b>" not in everything
    assert esc(HOSTILE) in page.table.value
    assert esc("Acme <b>Host</b>") in page.table.value
    # the fit map's tooltip of the hostile engagement: Vega's own escaping, kept as it is
    tips = re.findall(r"<title>([^<]*)</title>", page.chart.value)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in t for t in tips)
    # an engagement without scores is named (escaped) under the map instead
    page.search.value = "quiet"
    assert "No scores yet" in page.chart.value and "svg" not in page.chart.value
    assert "Quiet Host and Quiet Partner" in page.chart.value


def test_overdue_actions_are_highlighted_only_when_there_are_some(filled: Store,
                                                                  bank: Bank) -> None:
    page = app.Portfolio(filled, bank)
    rows = re.findall(r'<tr class="wb-pf-row[^"]*" data-engagement="([^"]+)".*?</tr>',
                      page.table.value)
    frame = page.data.view.set_index("engagement") if page.data else None
    assert frame is not None and set(rows) == set(frame.index)
    for eng in rows:
        tr = re.search(rf'<tr class="([^"]*)" data-engagement="{re.escape(eng)}".*?</tr>',
                       page.table.value, re.S)
        assert tr is not None
        late = int(frame.loc[eng, "overdue_actions"]) > 0
        assert ("wb-pf-row-late" in tr[1]) is late, eng
        assert ('class="wb-pf-late"' in tr[0]) is late, eng
    assert set(re.findall(r'data-engagement="([^"]+)"[^>]*>(?:(?!</tr>).)*wb-pf-late',
                          page.table.value)) == {"demo", "hostile"}


def test_demo_row_and_its_links(filled: Store, bank: Bank, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    old = reports / "demo.html"
    old.write_text("old")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    (reports / "demo.health-2026-09.html").write_text("new")
    (reports / "demo.health-2026-09.pdf").write_bytes(b"%PDF")
    (reports / "notes.txt").write_text("not a report")
    page = app.Portfolio(filled, bank, key="k&y", reports=reports)
    demo = re.search(r'<tr class="[^"]*" data-engagement="demo".*?</tr>', page.table.value)
    assert demo is not None
    row = demo[0]
    assert "Conditional fit" in row and "health-2026-09" in row and "2 rounds" in row
    assert 'href="dashboard.ipynb?engagement=demo&amp;key=k%26y"' in row
    assert "../../workbook/reports/demo.health-2026-09.html?key=k%26y" in row
    assert "demo.health-2026-09.pdf" in row and 'reports/demo.html"' not in row
    lic = re.search(r'data-engagement="technology-licence".*?</tr>', page.table.value)
    assert lic is not None and "Recommended: licensing" in lic[0] and "–" in lic[0]


def test_an_empty_store_says_so(store: Store, bank: Bank) -> None:
    page = app.Portfolio(store, bank)
    assert "no engagements in the store yet" in page.empty.value
    assert 'href="setup.ipynb"' in page.empty.value
    assert page.empty.layout.display == "block"
    assert page.table.layout.display == "none" and page.chart.layout.display == "none"
    store.create_engagement("first", "Host", "Partner")
    assert page.refresh() is True
    assert page.empty.layout.display == "none" and "first" in page.table.value


def test_controls_redraw_and_refresh_sees_new_actions(filled: Store, bank: Bank) -> None:
    page = app.Portfolio(filled, bank)
    shown = len(page.data.view) if page.data else 0
    assert f"Showing {shown} of {shown}" in page.count.value
    page.overdue.value = True
    assert set(page.rows()["engagement"]) == {"demo", "hostile"}
    assert "Showing 2 of" in page.count.value
    page.overdue.value = False
    page.sort_by.value, page.direction.value = "title", False
    titles = [t.casefold() for t in page.rows()["title"]]
    assert titles == sorted(titles)
    assert 'aria-sort="ascending"' in page.table.value
    renders, charts = page.renders, page.chart_renders
    page.direction.value = True   # same rows, other order: the map is not drawn again
    assert page.renders == renders + 1 and page.chart_renders == charts
    before = int(page.data.view.set_index("engagement").loc["demo", "open_actions"]) \
        if page.data else -1
    assert page.refresh() is False  # nothing changed
    filled.add_action("demo", "Call the partner's CFO", "Amara Osei", TODAY + timedelta(7))
    assert page.refresh() is True
    assert page.data is not None
    assert int(page.data.view.set_index("engagement").loc["demo", "open_actions"]) == \
        before + 1
    assert "kind" in page.data.view and page.kind.options[0] == ("All", "")
    page.kind.value = "recommend"
    assert set(page.rows()["engagement"]) == {"technology-licence"}


def test_show_all_draws_every_row(bank: Bank) -> None:
    view = app.view_frame(_frame(260), bank)
    loaded = app.Loaded(view, 0.0, 0.1, 1)
    page = app.Portfolio(None, bank, loader=lambda: loaded)  # type: ignore[arg-type]
    assert page.table.value.count('class="wb-pf-row') == app.ROW_LIMIT
    assert page.show_all.layout.display is None and page.show_all.description == "Show all 260"
    page.show_all.click()
    assert page.table.value.count('class="wb-pf-row') == 260
    assert page.show_all.layout.display == "none"


# ---- the fit map ------------------------------------------------------------------------------
def test_fit_map_plots_scored_engagements_with_tooltips(bank: Bank) -> None:
    from workbook_helpers.presenting import charts

    frame = _frame(20)
    view = app.view_frame(frame, bank)
    spec = app.fit_map_spec(view)
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    scored = frame.dropna(subset=["share", "importance"])
    assert len(points["data"]["values"]) == len(scored) < len(frame)
    assert [p["x"] for p in points["data"]["values"]] == pytest.approx(scored["share"].tolist())
    colours = points["encoding"]["color"]["scale"]
    assert len(colours["domain"]) == len(set(colours["domain"]))
    charts.Spec(spec).to_dict(validate=True)  # a valid Vega-Lite spec
    svg = app.with_tooltips(charts.to_svg(spec))
    assert svg.count("<title>") == len(scored)
    assert "no scores yet" in app.fit_map_html(view).lower()


# ---- reports -----------------------------------------------------------------------------------
def test_reports_are_found_and_only_report_files_are_served(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("acme.html", "acme.pdf", "acme.health-1.xlsx", "b.pptx", "x.db", ".acme.html"):
        (folder / name).write_text(name)
    os.utime(folder / "acme.health-1.xlsx", (2_000_000_000, 2_000_000_000))
    found = folders.latest_reports(folder)
    assert set(found) == {"acme", "b"}
    assert (found["acme"].stem, found["acme"].formats) == ("acme.health-1", ("xlsx",))
    assert found["b"].formats == ("pptx",)
    assert folders.report_file("acme.pdf", folder) == (folder / "acme.pdf").resolve()
    (tmp_path / "secret.html").write_text("secret")
    (folder / "leak.html").symlink_to(tmp_path / "secret.html")
    for bad in ("x.db", "../secret.html", "leak.html", "ACME.html", "acme.exe", "a/b.html",
                "missing.html", ""):
        assert folders.report_file(bad, folder) is None, bad
    assert folders.latest_reports(tmp_path / "nowhere") == {}
    assert key_matches("", "") and key_matches("anything", "")
    assert key_matches("s3cret", "s3cret")
    assert not key_matches("", "s3cret") and not key_matches("s3creT", "s3cret")


def test_reports_live_beside_the_data_folder(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path / "work" / "data"))
    assert folders.reports_dir() == (tmp_path / "work" / "reports").resolve()


def test_the_report_route_is_logged_without_the_key() -> None:
    from workbook_helpers.server.handlers import describe_request

    line = describe_request("GET", "/workbook/reports/demo.html?key=SECRET", 200, "10.0.0.9",
                            verbose=False)
    assert line == "the report demo.html was opened (from 10.0.0.9)"
    assert describe_request("GET", "/voila/render/portfolio.ipynb?key=SECRET", 200, "ip",
                            verbose=False) == "the portfolio was opened (from ip)"


# ---- the page ----------------------------------------------------------------------------------
def test_page_needs_the_facilitator_key_when_one_is_set(filled: Store,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from workbook_helpers.apps import pages

    pages._store.cache_clear()
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("WORKBOOK_FACILITATOR_KEY", "s3cret")
    try:
        monkeypatch.setenv("QUERY_STRING", "")
        refused = app.portfolio_page()
        assert "wb-error-page" in refused.value and "facilitator" in refused.value
        monkeypatch.setenv("QUERY_STRING", "key=wrong")
        assert "wb-error-page" in app.portfolio_page().value
        monkeypatch.setenv("QUERY_STRING", "key=s3cret")
        ok = app.portfolio_page(poll_seconds=0)
        assert "wb-portfolio" in ok._dom_classes
        table = next(c for c in ok.children if "<table" in getattr(c, "value", ""))
        assert "key=s3cret" in table.value   # links carry the key on to the dashboards
    finally:
        pages._store.cache_clear()


def test_notebook_is_thin_and_has_no_outputs() -> None:
    nb = nbformat.read(ROOT / "notebooks" / "portfolio.ipynb", as_version=4)
    assert [c.cell_type for c in nb.cells] == ["code"] * 3
    assert "parameters" in nb.cells[0].metadata.get("tags", [])
    for cell in nb.cells:
        assert not cell.get("outputs") and cell.get("execution_count") is None
        assert len(cell.source.splitlines()) <= 15
    assert "portfolio.portfolio_page" in nb.cells[-1].source


def test_serve_registers_the_portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbook_helpers.server.serve import links, prepare

    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path / "data"))
    spec = prepare(port=8999, host="0.0.0.0", app_dir=tmp_path / "apps")
    assert (tmp_path / "apps" / "portfolio.ipynb").is_file()
    assert spec.env["WORKBOOK_DATA_DIR"] == str((tmp_path / "data").resolve())
    url = links(spec)["portfolio"]
    assert url.endswith(f"/voila/render/portfolio.ipynb?key={spec.facilitator_key}")
    assert spec.facilitator_key


def test_today_is_what_counts_as_overdue(filled: Store, bank: Bank) -> None:
    later = portfolio_frame(filled, bank, today=TODAY + timedelta(days=4)).set_index(
        "engagement")
    assert later.loc["hostile", "overdue_actions"] == 3   # every open one is late by then
    earlier = portfolio_frame(filled, bank, today=date(2000, 1, 1)).set_index("engagement")
    assert earlier.loc["hostile", "overdue_actions"] == 0
