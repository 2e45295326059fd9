"""The second round in the browser: the dashboard shows how things moved since the baseline
and the action plan, and the facilitator records an action that the portfolio then counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .conftest import Server, Watched, axe_serious, shoot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

HOSTILE = '<img src=x onerror=alert(1)> Agree who owns the KPI "value" figures & when'


def _wait(page: Any, selector: str) -> None:
    page.wait_for_selector(selector, state="visible", timeout=90_000)


def test_dashboard_trend_plan_and_recording_an_action(server: Server, page: Watched) -> None:
    store = server.store()
    store.set_engagement_options("demo", revealed=True)
    rounds = [r.id for r in store.rounds("demo")]
    assert len(rounds) == 2
    p = page.page
    p.goto(f"{server.base}/voila/render/dashboard.ipynb?engagement=demo")
    _wait(p, ".wb-dashboard .wb-verdict")
    assert rounds[-1] in p.locator(".wb-round-line").inner_text()
    # the trend: one small chart per list of the latest round, actually drawn
    trend = p.locator(".wb-trend")
    trend.wait_for(state="visible", timeout=60_000)
    svg = trend.locator("svg").first
    assert svg.locator("path").count() > 10
    latest = store.current_answers("demo")
    assert len(latest) and set(latest["round"]) == {rounds[-1]}
    chart_text = svg.text_content() or ""
    assert "Baseline" in chart_text and rounds[-1] in chart_text
    table = trend.locator(".wb-trend-table").inner_text()
    bank = _round_bank(store)
    for lst in bank.lists:
        if any(q.scored for q in bank.questions_in(lst.id)):
            assert lst.title in table
    shoot(p, "dashboard-trend", trend)
    # the action plan lists every stored action; the overdue one is marked
    plan = p.locator(".wb-actions")
    for a in store.actions("demo"):
        assert a.text in plan.inner_text()
    today = datetime.now(UTC).date()
    assert plan.locator(".wb-overdue").count() == sum(a.overdue(today)
                                                      for a in store.actions("demo"))
    before = len(store.actions("demo"))
    # record an action in the form
    form = p.locator(".wb-action-form")
    form.locator("textarea").fill(HOSTILE)
    form.locator("input[type=text]").first.fill("Jonas Weber")
    due = today + timedelta(days=21)
    form.locator("input[type=date]").fill(due.isoformat())
    form.locator("select").first.select_option(label=_round_bank(store).list_map["value"].title)
    form.get_by_role("button", name="Record action").click()
    p.wait_for_function("n => document.querySelectorAll('.wb-actions tbody tr').length === n",
                        arg=before + 1, timeout=30_000)
    acts = store.actions("demo")
    assert len(acts) == before + 1
    new = acts[-1]
    assert (new.text, new.owner, new.due, new.list_id, new.round) == (
        HOSTILE, "Jonas Weber", due, "value", rounds[-1])
    assert HOSTILE in plan.inner_text()           # shown as text
    assert plan.locator("img").count() == 0        # never as markup
    assert re.search(r"Recorded action \d+", form.inner_text())
    shoot(p, "dashboard-action-plan", plan)
    shoot(p, "dashboard-rounds-1280x800")
    problems = axe_serious(p)
    assert not problems, "\n".join(problems)
    store.set_engagement_options("demo", revealed=False)
    # the portfolio counts the action the room just recorded
    open_now = sum(a.status == "open" for a in store.actions("demo"))
    overdue_now = sum(a.overdue(today) for a in store.actions("demo"))
    p.goto(f"{server.base}/voila/render/portfolio.ipynb")
    p.wait_for_selector('.wb-pf-table tr[data-engagement="demo"]', timeout=90_000)
    demo_row = p.locator('.wb-pf-table tr[data-engagement="demo"]')
    assert int(demo_row.locator(".wb-pf-open").inner_text()) == open_now
    assert str(overdue_now) in demo_row.inner_text()
    assert rounds[-1] in demo_row.inner_text()
    shoot(p, "portfolio-after-dashboard-action")


def _round_bank(store: Any) -> Any:
    from workbook_helpers.bank import load_bank
    from workbook_helpers.bank.choice import bank_for

    return bank_for(store.round("demo").bank, load_bank())
