"""Invitations and reminders sent from the setup page of a real Voila server, through a real
SMTP server on 127.0.0.1; the setup roster and the dashboard then show invited, reminded and
finished."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from tests.mail_support import Inbox, smtp_server

from .conftest import CHROMIUM, Watched, shoot, voila_on

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Inbox, Any]]:
    """Voila over a store of one engagement (Ann finished, Bob invited three days ago and
    half-way, Cem and Dee not yet invited), whose setup page sends through aiosmtpd."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from workbook_helpers.bank import load_bank
    from workbook_helpers.store import Store
    from workbook_helpers.store.base import now
    from workbook_helpers.store.schema import messages

    bank = load_bank()
    data = tmp_path_factory.mktemp("mailstore")
    url = f"sqlite:///{data / 'workbook.db'}"
    store = Store.open(url)
    store.create_engagement("mail", "Host Co", "Partner plc")
    people = [("ann", "Ann Lee", "host"), ("bob", "Bob Ng", "host"),
              ("cem", "Cem Ak", "partner"), ("dee", "Dee Fox", "partner")]
    for rid, name, side in people:
        store.add_respondent("mail", rid, name, side, "Director", email=f"{rid}@x.example.com")
    for q in bank.questions:
        store.record_answer("mail", "ann", q.id, q.scale.max)
    for q in bank.questions[:5]:
        store.record_answer("mail", "bob", q.id, q.scale.min)
    for rid in ("ann", "bob"):
        mid = store.start_message("mail", "baseline", rid, "invite", f"{rid}@x.example.com")
        store.finish_message(mid, "sent")
    with store.engine.begin() as conn:  # the invitations went out three days ago
        conn.execute(update(messages).values(sent_at=now() - timedelta(days=3)))
    store.close()
    with smtp_server() as (port, inbox):
        old = os.environ.get("WORKBOOK_SMTP_URL")
        os.environ["WORKBOOK_SMTP_URL"] = f"smtp://127.0.0.1:{port}?from=fac@x.example.com"
        try:
            with voila_on(data, "127.0.0.1", tmp_path_factory.mktemp("mailapps"),
                          data / "voila.log", settle=3) as (vport, *_rest):
                yield f"http://127.0.0.1:{vport}", inbox, lambda: Store.open(url)
        finally:
            if old is None:
                os.environ.pop("WORKBOOK_SMTP_URL", None)
            else:
                os.environ["WORKBOOK_SMTP_URL"] = old


def _send(p: Any, button: str, count: int, done: str) -> None:
    p.get_by_role("button", name=button).click()
    p.wait_for_selector(".wb-mail-confirm", state="visible", timeout=60_000)
    p.get_by_role("button", name=f"Send {count} now").click()
    p.wait_for_function("t => document.body.innerText.includes(t)", arg=done, timeout=60_000)


def test_roster_shows_invited_reminded_and_finished_after_a_send(mail_server, page: Watched):
    base, inbox, open_store = mail_server
    p = page.page
    p.goto(f"{base}/voila/render/setup.ipynb?engagement=mail", timeout=240_000)
    p.wait_for_selector(".wb-roster", state="visible", timeout=240_000)
    roster = p.locator(".wb-roster")
    assert "finished" in roster.inner_text()
    _send(p, "Send reminders…", 1, "Sent 1 reminder")  # Bob: invited 3 days ago, not done
    _send(p, "Send invitations…", 2, "Sent 2 invitations")  # Cem and Dee
    assert sorted(a.rcpt_tos[0] for a in inbox.arrived) == [
        "bob@x.example.com", "cem@x.example.com", "dee@x.example.com"]
    p.wait_for_function(
        "() => [...document.querySelectorAll('.wb-roster tr')].some(r => "
        "r.innerText.includes('Dee Fox') && r.querySelector('.wb-invited').innerText !== 'no')",
        timeout=60_000)
    rows = {r.split("\t")[0]: r for r in roster.inner_text().splitlines() if "\t" in r}
    assert "5 of" in rows["Bob Ng"] and "finished" in rows["Ann Lee"]
    reminded = p.locator(".wb-roster tr", has_text="Bob Ng").locator(".wb-reminded")
    assert reminded.inner_text() != "no"
    for name in ("Cem Ak", "Dee Fox"):
        invited = p.locator(".wb-roster tr", has_text=name).locator(".wb-invited")
        assert invited.inner_text() != "no"
    shoot(p, "setup-invitations-sent")
    store = open_store()
    sent = [(m.respondent, m.kind) for m in store.messages("mail") if m.status == "sent"]
    store.close()
    assert sorted(sent) == [("ann", "invite"), ("bob", "invite"), ("bob", "remind"),
                            ("cem", "invite"), ("dee", "invite")]
    # the dashboard's roster says the same
    p.goto(f"{base}/voila/render/dashboard.ipynb?engagement=mail", timeout=240_000)
    p.wait_for_selector(".wb-message-roster", state="visible", timeout=240_000)
    table = p.locator(".wb-message-roster")
    bob = table.locator("tr", has_text="Bob Ng")
    assert bob.locator(".wb-reminded").inner_text() != "no"
    assert bob.locator(".wb-started").inner_text() == "yes"
    assert table.locator("tr", has_text="Ann Lee").locator(".wb-finished").inner_text() == "yes"
    assert "@" not in table.inner_text()
    shoot(p, "dashboard-message-roster", table)
