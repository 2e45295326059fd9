"""Sending a run's messages (or writing them as `.eml` files), each recorded in the store
before it leaves (pending) and after (sent, or failed with the reason).

When the server fails half-way, the message being sent and every later one are recorded as
failed with the reason, the ones before stay sent, and `MailServerError` says how many went
out; a second run sends only those without a sent record. A recipient the server refuses is
recorded as failed and the run goes on with the next one.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import MailServerError
from ..files import write_atomic
from ..store import Store
from .compose import MailContext, compose
from .plan import Planned
from .smtp import Mailer, SmtpTarget, _reason


@dataclass
class DeliveryReport:
    """What a run did: sent, failed (with reasons), and the files written."""

    sent: list[Planned] = field(default_factory=list)
    failed: list[tuple[Planned, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _eml_name(p: Planned) -> str:
    return f"{p.respondent.round}.{p.respondent.id}.{p.kind}.eml"


def write_eml(store: Store, planned: Sequence[Planned], ctx: MailContext,
              folder: Path) -> DeliveryReport:
    """Write each message as `ROUND.RESPONDENT.KIND.eml` for the facilitator's own mail
    program, recorded as sent (the facilitator sends them) with the file in the reason."""
    report = DeliveryReport()
    folder.mkdir(parents=True, exist_ok=True)
    for p in planned:
        msg = compose(p, ctx)
        path = folder / _eml_name(p)
        write_atomic(path, msg.as_bytes())
        mid = store.start_message(p.respondent.engagement, p.respondent.round, p.respondent.id,
                                  p.kind, p.address)
        store.finish_message(mid, "sent", f"written to {path} for the facilitator's own mail "
                             "program")
        report.sent.append(p)
        report.files.append(path)
    return report


def deliver(store: Store, planned: Sequence[Planned], ctx: MailContext,
            target: SmtpTarget) -> DeliveryReport:
    """Send each planned message through the mail server, recording every one.

    Raises `MailServerError` when the server cannot be used or fails during the run (after
    recording what was sent and what was not), or when any recipient was refused.
    """
    report = DeliveryReport()
    todo = list(planned)

    def fail_rest(start: int, reason: str) -> None:
        for p in todo[start:]:
            mid = store.start_message(p.respondent.engagement, p.respondent.round,
                                      p.respondent.id, p.kind, p.address)
            store.finish_message(mid, "failed", reason)
            report.failed.append((p, reason))

    try:
        mailer = Mailer(target).__enter__()
    except MailServerError as exc:
        fail_rest(0, f"not sent: {exc}")
        raise
    try:
        for i, p in enumerate(todo):
            msg = compose(p, ctx)
            mid = store.start_message(p.respondent.engagement, p.respondent.round,
                                      p.respondent.id, p.kind, p.address)
            try:
                mailer.send(msg)
            except smtplib.SMTPRecipientsRefused as exc:
                reason = f"the server refused the address ({_reason(exc)})"
                store.finish_message(mid, "failed", reason)
                report.failed.append((p, reason))
                continue
            except (smtplib.SMTPException, OSError) as exc:
                reason = f"the mail server failed ({_reason(exc)})"
                store.finish_message(mid, "failed", reason)
                report.failed.append((p, reason))
                fail_rest(i + 1, f"not sent: the mail server failed before ({_reason(exc)})")
                raise MailServerError(
                    f"the mail server {target.describe()} failed after {len(report.sent)} "
                    f"of {len(todo)} message(s) ({_reason(exc)}). The {len(report.sent)} sent "
                    "are recorded as sent, the rest as failed; run the command again to send "
                    "only the missing ones.") from None
            store.finish_message(mid, "sent")
            report.sent.append(p)
    finally:
        mailer.__exit__(None, None, None)
    if report.failed:
        raise MailServerError(
            f"{len(report.failed)} of {len(todo)} message(s) were refused by the mail server: "
            + "; ".join(f"{p.respondent.id}: {why}" for p, why in report.failed)
            + f". {len(report.sent)} sent.")
    return report
