"""Invitations and reminders through a real SMTP server on 127.0.0.1 (aiosmtpd): one message
per respondent with their own link and nobody else's, names escaped in the HTML, a server that
drops the connection half-way, reruns that send only what is missing, dry runs and .eml
files."""

from __future__ import annotations

import json
import re
from email import message_from_bytes, policy

import pytest

from tests.conftest import run_cli
from tests.mail_support import smtp_server
from workbook_helpers.store import Store

PUBLIC = "https://workshop.example.com"
HOSTILE = '<b>Eve & "Co"</b>'
PEOPLE = [("ann", "Ann Lee", "host", "ann@host.example.com"),
          ("bob", "Bob Ng", "host", "bob@host.example.com"),
          ("eve", HOSTILE, "partner", "eve@partner.example.com"),
          ("kim", "Kim Roy", "partner", "kim@partner.example.com")]
TOKEN = re.compile(r"[?&]t=([A-Za-z0-9_-]+)")


@pytest.fixture
def eng(data_dir, monkeypatch) -> dict[str, str]:
    """An engagement of four respondents with addresses; returns their link tokens."""
    monkeypatch.setenv("WORKBOOK_PUBLIC_URL", PUBLIC)
    assert run_cli("engagement", "create", "eng", "--host-org", "Host & Co",
                   "--partner-org", "Partner plc").code == 0
    for rid, name, side, mail in PEOPLE:
        res = run_cli("respondent", "add", "eng", rid, "--name", name, "--side", side,
                      "--email", mail)
        assert res.code == 0, res.err
    s = Store.open()
    tokens = {p.id: str(p.token) for p in s.respondents("eng")}
    s.close()
    return tokens


def _use(monkeypatch, port: int) -> None:
    monkeypatch.setenv("WORKBOOK_SMTP_URL",
                       f"smtp://127.0.0.1:{port}?from=facilitator@host.example.com")


def _recorded(status: str | None = None) -> list[tuple[str, str, str]]:
    s = Store.open()
    rows = [(m.respondent, m.kind, m.status) for m in s.messages("eng")
            if status is None or m.status == status]
    s.close()
    return rows


def test_each_respondent_gets_one_message_with_their_own_link(eng, monkeypatch):
    with smtp_server() as (port, inbox):
        _use(monkeypatch, port)
        res = run_cli("invite", "eng", "--deadline", "2027-01-15")
        assert res.code == 0, res.err
    assert sorted(a.rcpt_tos[0] for a in inbox.arrived) == sorted(p[3] for p in PEOPLE)
    by_address = {a.rcpt_tos[0]: a for a in inbox.arrived}
    for rid, name, _side, mail in PEOPLE:
        got = by_address[mail]
        text, html = got.part("plain"), got.part("html")
        own = f"{PUBLIC}/voila/render/questionnaire.ipynb?t={eng[rid]}"
        assert own in text and f'href="{own}"' in html
        # no other respondent's link, in any part
        assert set(TOKEN.findall(text)) == {eng[rid]} and set(TOKEN.findall(html)) == {eng[rid]}
        assert "Friday 15 January 2027" in text and "minutes" in text
        assert got.message["From"] == "facilitator@host.example.com"
        assert got.mail_from == "facilitator@host.example.com"
        if rid == "eve":
            assert "&lt;b&gt;Eve &amp; &quot;Co&quot;&lt;/b&gt;" in html
            assert HOSTILE not in html and "<b>" not in html
            assert f"Dear {HOSTILE}," in text  # plain text shows the name as written
        else:
            assert f"Dear {name}," in text
        assert "Host &amp; Co" in html
    assert sorted(_recorded("sent")) == sorted((p[0], "invite", "sent") for p in PEOPLE)
    # a second run finds everybody invited and sends nothing
    with smtp_server() as (port, inbox2):
        _use(monkeypatch, port)
        again = run_cli("invite", "eng")
        assert again.code == 0, again.err
    assert inbox2.arrived == [] and "Nothing to send" in again.out


def test_a_dropped_connection_keeps_two_sent_and_the_rerun_sends_the_rest_once(eng,
                                                                              monkeypatch):
    with smtp_server(drop_after=2) as (port, inbox):
        _use(monkeypatch, port)
        res = run_cli("invite", "eng")
        assert res.code == 1
        assert "failed after 2 of 4" in res.err and "run the command again" in res.err
        first = [a.rcpt_tos[0] for a in inbox.arrived]
        assert len(first) == 2
        sent = _recorded("sent")
        assert len(sent) == 2
        assert len(_recorded("failed")) == 2
        addresses = dict((p[0], p[3]) for p in PEOPLE)
        assert sorted(addresses[r] for r, _k, _s in sent) == sorted(first)
        rerun = run_cli("invite", "eng")
        assert rerun.code == 0, rerun.err
    everyone = [a.rcpt_tos[0] for a in inbox.arrived]
    assert sorted(everyone) == sorted(p[3] for p in PEOPLE)  # each exactly once
    assert len(_recorded("sent")) == 4


def test_a_server_that_is_down_sends_nothing_and_records_why(eng, monkeypatch):
    from tests.mail_support import free_port

    _use(monkeypatch, free_port())  # nothing listens there
    res = run_cli("invite", "eng")
    assert res.code == 1 and "cannot use the mail server" in res.err
    assert _recorded("sent") == [] and len(_recorded("failed")) == 4


def test_dry_run_sends_and_records_nothing(eng, monkeypatch):
    with smtp_server() as (port, inbox):
        _use(monkeypatch, port)
        res = run_cli("invite", "eng", "--dry-run", "--format", "json")
        assert res.code == 0, res.err
    assert inbox.arrived == [] and _recorded() == []
    doc = json.loads(res.out)
    assert "nothing was sent" in doc["summary"]
    rows = {r["respondent"]: r for r in doc["messages"]}
    assert set(rows) == {p[0] for p in PEOPLE}
    for rid, _n, _s, mail in PEOPLE:
        assert rows[rid]["address"] == mail and rows[rid]["goes"] is True
        assert rows[rid]["link"].endswith(f"?t={eng[rid]}")
    table = run_cli("invite", "eng", "--dry-run", "--to", "bob")
    assert table.code == 0 and "bob@host.example.com" in table.out
    assert "ann@host.example.com" not in table.out


def test_eml_files_parse_back_with_the_link_intact(eng, tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBOOK_SMTP_URL", raising=False)
    out = tmp_path / "mail out"
    res = run_cli("invite", "eng", "--eml", str(out), "--from", "fac@host.example.com")
    assert res.code == 0, res.err
    files = sorted(out.glob("*.eml"))
    assert [f.name for f in files] == sorted(f"baseline.{p[0]}.invite.eml" for p in PEOPLE)
    for f in files:
        rid = f.name.split(".")[1]
        msg = message_from_bytes(f.read_bytes(), policy=policy.default)
        assert msg["To"].addresses[0].addr_spec == dict((p[0], p[3]) for p in PEOPLE)[rid]
        text = msg.get_body(preferencelist=("plain",)).get_content()
        html = msg.get_body(preferencelist=("html",)).get_content()
        link = f"{PUBLIC}/voila/render/questionnaire.ipynb?t={eng[rid]}"
        assert link in text and link in html
        assert set(TOKEN.findall(text)) == {eng[rid]}
    assert sorted(_recorded("sent")) == sorted((p[0], "invite", "sent") for p in PEOPLE)


def test_reminders_go_to_those_not_finished_saying_how_far_they_got(eng, monkeypatch, bank):
    s = Store.open()
    for q in bank.questions:  # ann finishes
        s.record_answer("eng", "ann", q.id, q.scale.min)
    for q in bank.questions[:3]:  # bob answers three
        s.record_answer("eng", "bob", q.id, q.scale.max)
    s.close()
    total = len(bank.questions)
    with smtp_server() as (port, inbox):
        _use(monkeypatch, port)
        early = run_cli("remind", "eng")  # nobody invited yet: nobody to remind
        assert early.code == 0 and inbox.arrived == [] and "not invited" in early.out
        assert run_cli("invite", "eng").code == 0 and len(inbox.arrived) == 4
        # at once after the invitation: nobody twice within the interval
        again = run_cli("remind", "eng")
        assert again.code == 0 and len(inbox.arrived) == 4
        assert "less than 48 hours ago" in again.out
        res = run_cli("remind", "eng", "--interval", "0")
        assert res.code == 0, res.err
        got = {a.rcpt_tos[0]: a for a in inbox.arrived[4:]}
        assert set(got) == {"bob@host.example.com", "eve@partner.example.com",
                            "kim@partner.example.com"}
        assert f"3 of {total} questions" in got["bob@host.example.com"].part("plain")
        assert "still waiting" in got["kim@partner.example.com"].part("plain")
        assert f"?t={eng['bob']}" in got["bob@host.example.com"].part("plain")
        # and within the interval of that reminder, nobody again
        assert run_cli("remind", "eng", "--interval", "1").code == 0
        assert len(inbox.arrived) == 7
    assert ("ann", "remind", "sent") not in _recorded()


def test_bad_input_exits_2_and_sends_nothing(eng, monkeypatch):
    monkeypatch.delenv("WORKBOOK_SMTP_URL", raising=False)
    res = run_cli("invite", "eng")
    assert res.code == 2 and "WORKBOOK_SMTP_URL" in res.err and "--eml" in res.err
    monkeypatch.setenv("WORKBOOK_SMTP_URL", "http://127.0.0.1:25")
    assert run_cli("invite", "eng").code == 2
    with smtp_server() as (port, inbox):
        _use(monkeypatch, port)
        assert run_cli("invite", "eng", "--to", "nobody").code == 2
        assert run_cli("invite", "eng", "--deadline", "soon").code == 2
        monkeypatch.delenv("WORKBOOK_PUBLIC_URL")
        res = run_cli("invite", "eng")
        assert res.code == 2 and "WORKBOOK_PUBLIC_URL" in res.err
    assert inbox.arrived == [] and _recorded() == []


def test_a_respondent_without_an_address_is_left_out_and_said_so(eng, monkeypatch):
    assert run_cli("respondent", "email", "eng", "kim", "--clear").code == 0
    with smtp_server() as (port, inbox):
        _use(monkeypatch, port)
        res = run_cli("invite", "eng")
        assert res.code == 0, res.err
    assert len(inbox.arrived) == 3 and "no e-mail address" in res.out


def test_a_refused_login_sends_nothing_and_a_good_one_sends(eng, monkeypatch):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(server, session, envelope, mechanism, data):  # type: ignore[no-untyped-def]
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"mailer", b"s3cret pass")
        return AuthResult(success=ok, handled=False)

    with smtp_server(authenticator=check, auth_require_tls=False) as (port, inbox):
        monkeypatch.setenv("WORKBOOK_SMTP_URL",
                           f"smtp://mailer@127.0.0.1:{port}?from=fac@host.example.com")
        monkeypatch.setenv("WORKBOOK_SMTP_PASSWORD", "wrong")
        res = run_cli("invite", "eng")
        assert res.code == 1 and "refused the login" in res.err
        assert "wrong" not in res.err  # the password is never shown
        assert inbox.arrived == [] and _recorded("sent") == []
        monkeypatch.setenv("WORKBOOK_SMTP_PASSWORD", "s3cret pass")
        ok = run_cli("invite", "eng")
        assert ok.code == 0, ok.err
    assert len(inbox.arrived) == 4 and len(_recorded("sent")) == 4


def _certificate(folder) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A self-signed certificate for 127.0.0.1 (openssl CLI), as (cert, key) paths."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return str(cert), str(key)


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_starttls_and_tls_with_a_checked_certificate(eng, monkeypatch, tmp_path, scheme):
    import ssl

    cert, key = _certificate(tmp_path)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    server_tls = ({"tls_context": ctx, "require_starttls": True} if scheme == "smtp"
                  else {"ssl_context": ctx})
    with smtp_server(**server_tls) as (port, inbox):
        monkeypatch.setenv("WORKBOOK_SMTP_URL",
                           f"{scheme}://127.0.0.1:{port}?from=fac@host.example.com")
        # a certificate nobody vouches for is refused: nothing is sent
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nothing.pem"))
        refused = run_cli("invite", "eng", "--to", "ann")
        assert refused.code == 1 and inbox.arrived == []
        monkeypatch.setenv("SSL_CERT_FILE", cert)  # now the test's certificate is trusted
        res = run_cli("invite", "eng")
        assert res.code == 0, res.err
    assert len(inbox.arrived) == 4


def test_a_remote_server_without_starttls_is_refused(eng, monkeypatch):
    # 127.0.0.2 is this machine too, but not one of the addresses taken as a local relay
    from tests.mail_support import free_port

    port = free_port()
    from aiosmtpd.controller import Controller

    from tests.mail_support import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.2", port=port)
    try:
        controller.start()
    except Exception as exc:  # pragma: no cover - a system without 127.0.0.2
        pytest.skip(f"cannot listen on 127.0.0.2: {exc}")
    try:
        monkeypatch.setenv("WORKBOOK_SMTP_URL",
                           f"smtp://127.0.0.2:{port}?from=fac@host.example.com")
        res = run_cli("invite", "eng")
    finally:
        controller.stop()
    assert res.code == 1 and "offers no STARTTLS" in res.err
    assert inbox.arrived == [] and _recorded("sent") == []


def test_a_refused_address_fails_alone_and_the_others_are_sent(eng, monkeypatch):
    from tests.mail_support import picky_smtp_server

    with picky_smtp_server(refuse=("bob@host.example.com",)) as (port, inbox):
        _use(monkeypatch, port)
        res = run_cli("invite", "eng")
        assert res.code == 1 and "bob" in res.err and "550" in res.err and "3 sent" in res.err
    assert sorted(a.rcpt_tos[0] for a in inbox.arrived) == [
        "ann@host.example.com", "eve@partner.example.com", "kim@partner.example.com"]
    s = Store.open()
    failed = [m for m in s.messages("eng") if m.status == "failed"]
    s.close()
    assert [m.respondent for m in failed] == ["bob"] and "550" in failed[0].reason
