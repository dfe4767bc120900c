"""Votes and jäv as the law has them (KL 4:27, 5:55, 5:67, 6:28–32), through the command
line and read back from the protokoll: the voteringsproposition, a tie settled by the
chair's casting vote and said so, an election's tie by lot, each vote in upprop order
with the ersättare marked, a member with jäv replaced for the § by the ersättare the
tjänstgöringsordning names, and a reservation only by one who did not vote for the
decision."""

from __future__ import annotations

import pytest
from test_meeting import DAY, held, ok, run, text_of

PROP = ["--ja-for", "förvaltningens förslag", "--nej-for", "Sara Holms (V) yrkande om avslag"]


def _protocol(capsys, tmp_path) -> str:
    ok(capsys, "justera", "ALN", DAY, "--date", "2022-02-18", "--justerare", "Maria Svensson")
    ok(capsys, "anslag", "ALN", DAY, "--date", "2022-02-21")
    ok(capsys, "meeting", "protokoll", "ALN", DAY, "--out", str(tmp_path / "protokoll.docx"))
    return text_of((tmp_path / "protokoll.docx").read_bytes())


def _votes_table(tmp_path) -> list[list[str]]:
    from docx import Document

    doc = Document(str(tmp_path / "protokoll.docx"))
    [table] = [t for t in doc.tables if t.rows[0].cells[0].text == "Ledamot"]
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.usefixtures("sqlite_db")
def test_a_tie_is_decided_by_the_chairs_casting_vote_and_the_protocol_says_so(capsys, tmp_path):
    held(capsys)
    vote = ["--ja", "Lars-Åke Johansson", "--ja", "Ola Berg", "--nej", "Maria Svensson", "--nej", "Sara Holm"]
    out = ok(capsys, "meeting", "vote", "ALN", DAY, "--paragraph", "14", *vote, *PROP)
    assert out == "§ 14: 2 ja, 2 nej, 0 avstår; ja vinner (ordförandens utslagsröst)\n"
    # Maria Svensson voted nej, against the decision: she may reserve; Ola Berg may not.
    code, _, err = run(
        capsys, "meeting", "entry", "ALN", DAY, "--paragraph", "14", "--kind", "reservation", "--by", "Ola Berg"
    )
    assert code == 2 and "voted ja in § 14, for the decision" in err, err
    ok(capsys, "meeting", "entry", "ALN", DAY, "--paragraph", "14", "--kind", "reservation", "--by", "Maria Svensson")
    text = _protocol(capsys, tmp_path)
    assert (
        "Voteringsproposition: ja för förvaltningens förslag, nej för Sara Holms (V) yrkande om avslag.\n"
        "Omröstningen utfaller med 2 ja-röster mot 2 nej-röster. "
        "Lika röstetal: ordförandens utslagsröst avgör, för ja. "
        "Nämnden har beslutat enligt ja-förslaget, förvaltningens förslag."
    ) in text
    assert "Maria Svensson (M) reserverar sig mot beslutet." in text
    # Upprop order: the seats' order, the serving ersättare at the place of the member.
    assert _votes_table(tmp_path) == [
        ["Ledamot", "Ja", "Nej", "Avstår"],
        ["Lars-Åke Johansson (S)", "X", "", ""],
        ["Maria Svensson (M)", "", "X", ""],
        ["Ola Berg (S), ersättare för Per Ek", "X", "", ""],
        ["Sara Holm (V)", "", "X", ""],
    ]


@pytest.mark.usefixtures("sqlite_db")
def test_jav_puts_the_ersattare_of_the_tjanstgoringsordning_in_the_members_place_for_the_paragraph(capsys, tmp_path):
    from test_bad_input import full_dump

    held(capsys)
    # Two ersättare present, not serving: Eva Lund first in the order, Anna Berg of
    # Sara Holm's own party, who therefore steps in for her.
    for name, party, order in (("Eva Lund", "L", "1"), ("Anna Berg", "V", "4")):
        ok(capsys, "member", "add", "ALN", "--name", name, "--role", "ersattare", "--party", party,
           "--from", "2019-01-01", "--order", order)  # fmt: skip
    ok(
        capsys, "meeting", "attendance", "ALN", DAY, "--present", "Lars-Åke Johansson", "--present", "Maria Svensson",
        "--present", "Sara Holm", "--serving", "Ola Berg=Per Ek", "--ersattare", "Eva Lund", "--ersattare", "Anna Berg",
        "--other", "Tina Arekvist Lundell, förvaltningschef",
    )  # fmt: skip
    ok(capsys, "meeting", "entry", "ALN", DAY, "--paragraph", "14", "--kind", "jav", "--by", "Sara Holm")
    ok(capsys, "meeting", "entry", "ALN", DAY, "--paragraph", "14", "--kind", "jav", "--by", "Sara Holm")  # again
    before = full_dump()
    # Sara Holm cannot vote in § 14; Anna Berg serves, and must be counted.
    code, _, err = run(
        capsys, "meeting", "vote", "ALN", DAY, "--paragraph", "14", "--ja", "Lars-Åke Johansson",
        "--ja", "Maria Svensson", "--ja", "Ola Berg", "--nej", "Sara Holm", *PROP,
    )  # fmt: skip
    assert code == 2 and "Sara Holm has jäv in this § and cannot vote" in err, err
    code, _, err = run(
        capsys, "meeting", "vote", "ALN", DAY, "--paragraph", "14", "--ja", "Lars-Åke Johansson",
        "--ja", "Maria Svensson", "--ja", "Ola Berg", *PROP,
    )  # fmt: skip
    assert code == 2 and "missing: Anna Berg" in err, err
    assert full_dump() == before
    out = ok(
        capsys, "meeting", "vote", "ALN", DAY, "--paragraph", "14", "--ja", "Lars-Åke Johansson",
        "--ja", "Maria Svensson", "--nej", "Ola Berg", "--nej", "Anna Berg", *PROP,
    )  # fmt: skip
    assert out == "§ 14: 2 ja, 2 nej, 0 avstår; ja vinner (ordförandens utslagsröst)\n"
    # Eva Lund, present but not serving in § 14, took no part and cannot reserve.
    code, _, err = run(
        capsys, "meeting", "entry", "ALN", DAY, "--paragraph", "14", "--kind", "reservation", "--by", "Eva Lund"
    )
    assert code == 2 and "did not serve in § 14" in err, err
    # A new närvaro without Anna Berg would drop who served in § 14.
    code, _, err = run(
        capsys, "meeting", "attendance", "ALN", DAY, "--present", "Lars-Åke Johansson", "--present", "Maria Svensson",
        "--present", "Sara Holm", "--serving", "Ola Berg=Per Ek", "--ersattare", "Eva Lund",
    )  # fmt: skip
    assert code == 2 and "Anna Berg serves in § 14 for a member with jäv" in err, err
    text = _protocol(capsys, tmp_path)
    assert (
        "Sara Holm (V) anmäler jäv och deltar inte i handläggningen. "
        "Anna Berg (V) tjänstgör i hens ställe under paragrafen."
    ) in text
    assert _votes_table(tmp_path)[1:] == [
        ["Lars-Åke Johansson (S)", "X", "", ""],
        ["Maria Svensson (M)", "X", "", ""],
        ["Ola Berg (S), ersättare för Per Ek", "", "X", ""],
        ["Anna Berg (V), ersättare för Sara Holm (jäv)", "", "X", ""],
    ]


@pytest.mark.usefixtures("sqlite_db")
def test_an_election_tied_is_decided_by_lot_and_nothing_is_voted_on_where_nothing_is_decided(capsys, tmp_path):
    held(capsys)
    ok(capsys, "meeting", "item", "ALN", DAY, "--kind", "val", "--heading", "Val av ledamot till pensionärsrådet")
    ok(capsys, "meeting", "item", "ALN", DAY, "--kind", "information", "--heading", "Budgetläget")
    ok(capsys, "meeting", "paragraph", "ALN", DAY, "--item", "4", "--paragraph", "17")
    ok(capsys, "meeting", "paragraph", "ALN", DAY, "--item", "5", "--paragraph", "18")
    tie = ["--ja", "Lars-Åke Johansson", "--ja", "Ola Berg", "--nej", "Maria Svensson", "--nej", "Sara Holm"]
    names = ["--ja-for", "Eva Lund", "--nej-for", "Bo Ek"]
    code, _, err = run(capsys, "meeting", "vote", "ALN", DAY, "--paragraph", "17", *tie, *names)
    assert code == 2 and err.startswith("arende: error: lot: the election is tied: the lot decides"), err
    out = ok(capsys, "meeting", "vote", "ALN", DAY, "--paragraph", "17", *tie, *names, "--lot", "nej")
    assert out == "§ 17: 2 ja, 2 nej, 0 avstår; nej vinner (lottning)\n"
    code, _, err = run(capsys, "meeting", "vote", "ALN", DAY, "--paragraph", "18", *tie, *PROP)
    assert code == 2 and err.startswith("arende: error: paragraph: § 18 is an information item"), err
    code, _, err = run(capsys, "meeting", "vote", "ALN", DAY, "--paragraph", "14", *tie, *PROP, "--lot", "ja")
    assert code == 2 and err.startswith("arende: error: lot: the lot is drawn only when an election is tied"), err
    text = _protocol(capsys, tmp_path)
    assert (
        "Lika röstetal: lotten avgör valet och faller på nej. Nämnden har beslutat enligt nej-förslaget, Bo Ek." in text
    )


@pytest.mark.usefixtures("sqlite_db")
def test_justering_is_planned_as_a_day_and_the_meeting_chooses_its_justerare(capsys, tmp_path):
    """The plan's rule ("tre dagar efter") is a day and a place when the meeting is
    planned; val av justerare, the föredragningslista approved, the end and an
    adjournment are printed when recorded; once justerad, the day it was."""
    from test_bad_input import full_dump
    from test_meeting import a_planned_meeting

    a_planned_meeting(capsys)
    justering = ["--justering-days", "3", "--justering-time", "10.00", "--justering-place", "Arbetslivsförvaltningen"]
    out = ok(capsys, "meeting", "plan", "ALN", DAY, *justering)
    assert out == f"ALN {DAY}: planned; justering 18 februari 2022 kl. 10.00, Arbetslivsförvaltningen\n"
    for bad, field in (
        (["--justering-days", "20"], "justering_days"),
        (["--justering-date", "2022-02-14"], "justering_date"),
    ):
        code, _, err = run(capsys, "meeting", "plan", "ALN", DAY, *bad)
        assert code == 2 and err.startswith(f"arende: error: {field}:"), err
    ok(capsys, "meeting", "agenda", "ALN", DAY)
    ok(capsys, "meeting", "attendance", "ALN", DAY, "--present", "Lars-Åke Johansson", "--present", "Maria Svensson",
       "--present", "Sara Holm", "--serving", "Ola Berg=Per Ek")  # fmt: skip
    ok(capsys, "meeting", "paragraph", "ALN", DAY, "--item", "1", "--paragraph", "14")
    before = full_dump()
    for bad, field in (
        (["--justerare", "Per Ek"], "justerare"),  # absent
        (["--ends", "12.00"], "ends"),  # before it began
        (["--adjourned", "14.45-14.30"], "adjourned"),
        (["--ends", "15.40", "--adjourned", "15.30-16.00"], "adjourned"),  # after it ended
    ):
        code, _, err = run(capsys, "meeting", "held", "ALN", DAY, *bad)
        assert code == 2 and err.startswith(f"arende: error: {field}:"), (bad, err)
    assert full_dump() == before
    ok(capsys, "meeting", "held", "ALN", DAY, "--justerare", "Maria Svensson", "--agenda-approved",
       "--ends", "15.40", "--adjourned", "14.30-14.45")  # fmt: skip
    ok(capsys, "meeting", "protokoll", "ALN", DAY, "--out", str(tmp_path / "utkast.docx"))
    draft = text_of((tmp_path / "utkast.docx").read_bytes())
    for line in (
        "Plats och tid: Sessionssalen, 15 februari 2022 kl. 13.15–15.40",
        "Ajournering: kl. 14.30–14.45",
        "Föredragningslistan godkändes.",
        "Justerare: Maria Svensson",
        "Justeringens plats och tid: 18 februari 2022 kl. 10.00, Arbetslivsförvaltningen",
    ):
        assert line in draft.splitlines(), line
    # Another justerare than the meeting chose is refused; none named: the chosen sign.
    code, _, err = run(capsys, "justera", "ALN", DAY, "--date", "2022-02-18", "--justerare", "Sara Holm")
    assert code == 2 and "the meeting chose Maria Svensson to justera" in err, err
    ok(capsys, "justera", "ALN", DAY, "--date", "2022-02-18")
    ok(capsys, "meeting", "protokoll", "ALN", DAY, "--out", str(tmp_path / "justerat.docx"))
    signed = text_of((tmp_path / "justerat.docx").read_bytes()).splitlines()
    assert "Justerat: 18 februari 2022, Arbetslivsförvaltningen" in signed
    # Dated by what it is: the draft the meeting's day, the signed protocol its justering.
    from arende.documents import docx_text

    assert "Datum 2022-02-15" in docx_text((tmp_path / "utkast.docx").read_bytes())
    assert "Justeringsdatum 2022-02-18" in docx_text((tmp_path / "justerat.docx").read_bytes())
    assert not any(line.startswith("Justeringens plats och tid") for line in signed)


@pytest.mark.usefixtures("sqlite_db")
def test_the_secretary_is_named_with_title_phone_and_address_where_documents_ask(capsys, tmp_path):
    from test_meeting import a_planned_meeting

    from arende.documents import docx_text
    from arende.services.accounts import create_user
    from db.session import session_scope

    with session_scope() as session:
        create_user(session, "karin", "Karin Nilsson", "sekreterare", "korrekt-häst-batteri", email="karin@example.org")
    code, _, err = run(capsys, "organs", "secretary", "ALN", "--user", "karin", "--title", "x" * 101)
    assert code == 2 and err.startswith("arende: error: title:"), err
    ok(
        capsys,
        "organs",
        "secretary",
        "ALN",
        "--user",
        "karin",
        "--title",
        "Nämndsekreterare",
        "--phone",
        "033-35 71 23",
    )
    a_planned_meeting(capsys)
    ok(capsys, "meeting", "agenda", "ALN", DAY)
    ok(capsys, "meeting", "kallelse", "ALN", DAY, "--sent", "2022-02-08", "--out", str(tmp_path / "kallelse.docx"))
    kallelse = text_of((tmp_path / "kallelse.docx").read_bytes())
    assert (
        "Förhinder anmäls till sekreteraren, Karin Nilsson, nämndsekreterare, 033-35 71 23, karin@example.org."
        in kallelse
    )
    ok(capsys, "meeting", "attendance", "ALN", DAY, "--present", "Lars-Åke Johansson", "--present", "Maria Svensson",
       "--present", "Sara Holm", "--serving", "Ola Berg=Per Ek")  # fmt: skip
    ok(capsys, "meeting", "paragraph", "ALN", DAY, "--item", "1", "--paragraph", "14")
    ok(capsys, "justera", "ALN", DAY, "--date", "2022-02-18", "--justerare", "Maria Svensson")
    ok(capsys, "extract", "ALN 2022-00001", "--out", str(tmp_path / "utdrag.docx"))
    assert "Utdragsbestyrkande: Karin Nilsson, nämndsekreterare" in docx_text((tmp_path / "utdrag.docx").read_bytes())
    # A registrator certifies the copy she makes, named with her title; a handläggare may not.
    with session_scope() as session:
        create_user(session, "rut", "Rut Berg", "registrator", "korrekt-häst-batteri", title="Registrator")
    ok(capsys, "extract", "ALN 2022-00001", "--out", str(tmp_path / "rut.docx"), "--certifier", "rut")
    assert "Utdragsbestyrkande: Rut Berg, registrator" in docx_text((tmp_path / "rut.docx").read_bytes())
    code, _, err = run(capsys, "extract", "ALN 2022-00001", "--out", str(tmp_path / "anna.docx"), "--certifier", "anna")
    assert code == 2 and err == "arende: error: certifier: anna (Anna Lind) may not certify protocol extracts\n", err
    assert not (tmp_path / "anna.docx").exists()
