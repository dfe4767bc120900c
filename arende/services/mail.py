"""Delivering the outbox by SMTP: reminders and decisions sent out (expediering).

Each message is sent in its own transaction and marked sent only after the server
accepted it; a failure stays in the outbox with the error and a later next attempt
(exponential backoff, at most six hours). The Message-ID is derived from the message's
idempotency key, so in the one case where a message can go twice (the process dies
between the server's acceptance and our commit) mail systems can recognise the copy.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import mimetypes
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import or_, select

from arende.errors import InvalidInput
from arende.lifecycles import OUTBOX_MOVES, OutboxStatus, move
from arende.settings import get_settings
from db.models import Document, OutboxMessage, utcnow
from db.session import session_scope

MAX_BACKOFF = dt.timedelta(hours=6)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _connect() -> smtplib.SMTP:
    s = get_settings()
    if not s.smtp_host:
        raise InvalidInput("smtp_host", "no SMTP server configured (set ARENDE_SMTP_HOST)")
    if s.smtp_security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            s.smtp_host, s.smtp_port, timeout=30, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30)
        if s.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if s.smtp_user:
        smtp.login(s.smtp_user, s.smtp_password.get_secret_value() if s.smtp_password else "")
    return smtp


def _as_html(text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n") if p)
    return f'<html lang="sv"><body>{paragraphs}</body></html>'


def build(message: OutboxMessage, attachments: list[Document], now: dt.datetime | None = None) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = get_settings().mail_from
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["Date"] = email.utils.format_datetime(now or utcnow())
    # Stable across retries (derived from the idempotency key), so a duplicate after a
    # crash is recognisable as the same message.
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]
    mail["Message-ID"] = f"<{digest}@arende>"
    mail.set_content(message.body)
    mail.add_alternative(message.html or _as_html(message.body), subtype="html")
    for doc in attachments:
        if not doc.storage_path or not Path(doc.storage_path).exists():
            continue
        ctype = mimetypes.guess_type(doc.file_name or "")[0] or "application/octet-stream"
        main, sub = ctype.split("/", 1)
        mail.add_attachment(
            Path(doc.storage_path).read_bytes(),
            maintype=main,
            subtype=sub,
            filename=doc.file_name or Path(doc.storage_path).name,
        )
    return mail


def deliver(now: dt.datetime | None = None, *, limit: int = 500) -> DeliveryResult:
    """Send every pending message whose time has come, one transaction each."""
    now = now or utcnow()
    with session_scope() as session:
        ids = list(
            session.scalars(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING.value,
                    or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
                )
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
        )
    result = DeliveryResult()
    if not ids:
        return result
    smtp: smtplib.SMTP | None = None
    try:
        for message_id in ids:
            with session_scope() as session:
                message = session.get(OutboxMessage, message_id, with_for_update=True)
                if message is None or message.status != OutboxStatus.PENDING.value:
                    continue  # another sender took it
                docs = [session.get(Document, i) for i in message.attachment_ids]
                mail = build(message, [d for d in docs if d is not None], now)
                try:
                    if smtp is None:
                        smtp = _connect()
                    smtp.send_message(mail)
                except (OSError, smtplib.SMTPException) as exc:
                    smtp = None
                    message.attempts += 1
                    message.next_attempt_at = now + min(dt.timedelta(minutes=2**message.attempts), MAX_BACKOFF)
                    message.last_error = f"{type(exc).__name__}: {exc}"[:500]
                    result.failed += 1
                    result.errors.append(message.last_error)
                    continue
                message.status = move(OUTBOX_MOVES, message.status, OutboxStatus.SENT, what=f"message {message.id}")
                message.sent_at, message.last_error = now, None
                message.attempts += 1
                result.sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return result
