"""The setup page sends invitations and reminders after a confirmation, and the setup and
dashboard rosters show who was invited, reminded, started and finished (through a real SMTP
server on 127.0.0.1)."""

from __future__ import annotations

from tests.mail_support import smtp_server
from workbook_helpers.apps.dashboard import Dashboard
from workbook_helpers.apps.mail_panel import message_roster_html
from workbook_helpers.apps.setup import SetupApp, roster_html

HOSTILE = '<i>Zoë "Z" & co</i>'


def _people(store) -> None:
    store.create_engagement("eng", "Host", "Partner")
    store.add_respondent("eng", "ann", "Ann Lee", "host", "CEO", email="ann@host.example.com")
    store.add_respondent("eng", "zoe", HOSTILE, "partner", "CFO", email="zoe@partner.example.com")
    store.add_respondent("eng", "max", "Max Roe", "partner", "COO")  # no address


def test_setup_sends_only_after_confirmation_and_the_rosters_follow(store, bank, monkeypatch):
    _people(store)
    monkeypatch.setenv("WORKBOOK_PUBLIC_URL", "https://workshop.example.com")
    with smtp_server() as (port, inbox):
        monkeypatch.setenv("WORKBOOK_SMTP_URL",
                           f"smtp://127.0.0.1:{port}?from=fac@host.example.com")
        app = SetupApp(store, bank, "eng", base="https://workshop.example.com")
        app.mail.deadline.value = "2027-01-15"
        app.mail.ask("invite")
        assert inbox.arrived == [] and app.mail.confirm_box.layout.display == "flex"
        question = app.mail.question.value
        assert "Send 2 invitations to" in question and "ann@host.example.com" in question
        assert "&lt;i&gt;Zo" in question and "<i>" not in question
        assert "Max Roe (no e-mail address" in question
        app.mail.cancel()
        assert inbox.arrived == [] and store.messages("eng") == []
        app.mail.ask("invite")
        app.mail.send()
        assert sorted(a.rcpt_tos[0] for a in inbox.arrived) == ["ann@host.example.com",
                                                                "zoe@partner.example.com"]
        assert "Sent 2 invitations" in app.mail.message.value
        roster = app.roster.value
        assert roster.count('class="wb-invited">no<') == 1  # Max only
        # Ann finishes; a reminder goes to Zoë only (Max has no address)
        for q in bank.questions:
            store.record_answer("eng", "ann", q.id, q.scale.max)
        store.record_answer("eng", "zoe", bank.questions[0].id, 2)
        app.mail.ask("remind")
        assert "Left out" in app.mail.question.value
        # the invitation was just sent: nobody is reminded within 48 hours
        assert app.mail.confirm_box.layout.display == "none"
        assert "Nobody needs a reminder" in app.mail.message.value
    html = message_roster_html(store, bank, "eng")
    assert html.count('class="wb-invited">no<') == 1
    assert html.count('class="wb-finished">yes<') == 1
    assert "no (1 of" in html and "&lt;i&gt;Zo" in html
    assert "@" not in html  # the dashboard never shows addresses
    anon = message_roster_html(store, bank, "eng", anonymous=True)
    assert "Ann Lee" not in anon and "CEO" in anon
    dash = Dashboard(store, bank, "eng", controls=True)
    assert "wb-message-roster" in dash.messages.value
    assert "wb-invited" in roster_html(store, "eng", bank=bank)


def test_setup_says_how_to_send_without_a_mail_server(store, bank, monkeypatch):
    _people(store)
    monkeypatch.delenv("WORKBOOK_SMTP_URL", raising=False)
    app = SetupApp(store, bank, "eng")
    app.mail.ask("invite")
    assert "WORKBOOK_SMTP_URL" in app.mail.message.value and "--eml" in app.mail.message.value
    assert app.mail.confirm_box.layout.display == "none"
