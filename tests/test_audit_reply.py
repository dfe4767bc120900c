"""The reply to an audit report (seed 001: five recommendations, the fifth to ALN)."""

import pytest
from sqlalchemy import select

from helpers import D, advance_flow, fingerprint, officer, performer

RECOMMENDATIONS = [
    ("KS", "tydliggöra vad Arbetslivsnämndens roll som samordnande nämnd för integrationsarbetet innebär"),
    ("KS", "utveckla uppföljningsprocessen av Program för ett integrerat samhälle"),
    ("KS", "utveckla spridningen av uppföljningen av Program för ett integrerat samhälle"),
    ("KS", "utveckla den stadsövergripande analysen av integrationsarbetet"),
    (
        "ALN",
        "fullgöra sitt uppdrag att årligen följa upp bolagens och nämndernas insatser och resultat "
        "inom integrationsområdet",
    ),
]


def audit_start(**overrides):
    from arende.services.audit_reply import AuditStart

    data = dict(
        organ="ALN",
        sender="REV",
        sender_dnr="REV 2020-00031",
        title="Granskning av integration och etablering i Borås Stad",
        received_on=D("2021-01-18"),
        reply_due=D("2021-04-30"),
        registered_on=D("2021-01-19"),
        recommendations=[{"addressed_to": [to], "text": text} for to, text in RECOMMENDATIONS],
    )
    data.update(overrides)
    return AuditStart(**data)


def register_audit(**overrides):
    from arende.services.audit_reply import start_audit
    from db.session import session_scope

    start = audit_start(**overrides)
    with session_scope() as session:
        errand, _ = start_audit(session, start, registered_on=start.registered_on)
        return errand.id, errand.dnr


ANSWER = "Arbetslivsnämnden återupptar den årliga uppföljningen och redovisar den för 2021 i juni 2022."


def record_facts(dnr: str, upto: str = "anslag", responses=None) -> None:
    from arende.services import facts
    from arende.services.meeting import signing
    from db.session import session_scope

    steps = [
        ("assign", lambda s: facts.assign_officer(s, dnr, officer(s), D("2021-01-20"))),
        (
            "draft",
            lambda s: facts.draft_report(
                s,
                dnr,
                summary="Stadsrevisionen har granskat integrationsarbetet.",
                body="Nämnden delar revisionens bedömning.",
                drafted_on=D("2021-03-01"),
                responses=responses if responses is not None else {5: ANSWER, 2: "Kommunstyrelsen ansvarar."},
                attachments=["Rapport – Granskning av integration och etablering"],
            ),
        ),
        ("fsg", lambda s: facts.record_fsg(s, dnr, held_on=D("2021-03-10"), kind="information", note=None)),
        ("decision", lambda s: facts.record_decision(s, dnr, meeting_on=D("2021-03-23"), paragraph=31)),
        (
            "justering",
            lambda s: signing.record_justering(
                s,
                "ALN",
                D("2021-03-23"),
                justerad_on=D("2021-03-26"),
                chair="Lars-Åke Johansson",
                justerare=["Sara Holm"],
            ),
        ),
        ("anslag", lambda s: signing.record_anslag(s, "ALN", D("2021-03-23"), posted_on=D("2021-03-26"))),
    ]
    for name, record in steps:
        with session_scope() as session:
            record(session)
        if name == upto:
            return


def test_a_reply_that_skips_a_recommendation_addressed_to_the_committee_is_refused(db):
    from arende.errors import InvalidInput

    _, dnr = register_audit()
    record_facts(dnr, upto="assign")
    before = fingerprint()
    with pytest.raises(InvalidInput) as err:
        record_facts_only_draft(dnr, responses={1: "Kommentar till KS:s rekommendation."})
    assert err.value.field == "responses" and "recommendation 5" in err.value.problem
    assert fingerprint() == before


def test_a_response_to_a_recommendation_that_does_not_exist_is_refused(db):
    from arende.errors import InvalidInput

    _, dnr = register_audit()
    record_facts(dnr, upto="assign")
    with pytest.raises(InvalidInput) as err:
        record_facts_only_draft(dnr, responses={5: ANSWER, 9: "?"})
    assert "no recommendation 9" in err.value.problem


def test_a_recommendation_addressed_to_an_unknown_organ_is_refused(db):
    from arende.errors import NotFound
    from arende.services.audit_reply import start_audit
    from db.session import session_scope

    start = audit_start(recommendations=[{"addressed_to": ["XYZ"], "text": "göra något bättre"}])
    before = fingerprint()
    with pytest.raises(NotFound) as err:
        with session_scope() as session:
            start_audit(session, start, registered_on=D("2021-01-19"))
    assert err.value.field == "recommendations[1].addressed_to"
    assert fingerprint() == before


def record_facts_only_draft(dnr, responses):
    from arende.services import facts
    from db.session import session_scope

    with session_scope() as session:
        facts.draft_report(session, dnr, summary="S", body="B", drafted_on=D("2021-03-01"), responses=responses)


@pytest.mark.usefixtures("prefect")
def test_the_audit_reply_runs_through_its_flow_and_answers_each_recommendation(sqlite_db):
    from arende.documents import docx_text
    from db.models import Document, OutboxMessage
    from db.session import session_scope
    from flows.errands import audit_reply

    result = audit_reply(utförd_av=performer(), start=audit_start())
    assert (result["dnr"], result["waiting_at"]) == ("ALN 2021-00001", "assign")
    record_facts(result["dnr"])
    result = advance_flow(result["errand_id"])
    assert result["status"] == "closed"
    with session_scope() as session:
        reply = session.scalar(select(Document).where(Document.kind == "revisionssvar"))
        [message] = session.scalars(select(OutboxMessage)).all()
        text = docx_text(reply.file.read_bytes())
        assert message.to_address == "revisionskontoret@example.org"
    assert "Er beteckning: REV 2020-00031" in text and "Vår beteckning: Dnr ALN 2021-00001" in text
    assert "Arbetslivsnämnden godkänner upprättat svar och översänder detsamma till Stadsrevisionen." in text
    assert f"Rekommendation 5 (till Arbetslivsnämnden): {RECOMMENDATIONS[4][1]}" in text
    assert f"Svar: {ANSWER}" in text
    # Commented on although addressed to KS; recommendations 1, 3, 4 are not ours and not answered.
    assert "Rekommendation 2 (till Kommunstyrelsen)" in text and "Rekommendation 1 " not in text


@pytest.mark.usefixtures("prefect")
@pytest.mark.parametrize("crash_after", ["assign", "draft", "decision", "anslag", "expediering", "close"])
def test_the_audit_reply_flow_killed_after_a_step_ends_the_same_when_run_again(sqlite_db, monkeypatch, crash_after):

    from helpers import assert_crash_safe

    def scenario():
        errand_id, dnr = register_audit()
        record_facts(dnr)
        return errand_id

    result = assert_crash_safe(advance_flow, scenario, crash_after, monkeypatch)
    assert result["status"] == "closed"


def test_audit_start_from_the_cli_with_recommendations(sqlite_db, capsys):
    from arende.cli import main

    code = main(
        [
            "audit",
            "start",
            "--organ",
            "ALN",
            "--sender-dnr",
            "REV 2020-00031",
            "--title",
            "Granskning",
            "--received",
            "2021-01-18",
            "--reply-due",
            "2021-04-30",
            "--registered",
            "2021-01-19",
            "--recommendation",
            "KS: utveckla uppföljningen",
            "--recommendation",
            "ALN,KS: följ upp årligen",
            "--no-run",
        ]
    )
    out, err = capsys.readouterr()
    assert (code, out.strip()) == (0, "ALN 2021-00001")
    code = main(
        [
            "audit",
            "start",
            "--organ",
            "ALN",
            "--sender-dnr",
            "REV 2020-00032",
            "--title",
            "Granskning",
            "--received",
            "2021-01-18",
            "--reply-due",
            "2021-04-30",
            "--recommendation",
            "utan adressat",
            "--no-run",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2 and err.startswith("arende: error: recommendation:")
    code = main(["draft", "ALN", "2021-00001", "--summary", "S", "--text", "T", "--response", "fem: svar", "--no-run"])
    out, err = capsys.readouterr()
    assert code == 2 and err.startswith("arende: error: response:")
