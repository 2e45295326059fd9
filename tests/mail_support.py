"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd, started on a free port), which
keeps what arrives and can drop the connection after a given number of messages."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Arrived:
    """One message as the server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content())


@dataclass
class Inbox:
    """What the server kept; `drop_after` closes the connection once, after that many
    messages (counted over the server's life)."""

    drop_after: int | None = None
    arrived: list[Arrived] = field(default_factory=list)
    dropped: bool = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.original_content or envelope.content,
                                 policy=policy.default)
        self.arrived.append(Arrived(envelope.mail_from, list(envelope.rcpt_tos),
                                    msg))  # type: ignore[arg-type]
        if self.drop_after is not None and not self.dropped and \
                len(self.arrived) >= self.drop_after:
            self.dropped = True
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 OK"


@contextmanager
def smtp_server(drop_after: int | None = None, **kwargs: Any) -> Iterator[tuple[int, Inbox]]:
    """Run an SMTP server on 127.0.0.1 and a free port for the duration of the block."""
    from aiosmtpd.controller import Controller

    inbox = Inbox(drop_after)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@dataclass
class PickyInbox(Inbox):
    """An inbox whose server refuses some recipients (550 at RCPT TO)."""

    refuse: tuple[str, ...] = ()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@contextmanager
def picky_smtp_server(refuse: tuple[str, ...]) -> Iterator[tuple[int, PickyInbox]]:
    """An SMTP server on 127.0.0.1 that refuses the given recipients."""
    from aiosmtpd.controller import Controller

    inbox = PickyInbox(refuse=refuse)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()
