"""IOP with Kvinnojouren Borås (seed 003): decided 2021-10-14 § 125, a year at a time from
2022-01-01, renews by one year unless notice is given at the latest nine months before
expiry, 550 tkr a year and a 2022 supplement of 150 tkr decided as its own §."""

import pytest
from sqlalchemy import select

from helpers import D, advance_flow, fingerprint, officer, performer

TERMS = {
    "background": "Kvinno- och tjejjouren Borås är en partipolitiskt och religiöst obunden förening.",
    "purpose": "Syftet är att främja delaktighet och lokal utveckling genom långsiktiga relationer.",
    "responsibilities": "Kommunen har ett långtgående ansvar enligt 2 kap 2 § SoL.\n\nFöreningen har ett eget ansvar.",
    "services": "Skyddat boende med ett rum för akutplacering dygnet runt.",
    "cooperation": "Uppföljning av akutplaceringar två gånger om året.",
    "evaluation": "Föreningen upprättar årligen en verksamhetsberättelse.",
    "renegotiation": "Parterna äger rätt att när som helst påkalla nya förhandlingar.",
}


def iop_data(**overrides):
    data = dict(
        organ="ALN",
        number="2",
        partner_name="Kvinnojouren Borås",
        partner_orgnr="864501-5200",
        partner_contact="verksamhetschef",
        our_contact="Ida Wickström, Relationsvåldsenheten",
        starts_on=D("2022-01-01"),
        ends_on=D("2022-12-31"),
        yearly_amount=550_000,
        registered_on=D("2021-09-20"),
    )
    data.update(overrides)
    return data


def start_iop(**overrides):
    from arende.services import iop
    from db.session import session_scope

    start = iop.IopStart(**iop_data(**overrides))
    with session_scope() as session:
        errand, _ = iop.start(session, start, registered_on=start.registered_on)
        return errand.id, errand.dnr


def decide(dnr, meeting="2021-10-14", paragraph=125, *, with_terms=True):
    from arende.services import facts, iop
    from db.session import session_scope

    steps = [lambda s: facts.assign_officer(s, dnr, officer(s, "ida", "Ida Wickström"), D("2021-09-21"))]
    if with_terms:
        steps.append(lambda s: iop.record_terms(s, dnr, TERMS))
    steps += [
        lambda s: facts.draft_report(
            s,
            dnr,
            summary="Kvinnojouren erbjuder staden en IOP.",
            body="Ärendet.",
            drafted_on=D("2021-09-30"),
            attachments=["Bilaga Överenskommelse om IOP"],
        ),
        lambda s: facts.record_fsg(s, dnr, held_on=D("2021-10-05"), kind="information", note=None),
        lambda s: facts.record_decision(s, dnr, meeting_on=D(meeting), paragraph=paragraph),
    ]
    for record in steps:
        with session_scope() as session:
            record(session)


def sign_and_post(meeting="2021-10-14", signed="2021-10-18", posted="2021-10-19"):
    from arende.services.meeting import signing
    from db.session import session_scope

    with session_scope() as session:
        signing.record_justering(
            session, "ALN", D(meeting), justerad_on=D(signed), chair="Lars-Åke Johansson", justerare=["Sara Holm"]
        )
    with session_scope() as session:
        signing.record_anslag(session, "ALN", D(meeting), posted_on=D(posted))


def in_force():
    """An agreement decided, signed, posted and sent out: in force, not yet closed."""
    from arende.services.steps import advance

    errand_id, dnr = start_iop()
    decide(dnr)
    sign_and_post()
    advance(errand_id)
    return errand_id, dnr


def deadlines(errand_id):
    from db.models import Deadline
    from db.session import session_scope

    with session_scope() as session:
        return {
            d.kind: (d.due_on, d.status)
            for d in session.scalars(select(Deadline).where(Deadline.errand_id == errand_id))
        }


def calendar(on):
    from arende.services import iop_calendar
    from db.session import session_scope

    with session_scope() as session:
        return iop_calendar.apply_calendar(session, D(on))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        # The error names the option as typed: --orgnr, --ends.
        ({"partner_orgnr": "864501-5201"}, "orgnr"),  # wrong check digit
        ({"partner_orgnr": "8645015"}, "orgnr"),
        ({"ends_on": D("2021-12-31")}, "ends"),
        ({"notice_months": 12}, "notice_months"),  # longer than the one-year period
        ({"yearly_amount": -1}, "yearly_amount"),
    ],
)
def test_bad_agreement_data_is_refused_and_nothing_written(db, capsys, overrides, field):
    from arende.cli import main

    data = iop_data(**overrides)
    before = fingerprint()
    code = main(
        [
            "iop",
            "start",
            "--organ",
            "ALN",
            "--number",
            "2",
            "--partner",
            data["partner_name"],
            "--orgnr",
            data["partner_orgnr"],
            "--partner-contact",
            "verksamhetschef",
            "--our-contact",
            "Ida Wickström",
            "--starts",
            str(data["starts_on"]),
            "--ends",
            str(data["ends_on"]),
            "--yearly-amount",
            str(data["yearly_amount"]),
            "--notice-months",
            str(data.get("notice_months", 9)),
            "--registered",
            "2021-09-20",
            "--no-run",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"arende: error: {field}:"), err
    assert len(err.strip().splitlines()) == 1
    assert fingerprint() == before


def test_the_organisation_number_is_stored_in_its_standard_form(db):
    from arende.services import iop

    assert iop.IopStart(**iop_data(partner_orgnr="8645015200")).partner_orgnr == "864501-5200"


def test_the_report_needs_the_agreements_terms(db):
    from arende.errors import Conflict

    _, dnr = start_iop()
    with pytest.raises(Conflict) as err:
        decide(dnr, with_terms=False)
    assert err.value.field == "terms"


def test_an_agreement_in_force_has_its_evaluation_notice_and_expiry_deadlines(db):
    errand_id, _ = in_force()
    assert {k: v for k, v in deadlines(errand_id).items() if k.startswith("iop.")} == {
        "iop.evaluation.2022-12-31": (D("2022-02-28"), "open"),
        "iop.notice.2022-12-31": (D("2022-03-31"), "open"),
        "iop.expiry.2022-12-31": (D("2022-12-31"), "open"),
    }


def test_without_notice_the_agreement_renews_itself_year_after_year(db):
    from arende.services.queries import progress

    errand_id, _ = in_force()
    assert calendar("2022-03-31") == []  # the last day to give notice: nothing happens yet
    assert calendar("2022-04-01") == [errand_id]
    assert calendar("2022-04-01") == []  # idempotent
    d = deadlines(errand_id)
    assert d["iop.notice.2022-12-31"] == (D("2022-03-31"), "met")
    assert d["iop.notice.2023-12-31"] == (D("2023-03-31"), "open")
    # Two more years pass without anyone doing anything. The notice day for the period
    # ending 2024-12-31 falls on Easter Sunday 2024-03-31: a contract's date stays as
    # written, and its reminder aims at the last working day before it, Maundy Thursday.
    assert calendar("2024-06-01") == [errand_id]
    d = deadlines(errand_id)
    assert d["iop.notice.2024-12-31"] == (D("2024-03-28"), "met")
    assert d["iop.notice.2025-12-31"] == (D("2025-03-31"), "open")
    assert d["iop.expiry.2025-12-31"] == (D("2025-12-31"), "open")
    assert progress(errand_id)["waiting_at"] == "close"


def test_notice_on_the_contracts_last_day_is_accepted_even_on_a_sunday_and_a_day_later_is_too_late(db):
    from arende.errors import Conflict
    from arende.services import iop_calendar
    from arende.services.steps import advance
    from db.session import session_scope

    errand_id, dnr = in_force()
    calendar("2023-06-01")  # now in the period ending 2024-12-31, notice by Sunday 2024-03-31
    with pytest.raises(Conflict) as err:
        with session_scope() as session:
            iop_calendar.give_notice(session, dnr, given_on=D("2024-04-01"), by="municipality")
    assert "2024-03-31" in err.value.problem
    with session_scope() as session:
        iop_calendar.give_notice(session, dnr, given_on=D("2024-03-31"), by="partner")
    assert calendar("2024-12-31") == []  # still in force on its last day
    assert calendar("2025-01-01") == [errand_id]
    assert advance(errand_id)[-1].state == "done"
    with session_scope() as session:
        [row] = iop_calendar.list_agreements(session, D("2025-01-01"))
    assert (row.status, row.ends_on, row.amount_this_year) == ("ended", D("2024-12-31"), 0)


@pytest.mark.usefixtures("prefect")
def test_iop_and_its_supplement_through_the_flows(sqlite_db, capsys):
    import json

    from arende.cli import main
    from arende.documents import docx_text
    from arende.services import iop
    from arende.services.iop_supplement import SupplementStart
    from db.models import Document
    from db.session import session_scope
    from flows.errands import iop_agreement, iop_supplement
    from flows.iop import iop_renewals

    result = iop_agreement(utförd_av=performer(), start=iop.IopStart(**iop_data()))
    errand_id, dnr = result["errand_id"], result["dnr"]
    assert dnr == "ALN 2021-00001 1.1.6.3"
    decide(dnr)
    sign_and_post()
    result = advance_flow(errand_id)
    assert (result["status"], result["waiting_at"]) == ("expedierad", "close")

    with session_scope() as session:
        doc = session.scalar(select(Document).where(Document.kind == "iop_overenskommelse"))
        text = docx_text(doc.file.read_bytes()).replace("\xa0", " ")
    for part in (
        "Överenskommelse om idéburet offentligt partnerskap IOP nr 2",
        "Kvinnojouren Borås, organisationsnummer 864501-5200",
        "Bakgrund",
        "Syften och mål",
        "Ansvarsfördelning",
        "Tjänster som överenskommelsen innefattar",
        "Samverkan och samarbete",
        "Utvärdering och uppföljning",
        "Ekonomi",
        "550 000 kr per år",
        "Period för överenskommelsen",
        "från och med 1 januari 2022 till och med 31 december 2022",
        "förlängs med ett år",
        "senast 9 månader före förfallodagen",
        "senast 31 mars 2022",
        "Omförhandling",
        "Kontaktperson för Kvinnojouren Borås är verksamhetschef",
        "Ordförande arbetslivsnämnden",
        "Ordförande Kvinnojouren Borås",
        "två likalydande exemplar",
    ):
        assert part in text, part

    supplement = iop_supplement(
        utförd_av=performer(),
        start=SupplementStart(agreement_dnr=dnr, year=2022, amount=150_000, registered_on=D("2022-01-20")),
    )
    from arende.services import facts

    sdnr = supplement["dnr"]
    for record in (
        lambda s: facts.assign_officer(s, sdnr, officer(s, "ida", "Ida Wickström"), D("2022-01-20")),
        lambda s: facts.draft_report(
            s, sdnr, summary="Komplettering med servicetjänst.", body="Ärendet.", drafted_on=D("2022-02-01")
        ),
        lambda s: facts.record_decision(s, sdnr, meeting_on=D("2022-02-15"), paragraph=16),
    ):
        with session_scope() as session:
            record(session)
    sign_and_post("2022-02-15", "2022-02-18", "2022-02-21")
    assert advance_flow(supplement["errand_id"])["status"] == "closed"

    from arende.services.queries import errand_view

    with session_scope() as session:
        assert "Kvinnojouren Borås erhåller 150 tkr 2022." in errand_view(session, sdnr).decision
        tillagg = session.scalar(select(Document).where(Document.kind == "iop_tillagg"))
        assert tillagg is not None and tillagg.direction == "drawn_up"
        text = docx_text(tillagg.file.read_bytes()).replace("\xa0", " ")
    # The supplement agreement for the year, signed by both parties (seed 003).
    for part in (
        "Komplettering till överenskommelse om idéburet offentligt partnerskap IOP nr 2",
        "beslutade 2021-10-14 § 125",
        "erhåller Kvinnojouren Borås 150 000 kr för år 2022",
        "beslut 2022-02-15 § 16",
        "Namnförtydligande",
        "Ordförande Kvinnojouren Borås",
        "Exemplar 1, för Arbetslivsnämnden",  # a signature block for each of the two copies
        "Exemplar 2, för Kvinnojouren Borås",
    ):
        assert part in text, part

    # The daily run renews the agreement with nobody starting anything.
    import os

    os.environ["ARENDE_TODAY"] = "2022-04-01"
    from arende.settings import reset_settings

    reset_settings()
    try:
        [changed] = iop_renewals()
        assert changed["dnr"] == dnr
        assert main(["iop", "list", "--json"]) == 0
        [row] = json.loads(capsys.readouterr().out)
        assert (row["number"], row["starts_on"], row["ends_on"], row["notice_last_day"], row["amount_this_year"]) == (
            "2",
            "2022-01-01",
            "2022-12-31",
            "2023-03-31",
            700_000,
        )
    finally:
        del os.environ["ARENDE_TODAY"]
        reset_settings()


@pytest.mark.usefixtures("prefect")
@pytest.mark.parametrize("crash_after", ["draft", "expediering"])
def test_the_iop_flow_killed_after_a_step_ends_the_same_when_run_again(sqlite_db, monkeypatch, crash_after):

    from helpers import assert_crash_safe

    def scenario():
        errand_id, dnr = start_iop()
        decide(dnr)
        sign_and_post()
        return errand_id

    result = assert_crash_safe(advance_flow, scenario, crash_after, monkeypatch)
    assert result["waiting_at"] == "close"  # in force
