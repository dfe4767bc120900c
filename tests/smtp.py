"""A real SMTP server on loopback for the mail tests (aiosmtpd), and a free port."""

from __future__ import annotations

import email
import socket
from email import policy
from email.message import EmailMessage


class Inbox:
    """aiosmtpd handler that keeps every message the server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
