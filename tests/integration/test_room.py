"""Ready for the room: the plan, admission, refills, the lean questionnaire path and the
one current-answer rule in plain Python (what the questionnaire's kernel uses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_helpers.domain import current_answers, latest_of
from workbook_helpers.server.room import admit, plan, pool_target, voila_settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_pool_holds_the_room_and_a_margin() -> None:
    p = plan(40, cores=2, available_mib=20_000)
    assert p.pool > p.room == 40
    assert p.margin == p.pool - p.room >= 2
    assert p.max_visitors >= p.pool  # the machine holds at least the room it is ready for
    small = plan(1, cores=2, available_mib=20_000)
    assert small.pool == 1 + small.margin and small.margin == 2


def test_max_visitors_follows_memory_unless_set() -> None:
    roomy = plan(10, cores=2, available_mib=20_000)
    tight = plan(10, cores=2, available_mib=2_000)
    assert roomy.max_visitors > tight.max_visitors
    assert plan(10, max_visitors=7, cores=2, available_mib=20_000).max_visitors == 7


def test_admission() -> None:
    p = plan(10, max_visitors=12, cores=2, available_mib=20_000)
    assert admit(p, open_pages=0, ready=5, waiting=0) == "pooled"
    assert admit(p, open_pages=3, ready=0, waiting=0) == "cold"
    assert admit(p, open_pages=3, ready=0, waiting=p.max_cold) == "busy"
    assert admit(p, open_pages=12, ready=5, waiting=0) == "full"


def test_the_pool_is_not_refilled_while_the_expected_room_arrives() -> None:
    p = plan(10, cores=2, available_mib=20_000)
    assert pool_target(p, 0) == p.pool            # before anyone came: the whole room
    assert pool_target(p, 1) == p.pool - 1        # one took a kernel: no replacement
    assert pool_target(p, p.room) == p.margin     # the room is in: only the margin
    assert pool_target(p, p.room + 5) == p.margin  # late-comers keep the margin topped up


def test_voila_settings_size_the_pool_and_cull_idle_pages() -> None:
    p = plan(25, idle_minutes=7, cores=2, available_mib=20_000)
    base = {"VoilaKernelManager": {"fill_delay": 3, "kernel_pools_config": {
        "questionnaire.ipynb": {"pool_size": 2}, "default": {"pool_size": 1}}},
        "Voila": {"port": 8866}}
    conf = voila_settings(p, base)
    pools = conf["VoilaKernelManager"]["kernel_pools_config"]
    assert pools["questionnaire.ipynb"]["pool_size"] == p.pool
    assert pools["default"]["pool_size"] == 1
    assert conf["MappingKernelManager"]["cull_idle_timeout"] == 7 * 60
    assert conf["MappingKernelManager"]["cull_connected"] is True
    assert conf["Voila"] == {"port": 8866}
    assert base["VoilaKernelManager"]["kernel_pools_config"]["questionnaire.ipynb"][
        "pool_size"] == 2  # the shipped file's settings are not changed in place
    # a server only questionnaires will use keeps no kernel ready for the other pages
    lean_plan = plan(25, idle_minutes=7, cores=2, available_mib=20_000, other_pages=0)
    lean = voila_settings(lean_plan, base)["VoilaKernelManager"]
    assert lean["kernel_pools_config"]["default"]["pool_size"] == 0
    assert lean["kernel_pools_config"]["questionnaire.ipynb"]["pool_size"] == p.pool


T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-3, 3), st.integers(1, 5)),
                min_size=1, max_size=12))
def test_plain_rule_agrees_with_the_frame_rule(rows: list[tuple[int, int, int]]) -> None:
    # (insert id offset, minutes from T0, value): ties on the instant are common on purpose
    recs = [SimpleNamespace(id=i * 10 + off, answered_at=T0 + timedelta(minutes=m), value=v)
            for i, (off, m, v) in enumerate(rows)]
    frame = pd.DataFrame({"id": [r.id for r in recs], "value": [r.value for r in recs],
                          "answered_at": [r.answered_at for r in recs]})
    expected = current_answers(frame, order="id", keys=())
    got = latest_of(recs, lambda r: r.answered_at, lambda r: r.id)
    assert got is not None
    assert got.value == int(expected["value"].iloc[0])
    assert got.id == int(expected["id"].iloc[0])


def test_plain_rule_of_nothing_is_none() -> None:
    assert latest_of([], lambda r: r, lambda r: r) is None


def test_respondent_answers_match_the_store_frame(demo_store) -> None:  # type: ignore[no-untyped-def]
    store = demo_store
    who = store.respondents("demo")[0]
    store.record_answer("demo", who.id, "ctl-governance", 2, comment="first")
    store.record_answer("demo", who.id, "ctl-governance", 4, comment="changed my mind")
    mine = store.respondent_answers("demo", who.id)
    frame = store.current_answers("demo")
    frame = frame[(frame["respondent"] == who.id) & (frame["about"] == "self")]
    assert set(mine) == set(frame["question_id"])
    for row in frame.itertuples(index=False):
        a = mine[row.question_id]
        assert a.dont_know == bool(row.dont_know)
        assert a.comment == row.comment
        assert a.value == (None if row.dont_know else int(row.value))
    assert mine["ctl-governance"].value == 4
    assert mine["ctl-governance"].comment == "changed my mind"


def test_the_questionnaire_kernel_loads_no_pandas_scoring_or_voila(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # what a pre-heated questionnaire kernel imports before its visitor arrives, and what
    # building the page for a respondent adds: neither loads pandas, the scoring model,
    # the charts or the Voila server package
    code = """
import json, sys
from workbook_helpers.apps import pages
from workbook_helpers.demo import seed_demo  # seeding only: dropped from the check below
"""
    seed = subprocess.run([sys.executable, "-c", code + f"""
from workbook_helpers.store import Store
from workbook_helpers.bank import load_bank
s = Store.open("sqlite:///{tmp_path / 'workbook.db'}"); seed_demo(s, load_bank())
print(s.respondents("demo")[0].id)
"""], capture_output=True, text=True, check=True)
    rid = seed.stdout.strip().splitlines()[-1]
    probe = f"""
import json, sys
from workbook_helpers.apps import pages
pages.warm_up("questionnaire")
w = pages.questionnaire_page("demo", "{rid}", "")
heavy = sorted(m for m in ("pandas", "numpy", "altair", "workbook_helpers.scoring", "voila",
                           "alembic", "jupyter_server") if m in sys.modules)
print(json.dumps({{"heavy": heavy, "widget": type(w).__name__}}))
"""
    env = {"WORKBOOK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "WORKBOOK_SCHEMA_READY": "1"}
    if os.environ.get("PYTHONPATH"):  # the same package as the seeding process above
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["heavy"] == []
    assert got["widget"] == "VBox"


def test_an_answer_kept_by_a_closing_page_is_saved_as_its_kernel_exits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # a page whose store was unreachable keeps the answer and retries; when the page's kernel
    # is shut down (tab closed, idle page released), Python's exit runs one last attempt
    db = tmp_path / "workbook.db"
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from tests.conftest import FlakyStore
from workbook_helpers.apps.saving import Answer, AnswerSaver
from workbook_helpers.bank import load_bank
from workbook_helpers.demo import seed_demo
from workbook_helpers.store import Store
store = Store.open("sqlite:///{db}")
seed_demo(store, load_bank(), with_health_check=False)
who = store.respondents("demo")[0].id
flaky = FlakyStore(store)
saver = AnswerSaver(flaky, "demo", who, schedule=lambda d, cb: None)
status = saver.save(Answer("sf-strategy-link", 2, comment="kept until the end"))
assert status.state == "retrying", status
flaky.down = False   # the store is back, but no retry timer fires before the exit
print(who)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    who = out.stdout.strip().splitlines()[-1]
    from workbook_helpers.store import Store

    store = Store.open(f"sqlite:///{db}")
    try:
        mine = store.respondent_answers("demo", who)
    finally:
        store.close()
    assert mine["sf-strategy-link"].value == 2
    assert mine["sf-strategy-link"].comment == "kept until the end"


def test_the_dashboard_scores_only_when_something_changed(demo_store) -> None:  # type: ignore[no-untyped-def]
    from workbook_helpers.apps.dashboard import Dashboard
    from workbook_helpers.bank import load_bank

    store = demo_store
    store.add_round("demo", "second-look")  # same bank, everyone carried over
    rounds = [r.id for r in store.rounds("demo")]
    assert rounds == ["baseline", "second-look"]
    bank = load_bank()
    dash = Dashboard(store, bank, "demo")
    first = dash.snap
    assert first is not None
    # polls with nothing new: no new snapshot, nothing scored or drawn
    renders = dash.renders
    assert dash.refresh() is False and dash.refresh() is False
    assert dash.snap is first and dash.renders == renders
    # an answer in the latest round: one new snapshot; the earlier round is not scored again
    baseline_before = _round_result(store, rounds[0])
    who = store.respondents("demo")[0]
    store.record_answer("demo", who.id, bank.questions[0].id, 1, comment="a late change")
    assert dash.refresh() is True
    assert dash.snap is not first and dash.renders == renders + 1
    assert _round_result(store, rounds[0]) is baseline_before
    # the switches count as a change too
    store.set_engagement_options("demo", anonymous=True)
    assert dash.refresh() is True


def _round_result(store, round_id):  # type: ignore[no-untyped-def]
    from workbook_helpers.bank import load_bank
    from workbook_helpers.scoring.stored import round_score

    return round_score(store, load_bank(), "demo", round_id,
                       stamp=store.round_stamps("demo")[round_id])
