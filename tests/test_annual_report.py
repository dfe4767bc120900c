"""Årsredovisning 2021 for Arbetslivsnämnden (seed 003) and its linked follow-ups."""

import json

import pytest
from sqlalchemy import select

from helpers import D, advance_flow, fingerprint, officer, performer

FIGURES_TOML = """
grant_tkr = 243250
result_tkr = -2547

[[measure]]
name = "Antal hushåll med försörjningsstöd"
earlier = { 2019 = 708, 2020 = 705 }
budget = 700
outcome = 719

[[measure]]
name = "Andel sjukfrånvaro av ordinarie arbetstid, %"
earlier = { 2019 = 3.5, 2020 = 7.9 }
outcome = 5.5

[[section]]
heading = "Inledning"
text = "Arbetslivsnämndens uppdrag är att fullgöra kommunens arbetsmarknadspolitiska insatser."

[[section]]
heading = "Viktiga händelser under året"
text = '''Under år 2021 har Arbetslivsnämnden haft 7 skrivna IOP.

Årets Integrationsdag genomfördes den 28 september.'''
"""


def start_annual(year=2021, registered="2022-01-10"):
    from arende.services import annual_report
    from db.session import session_scope

    data = annual_report.AnnualReportStart(organ="ALN", year=year, registered_on=D(registered))
    with session_scope() as session:
        errand, _ = annual_report.start(session, data, registered_on=data.registered_on)
        return errand.id, errand.dnr


def record_figures(dnr, tmp_path, text=FIGURES_TOML):
    from arende.services import annual_report
    from db.session import session_scope

    path = tmp_path / "figures.toml"
    path.write_text(text, encoding="utf-8")
    with session_scope() as session:
        annual_report.record_figures(session, dnr, annual_report.read_figures(path))


def start_followup(title, parent):
    from arende.services import report
    from db.session import session_scope

    data = report.ReportStart(
        organ="ALN", title=title, parent=parent, recipients=["Kommunstyrelsen"], registered_on=D("2022-01-12")
    )
    with session_scope() as session:
        errand, _ = report.start(session, data, registered_on=data.registered_on)
        return errand.id, errand.dnr


def decide_all(dnr, paragraph, *, decision=None, justera=True):
    from arende.services import facts
    from db.session import session_scope

    for record in (
        lambda s: facts.assign_officer(s, dnr, officer(s), D("2022-01-12")),
        lambda s: facts.draft_report(
            s,
            dnr,
            summary="Nämnden redovisar året.",
            body="Ärendet i sin helhet.",
            drafted_on=D("2022-02-01"),
            proposed_decision=decision,
        ),
        lambda s: facts.record_fsg(s, dnr, held_on=D("2022-02-03"), kind="information", note=None),
        lambda s: facts.record_decision(s, dnr, meeting_on=D("2022-02-15"), paragraph=paragraph),
    ):
        with session_scope() as session:
            record(session)


def sign_and_post():
    from arende.services.meeting import signing
    from db.session import session_scope

    with session_scope() as session:
        signing.record_justering(
            session,
            "ALN",
            D("2022-02-15"),
            justerad_on=D("2022-02-18"),
            chair="Lars-Åke Johansson",
            justerare=["Sara Holm"],
        )
    with session_scope() as session:
        signing.record_anslag(session, "ALN", D("2022-02-15"), posted_on=D("2022-02-21"))


def test_the_delivery_deadline_comes_from_the_budget_calendar(db):
    from db.models import Deadline
    from db.session import session_scope

    errand_id, dnr = start_annual()
    assert dnr == "ALN 2022-00001 1.2.4.1"
    with session_scope() as session:
        deadline = session.scalar(select(Deadline).where(Deadline.errand_id == errand_id))
        assert (deadline.kind, deadline.due_on) == ("delivery", D("2022-02-25"))


def test_a_year_missing_from_the_budget_calendar_is_refused_and_nothing_written(db):
    from arende.errors import InvalidInput

    before = fingerprint()
    with pytest.raises(InvalidInput) as err:
        start_annual(year=2030, registered="2031-01-10")
    assert err.value.field == "year" and "2030" in err.value.problem
    assert fingerprint() == before


def test_opening_the_same_years_report_again_gives_the_same_errand(db):
    assert start_annual() == start_annual()


def test_the_report_cannot_be_drafted_before_the_figures(db):
    from arende.errors import Conflict
    from arende.services import facts
    from db.session import session_scope

    _, dnr = start_annual()
    with session_scope() as session:
        facts.assign_officer(session, dnr, officer(session), D("2022-01-12"))
    with pytest.raises(Conflict) as err:
        with session_scope() as session:
            facts.draft_report(session, dnr, summary="S", body="B", drafted_on=D("2022-02-01"))
    assert err.value.field == "figures"


def test_figures_for_a_year_that_is_not_earlier_are_refused(db, tmp_path):
    from arende.errors import InvalidInput

    _, dnr = start_annual()
    before = fingerprint()
    with pytest.raises(InvalidInput) as err:
        record_figures(dnr, tmp_path, FIGURES_TOML.replace("2020 = 705", "2021 = 705"))
    assert err.value.field == "measure[1].earlier"
    assert fingerprint() == before


def test_a_figures_file_missing_the_result_is_refused(db, tmp_path):
    from arende.errors import InvalidInput

    _, dnr = start_annual()
    with pytest.raises(InvalidInput) as err:
        record_figures(dnr, tmp_path, FIGURES_TOML.replace("result_tkr = -2547", ""))
    assert err.value.field == "result_tkr"


@pytest.mark.usefixtures("prefect")
def test_annual_report_with_follow_ups_through_the_flows(sqlite_db, tmp_path):
    from arende.documents import docx_text
    from arende.services.annual_report import AnnualReportStart
    from db.models import Deadline, Document, Errand, OutboxMessage
    from db.session import session_scope
    from flows.errands import annual_report

    result = annual_report(
        utförd_av=performer(), start=AnnualReportStart(organ="ALN", year=2021, registered_on=D("2022-01-10"))
    )
    errand_id, dnr = result["errand_id"], result["dnr"]
    _, control = start_followup("Uppföljning internkontrollplan 2021", dnr)
    _, complaints = start_followup("Synpunktsrapport 2021", dnr)
    record_figures(dnr, tmp_path)
    decide_all(dnr, 11)
    decide_all(control, 12, decision="Arbetslivsnämnden godkänner uppföljningen av internkontrollplanen 2021.")
    decide_all(complaints, 13, decision="Arbetslivsnämnden godkänner synpunktsrapporten 2021.")
    sign_and_post()
    assert advance_flow(errand_id)["status"] == "closed"
    with session_scope() as session:
        children = list(session.scalars(select(Errand.id).where(Errand.parent_id == errand_id)))
    assert len(children) == 2
    for child in children:
        assert advance_flow(child)["status"] == "closed"
    with session_scope() as session:
        docs = {d.kind: d for d in session.scalars(select(Document).where(Document.errand_id == errand_id))}
        delivery = session.scalar(select(Deadline).where(Deadline.errand_id == errand_id, Deadline.kind == "delivery"))
        assert delivery.status == "met"
        messages = session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "ks.diarium@example.org"))
        assert len(list(messages)) == 3  # the annual report and both follow-ups, each to KS

    report_text = docx_text(docs["arsredovisning"].file.read_bytes()).replace("\xa0", " ")
    # The measures table fills the text width of an A4 page (16 cm, 9 072 twips), fixed.
    import re
    import zipfile

    with zipfile.ZipFile(docs["arsredovisning"].file) as package:
        xml = package.read("word/document.xml").decode()
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', xml)[-5:]]
    assert 9000 <= sum(widths) <= 9072 and widths[0] > 2 * widths[1] and 'w:type="fixed"' in xml, widths
    assert "Arbetslivsnämndens resultat för 2021 är ett underskott med 2 547 tkr." in report_text
    assert "Kommunbidraget för år 2021 är 243 250 tkr." in report_text
    # The report's own parts, numbered, each paragraph its own.
    assert "1 Inledning\nArbetslivsnämndens uppdrag" in report_text
    assert "2 Viktiga händelser under året\nUnder år 2021" in report_text
    assert "haft 7 skrivna IOP.\nÅrets Integrationsdag" in report_text
    assert "Antal hushåll med försörjningsstöd\n708\n705\n700\n719" in report_text
    assert "3,5\n7,9\n–\n5,5" in report_text
    assert f"Dnr {control} Uppföljning internkontrollplan 2021" in report_text
    assert f"Dnr {complaints} Synpunktsrapport 2021" in report_text

    letter = docx_text(docs["missiv"].file.read_bytes())
    assert "Till Kommunstyrelsen" in letter
    assert "Arbetslivsnämnden översänder härmed Arbetslivsnämndens årsredovisning för 2021" in letter
    assert "§ 11" in letter and "1. Årsredovisning 2021, Arbetslivsnämnden" in letter
    extract = docx_text(docs["protokollsutdrag"].file.read_bytes())
    assert (
        "Arbetslivsnämnden godkänner upprättad årsredovisning för verksamhetsåret 2021 och översänder "
        "densamma till Kommunstyrelsen."
    ) in extract
    assert "1. Kommunstyrelsen" in extract
    # One date per document, never after what it depends on (issue 23 item 6): the
    # report sent to KS is the one approved, dated before the meeting, and only once;
    # the extract is dated the day of the notice it cites.
    with session_scope() as session:
        reports = session.scalars(
            select(Document).where(Document.errand_id == errand_id, Document.kind == "arsredovisning")
        ).all()
        assert [r.registered_on < D("2022-02-15") for r in reports] == [True]
        report_date = reports[0].registered_on.isoformat()
    assert f"Datum {report_date}" in report_text
    assert "Datum 2022-02-21" in extract and "tillkännagavs på kommunens anslagstavla 21 februari 2022" in extract


@pytest.mark.usefixtures("prefect")
@pytest.mark.parametrize("crash_after", ["draft", "expediering"])
def test_the_annual_report_flow_killed_after_a_step_ends_the_same_when_run_again(
    sqlite_db, tmp_path, monkeypatch, crash_after
):

    from helpers import assert_crash_safe

    def scenario():
        errand_id, dnr = start_annual()
        record_figures(dnr, tmp_path)
        decide_all(dnr, 11)
        sign_and_post()
        return errand_id

    result = assert_crash_safe(advance_flow, scenario, crash_after, monkeypatch)
    assert result["status"] == "closed"


def test_cli_opens_the_annual_report_and_records_figures(sqlite_db, capsys, tmp_path):
    from arende.cli import main

    assert (
        main(["annual-report", "start", "--organ", "ALN", "--year", "2021", "--registered", "2022-01-10", "--no-run"])
        == 0
    )
    assert capsys.readouterr().out.strip() == "ALN 2022-00001 1.2.4.1"
    path = tmp_path / "f.toml"
    path.write_text(FIGURES_TOML, encoding="utf-8")
    assert main(["annual-report", "figures", "ALN", "2022-00001", "--file", str(path), "--no-run"]) == 0
    show = json.loads(_show_json(capsys, "ALN 2022-00001"))
    assert show["pending_advance"]["reason"] == "annual-report figures"
    assert [e["action"] for e in show["audit"]][-1] == "fact.figures"
    path.write_text("grant_tkr = 'mycket'\nresult_tkr = 1\n", encoding="utf-8")
    before = fingerprint()
    assert main(["annual-report", "figures", "ALN", "2022-00001", "--file", str(path), "--no-run"]) == 2
    assert capsys.readouterr().err.startswith("arende: error: grant_tkr:")
    assert fingerprint() == before


def _show_json(capsys, dnr):  # type: ignore[no-untyped-def]
    from arende.cli import main

    capsys.readouterr()
    assert main(["errand", "show", dnr, "--json"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        ('measure = "x"\n', "measure"),
        ('[[measure]]\nname = "a"\noutcome = 1\nearlier = 5\n', "measure[1].earlier"),
        ('section = "x"\n', "section"),
        ('[[section]]\nheading = "Inledning"\n', "sections.text"),
    ],
)
def test_a_figures_file_of_the_wrong_shape_is_refused_naming_the_part(db, tmp_path, toml, field):
    from arende.errors import InvalidInput

    _, dnr = start_annual()
    before = fingerprint()
    with pytest.raises(InvalidInput) as err:
        record_figures(dnr, tmp_path, "grant_tkr = 1\nresult_tkr = 2\n" + toml)
    assert err.value.field == field
    assert fingerprint() == before
