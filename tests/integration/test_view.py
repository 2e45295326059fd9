"""The engagement's one typed view: built in one place and read by the dashboard, the report
(`ReportData` is the view plus options), the command line's result and the portfolio's badge."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from tests.report_support import LICENCE, seed_licence
from workbook_helpers.apps import portfolio as portfolio_app
from workbook_helpers.apps.dashboard import snapshot
from workbook_helpers.bank import Bank, load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.demo.health import ROUND_ID
from workbook_helpers.presenting import judgment as presenting
from workbook_helpers.report.data import ReportData, load_report_data
from workbook_helpers.scoring.portfolio_table import portfolio_frame
from workbook_helpers.scoring.stored import engagement_result
from workbook_helpers.scoring.view import EngagementView, engagement_view
from workbook_helpers.store import Store


@pytest.fixture(scope="module")
def view_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store.open(f"sqlite:///{tmp_path_factory.mktemp('view') / 'w.db'}")
    bank = load_bank()
    seed_demo(s, bank)
    seed_licence(s, bank)
    return s


@pytest.fixture(scope="module")
def base_bank() -> Bank:
    return load_bank()


def test_the_view_holds_the_round_its_history_and_its_bank(view_store: Store,
                                                           base_bank: Bank) -> None:
    view = engagement_view(view_store, base_bank, "demo")
    assert view.round == ROUND_ID and view.rounds == ("baseline", ROUND_ID)
    assert view.trend is not None and view.result.trend == view.trend
    assert view.bank.bank.id == view.result.bank["id"] == "alliance-health-check"
    assert set(view.answers["round"]) == {ROUND_ID}
    assert view.engagement.id == "demo" and view.norms is None
    with pytest.raises(FrozenInstanceError):
        view.round = "baseline"  # type: ignore[misc]
    first = engagement_view(view_store, base_bank, "demo", "baseline")
    assert first.rounds == ("baseline",) and first.trend is None and first.result.trend is None


def test_report_dashboard_and_cli_read_the_same_view(view_store: Store,
                                                     base_bank: Bank) -> None:
    view = engagement_view(view_store, base_bank, "demo", norms=True)
    rep = load_report_data("demo", store=view_store, bank=base_bank, anonymous=True)
    snap = snapshot(view_store, base_bank, "demo")
    assert isinstance(rep, EngagementView) and isinstance(rep, ReportData)
    assert isinstance(snap, EngagementView)
    doc = view.result.to_dict()
    assert rep.result.to_dict() == doc == snap.result.to_dict()
    assert engagement_result(view_store, base_bank, "demo").to_dict() == doc
    assert rep.rounds == snap.rounds == view.rounds and rep.actions == snap.actions
    assert rep.norms == view.norms and view.norms is not None
    # the report's options add to the view; the engagement's own setting stays the view's
    assert rep.anonymous and not view.anonymous
    assert snap.signature == view.signature


def test_the_view_refuses_answers_its_check_refuses(view_store: Store,
                                                    base_bank: Bank) -> None:
    seen: list[int] = []

    class Refused(Exception):
        pass

    def check(answers: object, bank: Bank) -> None:
        seen.append(len(answers))  # type: ignore[arg-type]
        raise Refused(bank.bank.id)

    with pytest.raises(Refused, match="alliance-health-check"):
        engagement_view(view_store, base_bank, "demo", check=check)
    assert seen and seen[0] > 0


def test_the_portfolio_badge_is_the_dashboards_headline(view_store: Store,
                                                        base_bank: Bank) -> None:
    shown = portfolio_app.view_frame(portfolio_frame(view_store, base_bank), base_bank)
    by_id = {str(r.engagement): r for r in shown.itertuples(index=False)}
    for eng in ("demo", LICENCE):
        head = presenting.headline(engagement_view(view_store, base_bank, eng).result)
        assert by_id[eng].kind == head.kind
        assert by_id[eng].badge == head.label
        assert portfolio_app.badge_colour(by_id[eng].kind) == head.colour
    # the licence is a recommendation on both pages, not a red "No fit"
    assert by_id[LICENCE].kind == "recommend"
