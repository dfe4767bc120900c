"""Deadline reminders, the outbox sent by SMTP to a real server on loopback, and the
iCalendar feed read back."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from helpers import D, fingerprint, officer, record_all_facts, register
from smtp import Inbox, free_port


def sweep_on(day, **kwargs):
    from arende.services.reminders import sweep
    from db.session import session_scope

    with session_scope() as session:
        return sweep(session, D(day), **kwargs)


def reminder_levels():
    from db.models import Reminder
    from db.session import session_scope

    with session_scope() as session:
        return sorted(session.scalars(select(Reminder.level)))


def assign_with_email(dnr):
    from arende.services import facts
    from db.session import session_scope

    with session_scope() as session:
        facts.assign_officer(session, dnr, officer(session), D("2022-01-20"), email="anna.lind@example.org")


def test_each_level_fires_once_however_often_the_sweep_runs(db):
    _, dnr = register()  # reply due Monday 2022-02-28
    assign_with_email(dnr)
    assert sweep_on("2022-02-01").created == 0  # 19 working days left
    assert sweep_on("2022-02-08").by_level == {"d14": 1}  # 14 working days left
    assert sweep_on("2022-02-08").created == 0
    assert sweep_on("2022-02-09").created == 0
    assert sweep_on("2022-02-23").by_level == {"d3": 1}
    assert sweep_on("2022-02-28").by_level == {"d0": 1}
    assert sweep_on("2022-03-01").by_level == {"overdue": 1}
    assert sweep_on("2022-03-02").created == 0
    assert reminder_levels() == ["d0", "d14", "d3", "overdue"]


def test_a_sweep_that_starts_late_sends_only_the_most_urgent_level(db):
    _, dnr = register()
    assign_with_email(dnr)
    assert sweep_on("2022-02-24").by_level == {"d3": 1}
    assert sweep_on("2022-02-25").created == 0  # d14 is covered by d3, never sent afterwards


def test_a_crashed_sweep_writes_nothing_and_the_next_one_writes_it_once(db):
    from arende.services.reminders import sweep
    from db.session import session_scope

    _, dnr = register()
    assign_with_email(dnr)
    before = fingerprint()
    with pytest.raises(RuntimeError):
        with session_scope() as session:
            sweep(session, D("2022-02-28"))
            raise RuntimeError("killed mid-sweep")
    assert fingerprint() == before and reminder_levels() == []
    assert sweep_on("2022-02-28").created == 1
    assert sweep_on("2022-02-28").created == 0


def test_working_days_are_counted_across_holidays(db):
    # Due Tuesday 2022-04-19, after Easter: from Wednesday the 13th only the 14th and
    # the 19th are working days (Good Friday and Easter Monday are holidays).
    _, dnr = register(reply_due=D("2022-04-19"))
    assign_with_email(dnr)
    plan = sweep_on("2022-04-13", dry_run=True)
    assert [(p[2], p[3]) for p in plan.planned] == [("d3", D("2022-04-19"))]
    assert reminder_levels() == []  # a dry run writes nothing


def test_reminders_without_a_case_officers_address_go_to_the_organs_mailbox(db):
    from db.models import OutboxMessage
    from db.session import session_scope

    register()
    sweep_on("2022-02-28")
    with session_scope() as session:
        [message] = session.scalars(select(OutboxMessage)).all()
    assert message.to_address == "arbetslivsnamnden.diarium@example.boras.se"
    assert message.subject == "Frist i dag: Remissvar till Kommunstyrelsen – ALN 2022-00001"
    assert "går ut i dag, 28 februari 2022 (2022-02-28)" in message.body and "<p>" in message.html
    assert message.body.startswith("Hej,\n")  # the organ's mailbox: no name to greet


@pytest.fixture
def smtp_port(monkeypatch):
    from arende.settings import reset_settings

    port = free_port()
    monkeypatch.setenv("ARENDE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ARENDE_SMTP_PORT", str(port))
    monkeypatch.setenv("ARENDE_MAIL_FROM", "arende@example.org")
    reset_settings()
    return port


def test_a_failed_delivery_stays_in_the_outbox_and_is_delivered_once_later(sqlite_db, smtp_port):
    from aiosmtpd.controller import Controller

    from arende.services.mail import deliver
    from db.models import OutboxMessage
    from db.session import session_scope

    _, dnr = register()
    assign_with_email(dnr)
    sweep_on("2022-02-28")
    now = dt.datetime(2022, 2, 28, 6, 0, tzinfo=dt.UTC)
    result = deliver(now)  # nothing listens on the port yet
    assert (result.sent, result.failed) == (0, 1)
    with session_scope() as session:
        [message] = session.scalars(select(OutboxMessage)).all()
        assert (message.status, message.attempts) == ("pending", 1)
        assert message.next_attempt_at.replace(tzinfo=dt.UTC) == now + dt.timedelta(minutes=2)
        assert "Connection refused" in message.last_error or "Errno" in message.last_error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert deliver(now + dt.timedelta(minutes=1)).sent == 0  # backoff: not yet
        assert deliver(now + dt.timedelta(minutes=3)).sent == 1
        assert deliver(now + dt.timedelta(hours=1)).sent == 0  # never twice
    finally:
        controller.stop()
    [received] = inbox.messages
    assert received["To"] == "anna.lind@example.org" and received["From"] == "arende@example.org"
    assert received["Subject"] == "Frist i dag: Remissvar till Kommunstyrelsen – ALN 2022-00001"
    plain = received.get_body(("plain",)).get_content()
    assert "Fristen remissvar till kommunstyrelsen går ut i dag, 28 februari 2022 (2022-02-28)." in plain
    assert received.get_body(("html",)) is not None


def test_the_decision_goes_out_by_email_with_the_reply_and_the_extract(sqlite_db, smtp_port):
    from aiosmtpd.controller import Controller

    from arende.services.mail import deliver
    from arende.services.steps import advance

    errand_id, dnr = register()
    record_all_facts(dnr)
    advance(errand_id)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert deliver().sent == 1
    finally:
        controller.stop()
    [received] = inbox.messages
    assert received["To"] == "ks.diarium@example.org" and received["Subject"] == "KS 2021-00907 Arbetslivsnämnden"
    # Like every mail: an HTML part beside the plain text, and a Date.
    assert "ALN 2022-00001" in received.get_body(("html",)).get_content()
    assert received["Date"] is not None
    names = sorted(part.get_filename() for part in received.iter_attachments())
    assert names == ["ALN-2022-00001_protokollsutdrag.docx", "ALN-2022-00001_remissvar.docx"]


def test_the_ics_feed_parses_back_with_the_due_dates(sqlite_db, tmp_path, capsys):
    from icalendar import Calendar

    from arende.cli import main

    register(sender_dnr="KS 2021-00001")
    _, other = register(sender_dnr="KS 2021-00002", reply_due=D("2022-03-15"))
    record_all_facts(other, upto="decision")  # adds the justering deadline, due 2022-03-01
    path = tmp_path / "frister.ics"
    assert main(["deadlines", "--ics", str(path), "--organ", "ALN"]) == 0
    cal = Calendar.from_ical(path.read_bytes())
    events = sorted((e.decoded("dtstart"), str(e["summary"]), str(e["uid"])) for e in cal.walk("VEVENT"))
    assert [(d, s) for d, s, _ in events] == [
        (D("2022-02-28"), "Remissvar till Kommunstyrelsen – ALN 2022-00001"),
        (D("2022-03-01"), "Justering av protokollet 2022-02-15 – ALN 2022-00002"),
        (D("2022-03-15"), "Remissvar till Kommunstyrelsen – ALN 2022-00002"),
    ]
    assert all(uid.endswith("@arende") for _, _, uid in events)
    assert main(["deadlines", "--ics", str(tmp_path / "anna.ics"), "--officer", "Anna Lind"]) == 0
    assert len(Calendar.from_ical((tmp_path / "anna.ics").read_bytes()).walk("VEVENT")) == 2


def test_remind_from_the_cli_dry_run_writes_nothing(db, capsys, monkeypatch):
    from arende.cli import main
    from arende.settings import reset_settings

    _, dnr = register()
    monkeypatch.setenv("ARENDE_TODAY", "2022-02-28")
    reset_settings()
    before = fingerprint()
    assert main(["remind", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would write 1 reminders" in out and "d0" in out
    assert fingerprint() == before
    from db.models import Reminder
    from db.session import session_scope

    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Reminder)) == 0


@pytest.mark.usefixtures("prefect")
def test_the_deadline_sweep_flow_writes_reminders_and_delivers_them(sqlite_db, smtp_port, monkeypatch):
    from aiosmtpd.controller import Controller

    from arende.settings import reset_settings
    from flows.sweep import deadline_sweep

    _, dnr = register()
    assign_with_email(dnr)
    monkeypatch.setenv("ARENDE_TODAY", "2022-02-23")
    reset_settings()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert deadline_sweep() == {"advanced": 0, "created": 1, "no_address": 0, "sent": 1, "failed": 0}
        assert deadline_sweep() == {"advanced": 0, "created": 0, "no_address": 0, "sent": 0, "failed": 0}
    finally:
        controller.stop()
    assert [m["Subject"] for m in inbox.messages] == ["Påminnelse: Remissvar till Kommunstyrelsen – ALN 2022-00001"]


def test_a_reminder_reads_right_when_it_arrives(sqlite_db, smtp_port):
    """Parsed as the recipient's mail program would: the working days actually left
    (a late sweep sends d14 with 8 to go), Swedish dates, the officer by name, a Date
    and a stable Message-ID, a plain-text and an HTML part."""
    from email.utils import parsedate_to_datetime

    from aiosmtpd.controller import Controller

    from arende.services.mail import deliver

    _, dnr = register()  # reply due Monday 2022-02-28
    assign_with_email(dnr)
    assert sweep_on("2022-02-16").by_level == {"d14": 1}  # 17, 18, 21-25, 28: 8 working days
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    sent_at = dt.datetime(2022, 2, 16, 5, 0, tzinfo=dt.UTC)
    try:
        assert deliver(sent_at).sent == 1
    finally:
        controller.stop()
    [mail] = inbox.messages
    plain = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP's line ends
    assert plain.startswith("Hej Anna Lind,\n")
    assert "går ut 28 februari 2022 (2022-02-28), om 8 arbetsdagar." in plain
    assert parsedate_to_datetime(mail["Date"]) == sent_at
    assert mail["Message-ID"].endswith("@arende>")
    html_part = mail.get_body(("html",)).get_content()
    assert "om 8 arbetsdagar" in html_part and html_part.startswith("<html")


class SlowInbox(Inbox):
    """A mail server that takes its time over each message."""

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        import asyncio

        await asyncio.sleep(0.8)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.flows  # waits on a slow mail server: the slow set
def test_no_database_lock_is_held_while_the_mail_server_thinks(sqlite_db, smtp_port):
    """SQLite has one writer: a registration during a slow delivery goes through at once."""
    import threading
    import time

    from aiosmtpd.controller import Controller

    from arende.services.mail import deliver

    _, dnr = register()
    assign_with_email(dnr)
    sweep_on("2022-02-28")
    controller = Controller(SlowInbox(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        sending = threading.Thread(target=deliver, args=(dt.datetime(2022, 2, 28, 6, tzinfo=dt.UTC),))
        sending.start()
        time.sleep(0.3)  # the message is with the server now
        started = time.perf_counter()
        register(sender_dnr="KS 2021-00999")
        assert time.perf_counter() - started < 0.3
        sending.join()
    finally:
        controller.stop()
    assert len(controller.handler.messages) == 1


def test_mail_claimed_by_a_sender_that_died_goes_once_when_its_lease_runs_out(sqlite_db, smtp_port):
    from aiosmtpd.controller import Controller

    from arende.services import mail
    from db.models import OutboxMessage
    from db.session import session_scope

    _, dnr = register()
    assign_with_email(dnr)
    sweep_on("2022-02-28")
    now = dt.datetime(2022, 2, 28, 6, tzinfo=dt.UTC)
    assert len(mail._claim(now, 10)) == 1  # claimed, then the sender was killed
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert mail.deliver(now + dt.timedelta(minutes=5)).sent == 0  # still the dead sender's
        assert mail.deliver(now + mail.LEASE).sent == 1
        assert mail.deliver(now + dt.timedelta(hours=1)).sent == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    with session_scope() as session:
        [message] = session.scalars(select(OutboxMessage)).all()
        assert (message.status, message.attempts) == ("sent", 1)


def test_when_the_server_does_not_answer_one_attempt_is_counted_and_the_rest_wait_untried(db, smtp_port):
    from arende.services.mail import deliver
    from db.models import OutboxMessage
    from db.session import session_scope

    for n in range(3):
        _, dnr = register(sender_dnr=f"KS 2021-0090{n}")
        assign_with_email(dnr)
    sweep_on("2022-02-28")
    now = dt.datetime(2022, 2, 28, 6, tzinfo=dt.UTC)
    result = deliver(now)  # nothing listens on the port
    assert (result.sent, result.failed) == (0, 1)
    with session_scope() as session:
        rows = [(m.status, m.attempts, m.next_attempt_at) for m in session.scalars(select(OutboxMessage))]
    assert sorted(a for _, a, _ in rows) == [0, 0, 1]
    assert {s for s, _, _ in rows} == {"pending"}
    # All three wait for the same next attempt, two minutes on.
    assert {t.replace(tzinfo=dt.UTC) for _, _, t in rows} == {now + dt.timedelta(minutes=2)}


def _decided_and_expedited(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """A decided remiss whose documents were produced from `office/`; the sender then runs
    from another directory with the same documents folder (stored paths are relative to it)."""
    from arende.services.steps import advance
    from arende.settings import reset_settings

    office = tmp_path / "office"
    office.mkdir()
    monkeypatch.chdir(office)
    monkeypatch.setenv("ARENDE_DOCUMENTS_DIR", str(tmp_path / "documents"))
    reset_settings()
    errand_id, dnr = register()
    record_all_facts(dnr)
    advance(errand_id)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    reset_settings()
    return dnr


def test_the_decision_sent_from_another_directory_carries_its_attachments(sqlite_db, smtp_port, monkeypatch, tmp_path):
    from aiosmtpd.controller import Controller

    from arende.services.mail import deliver

    _decided_and_expedited(monkeypatch, tmp_path)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert deliver().sent == 1
    finally:
        controller.stop()
    [received] = inbox.messages
    names = sorted(part.get_filename() for part in received.iter_attachments())
    assert names == ["ALN-2022-00001_protokollsutdrag.docx", "ALN-2022-00001_remissvar.docx"]


def test_a_missing_attachment_keeps_the_message_waiting_with_the_reason(sqlite_db, smtp_port, monkeypatch, tmp_path):

    from aiosmtpd.controller import Controller

    from arende.services.mail import deliver
    from db.models import Document, OutboxMessage
    from db.session import session_scope

    _decided_and_expedited(monkeypatch, tmp_path)
    with session_scope() as session:
        reply = session.scalars(select(Document).where(Document.kind == "remissvar")).one()
        moved = reply.file
        moved.rename(moved.with_suffix(".moved"))
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        result = deliver()
    finally:
        controller.stop()
    assert (result.sent, result.failed, inbox.messages) == (0, 1, [])
    with session_scope() as session:
        [message] = session.scalars(select(OutboxMessage)).all()
        assert message.status == "pending" and message.sent_at is None
        assert "MissingAttachment" in message.last_error and "remissvar" in message.last_error


class LockingInbox(Inbox):
    """Accepts the message while another process takes SQLite's write lock and keeps it:
    the sender cannot record "sent"."""

    def __init__(self, path: str) -> None:
        super().__init__()
        import sqlite3

        self.holder = sqlite3.connect(path, isolation_level=None, timeout=0.1, check_same_thread=False)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if not self.messages:
            self.holder.execute("BEGIN IMMEDIATE")
        return await super().handle_DATA(server, session, envelope)


def test_a_sender_that_cannot_record_sent_says_so_in_one_line_and_the_message_goes_once(
    sqlite_db, smtp_port, monkeypatch, capsys
):
    from aiosmtpd.controller import Controller

    from arende.cli import main
    from arende.services import mail
    from arende.settings import reset_settings
    from db.models import OutboxMessage
    from db.session import forget_engines, session_scope

    _, dnr = register()
    assign_with_email(dnr)
    sweep_on("2022-02-28")
    monkeypatch.setenv("ARENDE_SQLITE_BUSY_SECONDS", "0.2")
    monkeypatch.setenv("ARENDE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ARENDE_SMTP_PORT", str(smtp_port))
    reset_settings()
    forget_engines()
    inbox = LockingInbox(sqlite_db.removeprefix("sqlite:///"))
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        code = main(["outbox", "send"])
        err = capsys.readouterr().err
        inbox.holder.execute("ROLLBACK")
        assert code == 2 and err.startswith("arende: error: database: busy:") and err.count("\n") == 1, err
        assert len(inbox.messages) == 1
        with session_scope() as session:  # still claimed: not sent again before its lease ends
            assert session.scalar(select(OutboxMessage.status)) == "sending"
        later = dt.datetime.now(dt.UTC) + mail.LEASE + dt.timedelta(minutes=1)
        assert mail.deliver(later).sent == 1  # the documented duplicate after a failed record
    finally:
        controller.stop()
        inbox.holder.close()
        forget_engines()


@pytest.mark.usefixtures("prefect")
def test_the_decision_leaves_at_expediering_without_waiting_for_the_sweep(sqlite_db, smtp_port):
    """The errand's flow run that expedites the decision sends it, through the outbox."""
    from aiosmtpd.controller import Controller

    from db.models import OutboxMessage
    from db.session import session_scope
    from flows.errands import advance_errand

    _, dnr = register()
    record_all_facts(dnr)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert advance_errand(dnr=dnr)["status"] in ("expedierad", "closed")
        assert advance_errand(dnr=dnr)["status"] == "closed"  # again: nothing sent twice
    finally:
        controller.stop()
    assert [m["To"] for m in inbox.messages] == ["ks.diarium@example.org"]
    with session_scope() as session:
        assert [m.status for m in session.scalars(select(OutboxMessage))] == ["sent"]
