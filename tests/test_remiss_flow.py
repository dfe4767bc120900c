"""The remiss errand through the real Prefect flow (one session-wide test harness)."""

from pathlib import Path

import pytest
from sqlalchemy import select

from helpers import (
    FACT_ORDER,
    advance_flow,
    fingerprint,
    performer,
    record_all_facts,
    record_fact,
    register,
    remiss_start,
)

pytestmark = pytest.mark.usefixtures("prefect")


def _run(**kwargs):
    from flows.errands import remiss

    return remiss(**kwargs)


def _docx_text(path: str) -> str:
    from arende.documents import docx_text

    return docx_text(Path(path).read_bytes())


def _documents():
    from db.models import Document
    from db.session import session_scope

    with session_scope() as session:
        return {d.kind: d for d in session.scalars(select(Document).order_by(Document.id))}


def _walk(sqlite_or_pg: str) -> None:
    result = _run(utförd_av=performer(), start=remiss_start())
    assert (result["dnr"], result["status"], result["waiting_at"]) == ("ALN 2022-00001", "registered", "assign")
    errand_id, dnr = result["errand_id"], result["dnr"]
    seen = []
    for name in FACT_ORDER:
        record_fact(dnr, name)
        result = advance_flow(errand_id)
        seen.append((result["status"], result["waiting_at"]))
    assert seen == [
        ("assigned", "draft"),
        ("drafted", "fsg"),
        ("fsg_done", "decision"),
        ("decided", "justering"),
        ("justerad", "anslag"),
        ("closed", None),
    ]


def test_a_remiss_runs_from_registration_to_closed_with_its_documents(sqlite_db):
    import hashlib

    from db.models import Deadline, Distribution, OutboxMessage
    from db.session import session_scope

    _walk("sqlite")
    docs = _documents()
    assert set(docs) == {"remiss", "tjansteskrivelse", "remissvar", "protokollsutdrag"}
    for kind in ("tjansteskrivelse", "remissvar", "protokollsutdrag"):
        data = docs[kind].file.read_bytes()
        assert hashlib.sha256(data).hexdigest() == docs[kind].sha256

    report = _docx_text(docs["tjansteskrivelse"].file)
    for part in (
        "Dnr ALN 2022-00001",
        "Arbetslivsnämndens beslut",
        "Sammanfattning",
        "Ärendet i sin helhet",
        "Beslutsunderlag",
        "1. Bilaga Remiss Borås Stads Riktlinjer beställar-/-utförarmodell.",
        "Samverkan",
        "Förvaltningens samverkansgrupp (FSG) 2022-02-03",
        "Beslutet expedieras till",
        "1. Kommunstyrelsen",
        "Ordförande",
        "Förvaltningschef",
        "Arbetslivsnämnden tillstyrker Remiss om Riktlinjer beställar-/-utförarmodellen.",
        "Datum 2022-02-01",  # the header's, on every page
        "Handläggare Anna Lind",  # the footer's
    ):
        assert part in report, part

    reply = _docx_text(docs["remissvar"].file)
    assert "Vår beteckning: Dnr ALN 2022-00001" in reply and "Er beteckning: KS 2021-00907" in reply
    assert "Ställningstagande: Arbetslivsnämnden tillstyrker" in reply
    assert "15 februari 2022, § 14" in reply
    # One date: the letter's in the header and above its text are the same day.
    from arende.swedish import long_date

    sent = docs["remissvar"].registered_on
    assert f"Datum {sent.isoformat()}" in reply and f"\n{long_date(sent)}\n" in reply

    extract = _docx_text(docs["protokollsutdrag"].file)
    assert "§ 14\tDnr ALN 2022-00001" in extract
    assert "Justerandes signatur\tUtdragsbestyrkande" in extract
    assert "Utdragsbestyrkande:" in extract
    assert "Protokollet justerades 18 februari 2022 av Lars-Åke Johansson (ordförande) och Sara Holm." in extract
    # A remissyttrande to Kommunstyrelsen prepares its decision: it cannot be appealed.
    assert "Beslutet är av beredande eller verkställande art och kan inte överklagas" in extract
    assert "laglighetsprövning" not in extract and "senast 14 mars 2022" not in extract

    with session_scope() as session:
        from arende.services.common import decision_of

        decision = decision_of(session, 1) or decision_of(session, docs["remiss"].errand_id)
        # The extract carries the decision text exactly as the protocol's §.
        assert decision.text in extract
        deadlines = {d.kind: d.status for d in session.scalars(select(Deadline))}
        assert deadlines == {"reply": "met", "justering": "met", "anslag": "met"}
        [dist] = session.scalars(select(Distribution)).all()
        [message] = session.scalars(select(OutboxMessage)).all()
        assert dist.channel == "email" and dist.outbox_id == message.id
        assert message.to_address == "ks.diarium@example.org"
        # The sender's instruction: their Dnr and the responder's name in the subject.
        assert message.subject == "KS 2021-00907 Arbetslivsnämnden"
        assert len(message.attachment_ids) == 2


@pytest.mark.postgres
def test_the_remiss_flow_runs_on_postgresql(pg_url, tmp_path, monkeypatch):
    from conftest import _use

    _use(pg_url, tmp_path, monkeypatch)
    _walk("postgresql")
    assert fingerprint()["errands"] == [("ALN 2022-00001", "closed")]


def test_an_errand_waits_at_fsg_when_required_and_tells_why(sqlite_db):
    result = _run(utförd_av=performer(), start=remiss_start(significant_change=True))
    record_all_facts(result["dnr"], upto="draft")
    result = advance_flow(result["errand_id"])
    assert (result["status"], result["waiting_at"]) == ("drafted", "fsg")


def test_without_fsg_the_decision_skips_the_fsg_step_when_not_required(sqlite_db):
    from arende.services.queries import errand_view
    from db.session import session_scope

    result = _run(utförd_av=performer(), start=remiss_start())
    dnr = result["dnr"]
    for name in ("assign", "draft", "decision"):
        record_fact(dnr, name)
    result = advance_flow(result["errand_id"])
    assert (result["status"], result["waiting_at"]) == ("decided", "justering")
    with session_scope() as session:
        fsg = next(s for s in errand_view(session, dnr).steps if s.step == "fsg")
    assert fsg.state == "skipped" and "ingen väsentlig förändring" in fsg.note


def test_running_the_flow_again_on_a_closed_errand_changes_nothing(sqlite_db):
    result = _run(utförd_av=performer(), start=remiss_start())
    record_all_facts(result["dnr"])
    advance_flow(result["errand_id"])
    before = fingerprint()
    assert advance_flow(result["errand_id"])["status"] == "closed"
    assert fingerprint() == before


CRASH_POINTS = ["register", "assign", "draft", "fsg", "decision", "justering", "anslag", "expediering", "close"]


@pytest.mark.parametrize("crash_after", CRASH_POINTS)
def test_a_flow_killed_after_any_step_ends_in_the_same_state_when_run_again(sqlite_db, monkeypatch, crash_after):
    """Every fact is recorded, then the flow dies right after one step has committed;
    a second run must end exactly where an uninterrupted run ends."""
    import arende.services.remiss as remiss_service
    import tasks.steps
    from arende.services.incoming import register_incoming as real_start
    from arende.services.steps import run_step as real_run_step

    class Killed(Exception):
        pass

    def dying_run_step(step, errand_id):
        outcome = real_run_step(step, errand_id)  # committed
        if step.value == crash_after:
            raise Killed(step.value)
        return outcome

    def dying_start(session, start, **kwargs):
        errand, created = real_start(session, start, **kwargs)
        # Commit now, then die before the task can return the id.
        session.commit()
        raise Killed("register")

    # Reference: the same scenario without interruption, in its own empty database.
    reference = _uninterrupted_fingerprint()

    monkeypatch.setattr(tasks.steps, "run_step", dying_run_step)
    if crash_after == "register":
        monkeypatch.setattr(remiss_service, "register_incoming", dying_start)
        with pytest.raises(Killed):
            _run(utförd_av=performer(), start=remiss_start())
        monkeypatch.setattr(remiss_service, "register_incoming", real_start)
        errand_id = _run(utförd_av=performer(), start=remiss_start())["errand_id"]  # found again, not numbered again
        record_all_facts("ALN 2022-00001")
    else:
        errand_id, _ = register()
        record_all_facts("ALN 2022-00001")
        with pytest.raises(Killed):
            advance_flow(errand_id)
    monkeypatch.setattr(tasks.steps, "run_step", real_run_step)
    assert advance_flow(errand_id)["status"] == "closed"
    assert fingerprint() == reference


_REFERENCE: dict[str, object] = {}


def _uninterrupted_fingerprint():
    """The end state of an uninterrupted run, computed once in an emptied database."""
    import shutil

    from arende.settings import get_settings

    from conftest import _empty_and_seed

    if _REFERENCE:
        return _REFERENCE
    result = _run(utförd_av=performer(), start=remiss_start())
    record_all_facts(result["dnr"])
    advance_flow(result["errand_id"])
    _REFERENCE.update(fingerprint())
    _empty_and_seed(get_settings().effective_database_url)
    shutil.rmtree(get_settings().effective_documents_dir, ignore_errors=True)
    return _REFERENCE


def test_the_officers_report_is_produced_even_when_the_flow_first_runs_after_the_decision(sqlite_db):

    errand_id, dnr = register()
    record_all_facts(dnr)  # every fact recorded with no flow run in between (--no-run)
    assert advance_flow(errand_id)["status"] == "closed"
    kinds = [kind for kind, _, _ in fingerprint()["documents"]]
    assert kinds.count("tjansteskrivelse") == 1


def test_each_run_publishes_what_an_administrator_reads(sqlite_db):
    """A Markdown artifact per run, keyed by the Dnr: where the errand stands, what the
    run moved, the next deadline and the documents."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    result = _run(utförd_av=performer(), start=remiss_start())
    record_all_facts(result["dnr"], upto="decision")
    advance_flow(result["errand_id"])
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["aln-2022-00001"]))
        )
    latest = max(artifacts, key=lambda a: a.created)
    text = latest.data
    assert text.startswith("# ALN 2022-00001 Yttrande över Remiss")
    assert "**Status:** beslutat, väntar på: Justering" in text
    assert (
        "**Den här körningen:** Handläggare utsedd (klart), Tjänsteskrivelse (klart), Samverkan (FSG) (klart), "
        "Beslut (klart), Justering (väntar)"
    ) in text
    assert "**Nästa frist:** Remissvar till Kommunstyrelsen, 28 februari 2022 (2022-02-28)" in text
    assert "| 1 | 2022-01-19 |" in text  # the incoming remiss, as registered
