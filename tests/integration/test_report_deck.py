"""The slide deck: opens in python-pptx, every slide there, text fits, respondent text plain,
and (with LibreOffice installed, as `make test` does) every slide renders to a picture."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from workbook_helpers.presenting import formats as wording_filters
from workbook_helpers.report.deck import MORE, build_deck, fit_text

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "deck"


def _deck(store_with, engagement: str, round_id: str | None = None):
    from workbook_helpers.report.data import load_report_data

    data = load_report_data(engagement, store_with, round_id=round_id)
    return data, build_deck(data)


@pytest.fixture
def demo_url(data_dir):
    from tests.conftest import run_cli
    from workbook_helpers.config import database_url

    assert run_cli("demo", "--case", "technology-licence").code == 0
    return database_url()


def _texts(prs) -> list[str]:
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [c.text for row in shape.table.rows for c in row.cells]
    return out


def test_demo_deck_has_every_slide_and_fits_its_text(demo_url, tmp_path):
    data, deck = _deck(demo_url, "demo")
    path = tmp_path / "demo.pptx"
    path.write_bytes(deck.save())
    prs = Presentation(str(path))
    titles = [s.shapes[1].text_frame.text for s in list(prs.slides)[1:]]
    # the slides of rounds and actions come with the data that needs them
    moved = [wording_filters.trend_heading(data.trend)] if data.trend is not None else []
    plan = ["Action plan"] if data.actions else []
    assert titles == ["Verdict and recommended form",
                      "Fit map: willingness to share against importance", "Scores by list",
                      *moved, "The gaps to resolve first", "Readiness on each side",
                      "What each side got wrong about the other", "Next steps", *plan,
                      "In their own words", "Appendix: who answered"]
    pictures = sum(1 for s in prs.slides for sh in s.shapes if sh.shape_type == 13)
    assert pictures >= 2
    assert not [name for name, fit in deck.fits if fit.cut], deck.fits
    text = "\n".join(_texts(prs))
    assert data.result.relationship_type.replace("-", " ") in text.lower().replace("-", " ")
    assert "confidence" in text and data.result.next_steps[0] in text
    # respondent text is plain text: the health check's '& ... <since March>' comment shows
    # as written
    from workbook_helpers.demo.health import COMMENTS

    hostile = [c for c in COMMENTS.values() if "<" in c and "&" in c]
    assert data.round == "health-2026-09" and hostile
    assert all(c in text for c in hostile)
    base, _ = _deck(demo_url, "demo", round_id="baseline")
    assert base.round == "baseline" and base.trend is None


def test_deck_shows_how_things_moved_and_the_action_plan(demo_url):
    from dataclasses import replace
    from datetime import date

    from tests.report_support import HOSTILE_TEXT, hostile_plan, three_round_trend
    from workbook_helpers.report.data import load_report_data

    data = load_report_data("demo", demo_url)
    t, results = three_round_trend(data.bank)
    plan = hostile_plan("demo", results, date(2026, 6, 1))
    deck = build_deck(replace(data, trend=t, actions=plan))
    slides = {s.shapes[1].text_frame.text: s for s in list(deck.prs.slides)[1:]}
    assert not [name for name, fit in deck.fits if fit.cut], deck.fits

    def cells(slide) -> list[list[str]]:  # type: ignore[no-untyped-def]
        table = next(sh.table for sh in slide.shapes if sh.has_table)
        return [[c.text for c in row.cells] for row in table.rows]
    moved = cells(slides["How things moved since the baseline"])
    assert moved[0][1:] == ["Halvorsen Robotics", "Castellan Logistics", "Gap"]
    assert len(moved) == len(t.dimensions) + 1
    for row, (lid, series) in zip(moved[1:], t.dimensions.items(), strict=True):
        assert row[0] == data.bank.list_map[lid].title
        for cell, key in zip(row[1:], ("host", "partner", "gap"), strict=True):
            first, last = series[key][0], series[key][-1]
            assert cell.startswith(f"{first:.0f} \u2192 {last:.0f}"), (lid, key, cell)
    text = "\n".join(_texts(deck.prs))
    assert f"{len(t.closed)} gap closed" in text or f"{len(t.closed)} gaps closed" in text
    actions = cells(slides["Action plan"])
    assert actions[0] == ["Action", "Owner", "Due", "Status", "Outcome"]
    for row, p in zip(actions[1:], plan, strict=True):
        assert row[:2] == [p.action.text, p.action.owner]  # plain text, as typed
        assert ("overdue" in row[3]) == p.overdue
        assert (p.outcome_text[1:] in row[4]) if p.outcome_text else row[4] == "not compared yet"
    assert HOSTILE_TEXT[0] in text


def test_licence_deck_presents_a_recommendation_not_a_failure(demo_url):
    _, deck = _deck(demo_url, "technology-licence")
    text = "\n".join(_texts(deck.prs))
    assert "Recommended: licensing" in text and "No fit" not in text
    assert "Readiness on each side" not in text  # alliance readiness is not a licence's


def test_text_that_cannot_fit_is_cut_with_a_pointer():
    long = ["word " * 400, "more " * 400]
    fit = fit_text(long, 4, 2, max_pt=20, min_pt=11)
    assert fit.cut and fit.paragraphs[-1] == MORE and fit.size == 11
    short = fit_text(["A short line."], 4, 2, max_pt=20, min_pt=11)
    assert not short.cut and short.size == 20


@pytest.mark.serial  # LibreOffice: one soffice at a time, in the serial lane
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_every_slide_renders_in_libreoffice(demo_url, tmp_path):
    _, deck = _deck(demo_url, "demo")
    path = tmp_path / "demo.pptx"
    path.write_bytes(deck.save())
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "demo.pdf"
    from pypdf import PdfReader

    assert len(PdfReader(str(pdf)).pages) == len(deck.prs.slides)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(ARTIFACTS / "slide")],
                   check=True, timeout=120)
    assert len(list(ARTIFACTS.glob("slide-*.png"))) == len(deck.prs.slides)


def test_workbook_report_writes_the_deck_for_one_and_for_all(demo_url, tmp_path):
    from tests.conftest import run_cli

    res = run_cli("report", "demo", "--format", "pptx", "--out", str(tmp_path / "one"))
    assert res.code == 0, res.err + res.out
    deck = tmp_path / "one" / "demo.pptx"
    assert len(Presentation(str(deck)).slides) >= 8
    res = run_cli("report", "--all", "--format", "pptx,xlsx", "--jobs", "1", "--out",
                  str(tmp_path / "all"))
    assert res.code == 0, res.err + res.out
    assert sorted(p.name for p in (tmp_path / "all").glob("*.pptx")) == [
        "demo.pptx", "technology-licence.pptx"]
    assert run_cli("report", "demo", "--format", "ppt").code == 2
