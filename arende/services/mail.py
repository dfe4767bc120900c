"""Delivering the outbox by SMTP: reminders and decisions sent out (expediering).

A sender claims a batch of due messages in one short transaction (status 'sending', with
a lease), then talks SMTP with no transaction open: no database lock is held while a
mail server thinks (SQLite has one writer). Each message is marked sent, in its own
short transaction, right after the server accepted it; a failure goes back to
'pending' with the error and a later next attempt (exponential backoff, at most six
hours). A sender that dies leaves its claimed messages to be taken again when the lease
runs out. The Message-ID is derived from the message's idempotency key, so in the one
case where a message can go twice (the process dies between the server's acceptance and
our commit) mail systems can recognise the copy.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import mimetypes
import smtplib
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.charset import BASE64, Charset
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32

from sqlalchemy import and_, bindparam, or_, select, update

from arende.errors import InvalidInput
from arende.rules.lifecycles import OUTBOX_MOVES, OutboxStatus, move
from arende.settings import get_settings
from db.models import Document, OutboxMessage, utcnow
from db.session import session_scope

MAX_BACKOFF = dt.timedelta(hours=6)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, *, failed: str | None = None) -> None:
        with self._lock:
            if failed is None:
                self.sent += 1
            else:
                self.failed += 1
                self.errors.append(failed[:500])


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


class MissingAttachment(Exception):
    """A document the message carries is not where the record says."""


def build(message: OutboxMessage, attachments: list[Document], now: dt.datetime | None = None) -> Message:
    """The mail: a plain-text and an HTML part, the attachments, a Date and a stable
    Message-ID. Built with the classic MIME classes: the modern EmailMessage API parses
    every header it is given and cost two thirds of the time per message."""
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(message.body, "plain", "utf-8"))
    alternative.attach(MIMEText(message.html or _as_html(message.body), "html", "utf-8"))
    mail: Message = alternative
    files = []
    for doc in attachments:
        if doc.file is None or not doc.file.is_file():
            # Never "sent" without what it was sent for: the message waits, and says why.
            raise MissingAttachment(f"attachment {doc.file_name or doc.id} is not at {doc.file}")
        files.append(doc)
    if files:
        mail = MIMEMultipart("mixed")
        mail.attach(alternative)
        for doc in files:
            assert doc.file is not None  # checked above
            name = doc.file_name or doc.file.name
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            part = MIMEApplication(doc.file.read_bytes(), _subtype=ctype.split("/", 1)[1])
            part.replace_header("Content-Type", ctype)
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
            mail.attach(part)
    mail["From"] = get_settings().mail_from
    mail["To"] = message.to_address
    mail["Subject"] = Header(message.subject, _UTF8_BASE64)  # type: ignore[assignment]
    mail["Date"] = email.utils.format_datetime(now or utcnow())
    # Stable across retries (derived from the idempotency key), so a duplicate after a
    # crash is recognisable as the same message.
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]
    mail["Message-ID"] = f"<{digest}@arende>"
    return mail


# What SMTP wants on the wire: CRLF line ends.
_WIRE = compat32.clone(linesep="\r\n")


def _gone(document_id: int) -> Document:
    raise MissingAttachment(f"attachment {document_id} is no longer registered")


def _wire(mail: Message) -> bytes:
    return mail.as_bytes(policy=_WIRE)


# Base64 encoded words for the subject: the default ("shortest") tries quoted-printable
# too, character by character, and that was a third of the time to send a message.
_UTF8_BASE64 = Charset("utf-8")
_UTF8_BASE64.header_encoding = BASE64

# How long a claimed message is the claiming sender's: long enough for a batch to go
# out, short enough that mail from a sender that died goes the same morning.
LEASE = dt.timedelta(minutes=10)
BATCH = 200


def _claim(now: dt.datetime, limit: int) -> list[int]:
    """Up to `limit` due messages, taken for this sender in one short transaction."""
    with session_scope() as session:
        due = or_(
            and_(
                OutboxMessage.status == OutboxStatus.PENDING.value,
                or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
            ),
            # Claimed by a sender that never finished: its lease has run out.
            and_(OutboxMessage.status == OutboxStatus.SENDING.value, OutboxMessage.next_attempt_at <= now),
        )
        query = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)  # two senders never take the same one
        ids = list(session.scalars(query))
        if ids:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(status=OutboxStatus.SENDING.value, next_attempt_at=now + LEASE)
            )
        return ids


# Built once: the statement runs once a message, and building it each time cost more
# than executing it.
_MARK_SENT = (
    update(OutboxMessage)
    .where(OutboxMessage.id == bindparam("message_id"), OutboxMessage.status == OutboxStatus.SENDING.value)
    .values(
        status=move(OUTBOX_MOVES, OutboxStatus.SENDING.value, OutboxStatus.SENT, what="a message"),
        attempts=OutboxMessage.attempts + 1,
        sent_at=bindparam("now"),
        last_error=None,
        next_attempt_at=None,
    )
)


def _settle(message_id: int, now: dt.datetime, error: str | None) -> dt.datetime | None:
    """Sent, or back to pending with the error and the next attempt (returned); only
    while this sender still holds the message. On a Core connection: this runs once a
    message, and the ORM's unit of work cost as much as the SMTP exchange."""
    from db.session import busy_is_one_line, engine_for

    # A message left `sending` by a failure here goes back to the queue when its lease ends.
    with busy_is_one_line(), engine_for(get_settings().effective_database_url).begin() as conn:
        if error is None:
            conn.execute(_MARK_SENT, {"message_id": message_id, "now": now})
            return None
        where = (OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.SENDING.value)
        attempts = conn.scalar(select(OutboxMessage.attempts).where(*where))
        if attempts is None:
            return None
        later = now + min(dt.timedelta(minutes=2 ** (attempts + 1)), MAX_BACKOFF)
        back = move(OUTBOX_MOVES, OutboxStatus.SENDING.value, OutboxStatus.PENDING, what=f"message {message_id}")
        conn.execute(
            update(OutboxMessage)
            .where(*where)
            .values(status=back, attempts=attempts + 1, next_attempt_at=later, last_error=error[:500])
        )
        return later


def _release(ids: list[int], until: dt.datetime) -> None:
    """Claimed but not tried (the server did not answer): back to wait, no attempt counted."""
    if ids:
        with session_scope() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.SENDING.value)
                .values(status=OutboxStatus.PENDING.value, next_attempt_at=until)
            )


def deliver(now: dt.datetime | None = None, *, limit: int | None = None) -> DeliveryResult:
    """Send every message whose time has come (at most `limit`), a batch at a time, by
    `ARENDE_SMTP_CONNECTIONS` senders in parallel, each over its own connection."""
    now = now or utcnow()
    result = DeliveryResult()
    budget = _Budget(limit)
    senders = get_settings().smtp_connections if limit is None or limit > BATCH else 1
    if senders == 1:
        _send_batches(now, budget, result)
        return result
    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="arende-smtp") as pool:
        for done in [pool.submit(_send_batches, now, budget, result) for _ in range(senders)]:
            done.result()
    return result


class _Budget:
    """How many more messages this round may take, shared by the senders."""

    def __init__(self, limit: int | None) -> None:
        self.left, self.lock = limit, threading.Lock()

    def take(self, most: int) -> int:
        with self.lock:
            if self.left is None:
                return most
            taken = min(most, self.left)
            self.left -= taken
            return taken


def _send_batches(now: dt.datetime, budget: _Budget, result: DeliveryResult) -> None:
    """One sender: claim a batch, send it over this sender's connection, until nothing
    is due. A server that does not answer ends this sender's round: the message tried
    counts a failed attempt, the rest of its batch waits for the same next attempt."""
    smtp: smtplib.SMTP | None = None
    try:
        while (size := budget.take(BATCH)) > 0:
            ids = _claim(now, size)
            if not ids:
                return
            with session_scope() as session:
                messages = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
                wanted = {i for m in messages for i in m.attachment_ids}
                docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(wanted)))}
                # Flattened here, with the envelope we already know: smtplib's send_message
                # would parse the From and To headers back for every message.
                sender = get_settings().mail_from
                mails: list[tuple[int, str, bytes]] = []
                unsendable: list[tuple[int, str]] = []
                for m in sorted(messages, key=lambda m: m.id):
                    try:
                        carried = [docs.get(i) or _gone(i) for i in m.attachment_ids]
                        mails.append((m.id, m.to_address, _wire(build(m, carried, now))))
                    except MissingAttachment as exc:
                        unsendable.append((m.id, f"MissingAttachment: {exc}"))
            for message_id, error in unsendable:
                _settle(message_id, now, error)
                result.add(failed=error)
            for position, (message_id, to_address, mail) in enumerate(mails):
                try:
                    if smtp is None:
                        smtp = _connect()
                except (OSError, smtplib.SMTPException) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    later = _settle(message_id, now, error)
                    _release([m for m, _, _ in mails[position + 1 :]], later or now + LEASE)
                    result.add(failed=error)
                    return
                try:
                    smtp.sendmail(sender, [to_address], mail)
                except (OSError, smtplib.SMTPException) as exc:
                    if isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)):
                        smtp = None  # reconnect for the next one
                    error = f"{type(exc).__name__}: {exc}"
                    _settle(message_id, now, error)
                    result.add(failed=error)
                    continue
                _settle(message_id, now, None)
                result.add()
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
