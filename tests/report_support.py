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
    from workbook_helpers.cases import case, case_answers

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
    seed_demo(store, bank)
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
