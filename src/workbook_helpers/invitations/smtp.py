"""The mail server: `WORKBOOK_SMTP_URL` read into an `SmtpTarget` (checked, exit 2 when it
cannot be used) and a `Mailer` that connects, secures and logs in once per run.

`smtp://host[:port]` sends after STARTTLS (port 587 by default) and refuses a server that does
not offer it, unless the server is on this machine (127.0.0.1, ::1, localhost: a local relay);
`smtps://host[:port]` speaks TLS from the start (port 465). The login comes from the URL
(`smtp://user:password@host`) or from `WORKBOOK_SMTP_USER` / `WORKBOOK_SMTP_PASSWORD`; the
sender from `?from=ADDRESS`, `--from`, or the login when it is an address.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from ..config import SMTP_URL_ENV, settings
from ..exceptions import BadInputError, MailServerError, Problem

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to send: scheme (smtp or smtps), host, port, login and sender."""

    scheme: str
    host: str
    port: int
    user: str = ""
    password: str = ""
    sender: str = ""
    timeout: float = 30.0

    def describe(self) -> str:
        """The server as shown in messages (never the password)."""
        who = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{who}{self.host}:{self.port}"

    @property
    def default_sender(self) -> str:
        """The sender the URL gives (`?from=`), else its login when that is an address, else
        '' (the caller must then ask for one)."""
        return self.sender or (self.user if "@" in self.user else "")


def parse_smtp_url(url: str | None = None) -> SmtpTarget:
    """The mail server of `url` (default: the setting); BadInputError naming the setting and
    the fix when it cannot be used."""
    conf = settings()
    text = (url if url is not None else conf.smtp_url).strip()

    def bad(why: str) -> BadInputError:
        return BadInputError(Problem(
            f"{SMTP_URL_ENV} {why}", column=SMTP_URL_ENV,
            fix="use smtp://HOST:587 (STARTTLS) or smtps://HOST:465 (TLS), e.g. "
            "smtps://mailer@mail.company.com:465?from=facilitator@company.com; or write "
            "the messages as files with --eml DIR."))

    if not text:
        raise bad("is not set.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise bad(f"cannot be read ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise bad(f"must start with smtp:// or smtps://, not {parts.scheme or '(nothing)'}://.")
    if not parts.hostname:
        raise bad("names no server.")
    query = parse_qs(parts.query)
    user = unquote(parts.username or "") or conf.smtp_user
    password = unquote(parts.password or "") or conf.smtp_password
    sender = (query.get("from") or [""])[0].strip()
    if sender:
        from ..answers.addresses import check_email

        sender = check_email(sender, column=f"{SMTP_URL_ENV} ?from=") or ""
    return SmtpTarget(scheme, parts.hostname, port or DEFAULT_PORTS[scheme], user, password,
                      sender)


class Mailer:
    """One SMTP session for a run (a context manager): connected, secured and logged in on
    entry, closed on exit. Failures raise `MailServerError` with the reason and the fix."""

    def __init__(self, target: SmtpTarget) -> None:
        self.target = target
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        t = self.target
        try:
            if t.scheme == "smtps":
                self.smtp = smtplib.SMTP_SSL(t.host, t.port, timeout=t.timeout,
                                             context=ssl.create_default_context())
            else:
                self.smtp = smtplib.SMTP(t.host, t.port, timeout=t.timeout)
                self.smtp.ehlo()
                if self.smtp.has_extn("starttls"):
                    self.smtp.starttls(context=ssl.create_default_context())
                    self.smtp.ehlo()
                elif t.host not in LOOPBACK:
                    raise MailServerError(
                        f"the mail server {t.describe()} offers no STARTTLS, so the personal "
                        "links would travel unencrypted; nothing was sent. Use smtps:// or a "
                        "server that offers STARTTLS.")
            if t.user:
                self.smtp.login(t.user, t.password)
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            raise MailServerError(
                f"the mail server {t.describe()} refused the login ({_reason(exc)}); nothing "
                "was sent. Check the user and WORKBOOK_SMTP_PASSWORD.") from None
        except MailServerError:
            self._drop()
            raise
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise MailServerError(
                f"cannot use the mail server {t.describe()} ({_reason(exc)}); nothing was "
                "sent. Check WORKBOOK_SMTP_URL and that the server is running, or write the "
                "messages as files with --eml DIR.") from None
        return self

    def send(self, message: EmailMessage) -> None:
        """Send one message (smtplib's exceptions pass through: the caller decides)."""
        assert self.smtp is not None, "use the Mailer as a context manager"
        self.smtp.send_message(message)

    def _drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):
                self.smtp.close()
            self.smtp = None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self._drop()


def _reason(exc: BaseException) -> str:
    """An SMTP or socket error as a short phrase."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {msg.decode('utf-8', 'replace')}"
                         for addr, (code, msg) in exc.recipients.items())
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
