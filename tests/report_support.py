"""Shared set-up for the report tests: a temporary store seeded with the demo and extras."""

from __future__ import annotations

from pathlib import Path

from workbook_helpers.bank import Bank, load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.store import Store

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "report"
SCRIPT_COMMENT = "<script>alert(1)</script>"
FORMULA_COMMENT = '=HYPERLINK("x")'


def store_url(data_dir: Path) -> str:
    """The SQLite URL of the test store in `data_dir` (the same file WORKBOOK_DATA_DIR finds)."""
    return f"sqlite:///{(data_dir / 'workbook.db').resolve()}"


LICENCE = "licence"
LICENCE_ORGS = ("Vaxora Biologics", "Meridian <Pharma>")


def seed_licence(store: Store, bank: Bank, engagement: str = LICENCE) -> None:
    """The reference case 'technology-licence' (a licence, not an alliance) as an engagement."""
    from workbook_helpers.demo.cases import case, case_answers

    store.create_engagement(engagement, *LICENCE_ORGS,
                            title="Vaxora and Meridian: vaccine technology licence")
    frame = case_answers(case("technology-licence"), bank, engagement)
    store.import_answers(frame.assign(row=range(2, len(frame) + 2)), source="import")


def seed_store(data_dir: Path) -> Store:
    """Demo engagement plus two hostile comments, a 'fresh' engagement with too few answers,
    a 'licence' engagement whose answers describe a licence rather than an alliance, and a
    'broken' engagement holding an answer outside its question's scale."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(store_url(data_dir))
    bank = load_bank()
    seed_demo(store, bank, with_health_check=False)
    store.record_answer("demo", "tomas-berg", "ctl-shared-control", 4, comment=SCRIPT_COMMENT)
    store.record_answer("demo", "mei-tanaka", "risk-financial", 2, comment=FORMULA_COMMENT)
    store.create_engagement("fresh", "Northwind Foods", "Ardent & Co <Labs>",
                            title="Northwind Foods and Ardent")
    store.add_respondent("fresh", "ann", "Ann Lee", "host", "CEO")
    store.record_answer("fresh", "ann", "sf-strategy-link", 4, comment="Early days.")
    seed_licence(store, bank)
    store.create_engagement("broken", "Acme", "Globex", title="Acme and Globex")
    for rid, side in (("h1", "host"), ("h2", "host"), ("p1", "partner"), ("p2", "partner")):
        store.add_respondent("broken", rid, rid.upper(), side, "VP")
        for q in bank.questions:
            store.record_answer("broken", rid, q.id, 3)
    # an answer no importer would accept (e.g. written by an old app build or a manual SQL fix)
    store.record_answer("broken", "h1", "ctl-shared-control", 9)
    return store


def page_text(html_page: str) -> str:
    """The visible text of an HTML page (tags, styles and scripts removed)."""
    import re

    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html_page, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", body)


# ---- rounds and actions ------------------------------------------------------------------------
HOSTILE_TEXT = ["<script>alert(1)</script>", 'R&D "labs" & co', "None", "nan", "it's <b>x</b>"]


def round_results(bank: Bank) -> tuple[object, object]:
    """Real results of two rounds of one engagement: the reference case with a priority gap
    (`marketing-low-priority`), then the same teams answering like a case without it."""
    from workbook_helpers.demo.cases import case, case_answers
    from workbook_helpers.scoring import score_engagement

    low = case("marketing-low-priority")
    before = score_engagement(case_answers(low, bank), bank, low.id)
    after = score_engagement(case_answers(case("pharma-codevelopment"), bank,
                                          engagement=low.id), bank, low.id)
    return before, after


def three_round_trend(bank: Bank):  # type: ignore[no-untyped-def]
    """A trend whose priority gap closes (baseline -> health-1) and opens again (-> health-2),
    with the results by round."""
    from workbook_helpers.scoring.trend import trend

    before, after = round_results(bank)
    results = {"baseline": before, "health-1": after, "health-2": before}
    return trend(list(results.items())), results  # type: ignore[arg-type]


def hostile_plan(engagement: str, results: dict[str, object], today: object,  # type: ignore[no-untyped-def]
                 upto: str = "health-1"):
    """An action plan as of round `upto` whose texts and owners are hostile or literal-looking:
    one overdue whose gap closed by `upto`, one that names no list, one recorded in `upto`
    (nothing to compare yet)."""
    from datetime import date

    from workbook_helpers.scoring.actionplan import action_plan
    from workbook_helpers.store.records import Action

    acts = [Action(engagement, 1, HOSTILE_TEXT[0], HOSTILE_TEXT[1], date(2026, 1, 15), "open",
                   "baseline", "priority", "cross-side-gap"),
            Action(engagement, 2, HOSTILE_TEXT[2], HOSTILE_TEXT[3], date(2030, 1, 1), "open",
                   "baseline", None, None),
            Action(engagement, 3, HOSTILE_TEXT[4], "Ann", date(2026, 2, 1), "done", "health-1",
                   "control", None)]
    return action_plan(acts, results, list(results), today, upto)  # type: ignore[arg-type]
