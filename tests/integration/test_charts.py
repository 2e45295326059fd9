"""Charts of a real demo result render offline to SVG with marks and escaped text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbook_helpers.bank import load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.presenting import charts
from workbook_helpers.scoring.model import ScoreResult
from workbook_helpers.scoring.stored import engagement_result
from workbook_helpers.store import Store


def all_values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every data row of a spec, inline or consolidated under 'datasets'."""
    rows = [v for vals in spec.get("datasets", {}).values() for v in vals]
    rows += spec.get("data", {}).get("values", [])
    for layer in spec.get("layer", []):
        rows += layer.get("data", {}).get("values", [])
    return rows


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Any, ScoreResult]:
    path: Path = tmp_path_factory.mktemp("charts") / "workbook.db"
    store = Store.open(f"sqlite:///{path}")
    bank = load_bank()
    seed_demo(store, bank, with_health_check=False)
    store.add_respondent("demo", "evil", "<script>alert(1)</script>", "host", "CEO")
    store.record_answer("demo", "evil", "sf-strategy-link", 5)
    return store, bank, engagement_result(store, bank, "demo")


def test_every_chart_renders_svg_with_marks(demo: tuple[Store, Any, ScoreResult]) -> None:
    _, _, result = demo
    built = [charts.profile_chart(result), charts.fit_map_chart(result),
             charts.completion_chart(result), charts.expectation_chart(result)]
    for chart in built:
        svg = charts.to_svg(chart)
        assert svg.lstrip().startswith("<svg")
        assert svg.count("<path") > 5
        assert "<script>" not in svg  # names are XML-escaped inside the SVG
        assert "http://" not in svg.replace("http://www.w3.org", "")


def test_heatmap_is_an_escaped_table_with_a_number_in_each_cell(
        demo: tuple[Store, Any, ScoreResult]) -> None:
    import re

    store, bank, result = demo
    answers = store.current_answers("demo")
    page = charts.divergence_heatmap(result, bank, answers=answers)
    assert page.startswith('<div class="wb-heatmap">') and "<svg" not in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"https?://", page)
    hm = charts.heatmap_cells(result, bank, answers=answers)
    # one header per respondent, host side first, and one row per answered question
    heads = re.findall(r'<th scope="col" class="wb-hm-who wb-hm-(host|partner)"', page)
    assert heads == [c["side"] for c in hm["columns"]] and len(heads) == len(
        result.respondents)
    assert heads == sorted(heads, key=lambda s: s != "host")
    assert page.count('<th scope="row"') == len(hm["rows"]) > 40
    assert page.count("<tbody>") == len({r["list"] for r in hm["rows"]})
    # every answer is a cell with its number (or "don't know") on its bin's colour
    cells = re.findall(r'<td class="wb-hm-c wb-hm-(b\d|dk)" style="background:(#\w+);'
                       r'color:(#\w+)">([^<]*)</td>', page)
    assert len(cells) == len(hm["values"])
    for kind, bg, fg, text in cells:
        if kind == "dk":
            assert text == "don’t know"
            continue
        assert (bg, fg) == charts.HEAT_BINS[int(kind[1])]
        # the printed number is rounded: at a bin's edge it may show the next bin's value
        assert 0 <= int(text) <= 100 and abs(charts.heat_bin(int(text)) - int(kind[1])) <= 1
    positions = {(r["qid"], w): p for r in hm["rows"] for w, p in r["cells"].items()}
    amara = next(m for m in charts.answer_matrix(answers, bank)
                 if m["respondent"] == "amara-osei" and m["position"] is not None)
    assert positions[(amara["question_id"], "Amara Osei")] == amara["position"]
    # a legend names every bin, don't know and not answered
    for label in ("0–19", "20–39", "40–59", "60–79", "80–100", "don’t know", "not answered"):
        assert label in page
    # without answers: the two sides' mean positions, no side group header
    sides = charts.divergence_heatmap(result, bank)
    assert 'scope="colgroup"' not in sides and sides.count('scope="col" class="wb-hm-who') == 2


def test_heatmap_colours_are_readable() -> None:
    def lum(hex_: str) -> float:
        rgb = [int(hex_[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    bins = [*charts.HEAT_BINS, charts.HEAT_DONT_KNOW]
    for bg, fg in bins:
        a, b = sorted((lum(bg), lum(fg)))
        assert (b + 0.05) / (a + 0.05) >= 4.5, (bg, fg)
    # a lightness ramp: each bin darker than the one before, so order survives greyscale
    ramp = [lum(bg) for bg, _ in charts.HEAT_BINS]
    assert ramp == sorted(ramp, reverse=True)
    assert [charts.heat_bin(v) for v in (0, 19.9, 20, 59, 60, 99, 100)] == [0, 0, 1, 2, 3, 4, 4]


def test_fit_map_plots_sides_and_each_respondent(demo: tuple[Store, Any, ScoreResult]) -> None:
    _, _, result = demo
    spec = charts.fit_map_chart(result).to_dict()
    values = all_values(spec)
    labels = {v.get("who") for v in values}
    assert "Halvorsen Robotics" in labels and "Castellan Logistics" in labels
    assert "Ingrid Halvorsen" in labels
    quads = {v.get("label") for v in values if "label" in v}
    assert "Strategic alliance or joint venture" in quads
    host = next(v for v in values if v.get("who") == "Halvorsen Robotics")
    assert host["x"] == result.fit_map["host"]["share"]
    assert host["y"] == result.fit_map["host"]["importance"]
    people = {v["who"]: v for v in values if "ly" in v}
    amara = next(p for p in result.respondents if p.name == "Amara Osei")
    assert (people["Amara Osei"]["x"], people["Amara Osei"]["y"]) == (amara.share,
                                                                      amara.importance)


def test_anonymous_mode_shows_roles_not_names(demo: tuple[Store, Any, ScoreResult]) -> None:
    store, bank, result = demo
    for chart in (charts.fit_map_chart(result, anonymous=True),
                  charts.completion_chart(result, anonymous=True),
                  charts.divergence_heatmap(result, bank, anonymous=True,
                                            answers=store.current_answers("demo"))):
        text = chart if isinstance(chart, str) else str(chart.to_dict())
        assert "Ingrid Halvorsen" not in text and "Amara Osei" not in text
        assert "CFO" in text


def test_profile_uses_organisation_names_and_scores(
        demo: tuple[Store, Any, ScoreResult]) -> None:
    _, _, result = demo
    values = all_values(charts.profile_chart(result).to_dict())
    control = [v for v in values if v["list"] == result.dimensions["control"].title]
    by_side = {v["side"]: v["score"] for v in control}
    assert by_side == {"Halvorsen Robotics": result.dimensions["control"].host,
                       "Castellan Logistics": result.dimensions["control"].partner}


def test_completion_and_heatmap_read_the_typed_result(
        demo: tuple[Store, Any, ScoreResult]) -> None:
    _, bank, result = demo
    rows = all_values(charts.completion_chart(result).to_dict())
    by_who = {r["who"]: r for r in rows}
    for p in result.respondents:
        assert by_who[p.name]["text"] == f"{p.answered} of {p.expected}"
    # without answers the heat map shows each side's mean position from result.questions
    cells = charts.heatmap_cells(result, bank)["values"]
    q = next(x for x in result.questions if x.scored and x.host is not None)
    host = next(v for v in cells if v["qid"] == q.id and v["who"] == "Halvorsen Robotics")
    assert host["position"] == q.host
    unscored = next(x for x in result.questions if not x.scored)
    assert any(v["qid"] == unscored.id and v["question"].endswith("(not scored)")
               for v in cells)


def test_fit_map_labels_never_overlap() -> None:
    from workbook_helpers.presenting.charts import place_labels

    crowd = [{"x": 40.0 + i * 0.5, "y": 60.0, "who": f"Person number {i}"} for i in range(6)]
    side = [{"x": 41.0, "y": 60.5, "who": "Castellan Logistics"}]
    placed = place_labels(crowd, side)
    boxes = [(p["x"], p["x"] + len(p["who"]), p["ly"]) for p in placed]
    boxes += [(41.0, 41.0 + 1.45 * len(side[0]["who"]), 60.5)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[1] and b[0] < a[1] and abs(a[2] - b[2]) < 3.6 - 1e-9), (a, b)
    far = place_labels([{"x": 10.0, "y": 10.0, "who": "Alone"}], side)
    assert far[0]["ly"] == 10.0


def test_every_chart_is_a_valid_vega_lite_spec(tmp_path) -> None:
    # to_svg skips Altair's schema check for speed, so the check lives here
    import os

    from workbook_helpers.bank import load_bank
    from workbook_helpers.demo import seed_demo
    from workbook_helpers.presenting import charts
    from workbook_helpers.scoring.stored import engagement_result
    from workbook_helpers.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'v.db'}")
    bank = load_bank()
    seed_demo(store, bank, with_health_check=False)
    result = engagement_result(store, bank, "demo")
    made = [charts.profile_chart(result), charts.fit_map_chart(result),
            charts.fit_map_chart(result, anonymous=True),
            charts.completion_chart(result), charts.expectation_chart(result)]
    for chart in made:
        spec = chart.to_dict(validate=True)  # raises on any schema error
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    store.close()
    assert os.path.exists(tmp_path / "v.db")


def test_trend_chart_renders_offline_with_every_list_and_its_scores() -> None:
    import html
    import re

    from tests.report_support import three_round_trend

    bank = load_bank()
    t, _ = three_round_trend(bank)
    titles = {lst.id: lst.title for lst in bank.lists}
    orgs = {"host": "<script>alert(1)</script>", "partner": "R&D Partner"}
    spec = charts.trend_chart(t, orgs, titles)
    spec.to_dict(validate=True)  # a valid Vega-Lite spec
    panels = spec["concat"]
    assert len(panels) == len(t.dimensions)
    for panel, (lid, series) in zip(panels, t.dimensions.items(), strict=True):
        assert " ".join(panel["title"]["text"]) == titles[lid]
        points = next(layer["data"]["values"] for layer in panel["layer"]
                      if layer["mark"]["type"] == "line")
        for side in ("host", "partner"):
            drawn = [p["score"] for p in points if p["side"] == orgs[side]]
            assert drawn == [round(v, 1) for v in series[side] if v is not None]
    svg = charts.to_svg(spec)
    assert svg.lstrip().startswith("<svg") and svg.count("<path") > 5 * len(panels)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert not re.search(r"https?://(?!www\.w3\.org)", svg)
    for lid in t.dimensions:  # every list's title (the panel's label carries it whole)
        assert html.escape(titles[lid], quote=False) in svg, lid
    # a trend of lists unknown to the titles still names them, from their ids
    bare = charts.to_svg(charts.trend_chart(t, orgs))
    assert "Risk sharing" in bare
