"""The dashboard of an engagement in its second round: it shows the latest round on that
round's questions, how things moved since the baseline, and the action plan, and records
actions and their status changes."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from workbook_helpers.apps.dashboard import Dashboard
from workbook_helpers.bank import load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.demo.health import ROUND_ID
from workbook_helpers.store import Store


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    seed_demo(s, load_bank())
    return s


def test_dashboard_shows_the_latest_round_its_trend_and_plan(store: Store) -> None:
    dash = Dashboard(store, load_bank(), "demo")
    assert dash.snap is not None and dash.snap.round == ROUND_ID
    assert ROUND_ID in _text(dash.round_line.value)
    assert dash.trend.value == ""          # hidden until revealed, like every score
    plan = _text(dash.plan.value)
    for a in store.actions("demo"):
        assert a.text in plan
    today = datetime.now(UTC).date()
    overdue = [a for a in store.actions("demo") if a.overdue(today)]
    assert len(overdue) == 1 and "overdue" in plan.lower()
    store.set_engagement_options("demo", revealed=True)
    dash.refresh(force=True)
    trend = dash.trend.value
    assert "<svg" in trend
    # every list of the health check's scores is in the trend, and the closed control gap
    for d in dash.snap.result.dimensions.values():
        assert html.escape(d.title, quote=True) in trend or d.title in _text(trend)
    assert dash.snap.trend is not None
    assert any(c.dimension == "control" for c in dash.snap.trend.closed)
    # the lists offered for an action are the health check's (operations is new there)
    assert "operations" in dict(dash.actions.list_pick.options).values()


def test_dashboard_records_an_action_and_escapes_it(store: Store) -> None:
    dash = Dashboard(store, load_bank(), "demo")
    before = len(store.actions("demo"))
    panel = dash.actions
    panel.text.value = '<script>alert("x")</script> & agree the KPI owners'
    panel.owner.value = "Jonas <b>Weber</b>"
    panel.due.value = datetime.now(UTC).date() + timedelta(days=14)
    panel.list_pick.value = "value"
    panel.record()
    acts = store.actions("demo")
    assert len(acts) == before + 1
    new = acts[-1]
    assert (new.list_id, new.round, new.status) == ("value", ROUND_ID, "open")
    assert "<script>" not in dash.plan.value and "&lt;script&gt;" in dash.plan.value
    assert "Jonas &lt;b&gt;Weber&lt;/b&gt;" in dash.plan.value
    assert new.id in dict(panel.pick.options).values()
    panel.pick.value = new.id
    panel.note.value = "owners named"
    panel.set_status("done")
    again = store.action("demo", new.id)
    assert again.status == "done" and again.history[-1].note == "owners named"
    assert "done" in _text(panel.message.value).lower()
    # a blank action is refused with a message, nothing written
    panel.text.value = "   "
    panel.owner.value = "Ann"
    panel.record()
    assert len(store.actions("demo")) == before + 1
    assert "empty" in _text(panel.message.value)
