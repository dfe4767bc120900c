"""The diarium on SQLite and PostgreSQL: numbers, documents, secrecy."""

import pytest
from sqlalchemy import select

from arende.errors import ArendeError, NotFound

from helpers import D, fingerprint, register


def test_registrations_get_consecutive_numbers_per_registry_and_year(db):
    numbers = [register(sender_dnr=f"KS 2021-{900 + i:05d}")[1] for i in range(3)]
    assert numbers == ["ALN 2022-00001", "ALN 2022-00002", "ALN 2022-00003"]
    # A new year starts again at 1; another registry has its own sequence.
    assert (
        register(
            sender_dnr="KS 2022-00001",
            registered_on=D("2023-01-02"),
            received_on=D("2023-01-02"),
            reply_due=D("2023-02-01"),
        )[1]
        == "ALN 2023-00001"
    )
    assert register(organ="GVN", sender_dnr="KS 2021-00907")[1] == "GVN 2022-00001"


def test_a_classification_code_is_part_of_the_formatted_number(db):
    _, dnr = register(classification="1.1.7.1")
    assert dnr == "ALN 2022-00001 1.1.7.1"


def test_registering_the_same_remiss_twice_gives_the_first_number_back(db):
    first = register(sender_dnr="KS 2021-00907")
    again = register(sender_dnr="KS-2021-00907")  # written the other way
    assert again == first
    assert fingerprint()["sequences"] == [("ALN", 2022, 1)]


def test_a_failed_registration_leaves_no_gap(db):
    register(sender_dnr="KS 2021-00001")
    with pytest.raises(NotFound):
        register(sender_dnr="KS 2021-00002", classification="9.9.9")  # unknown code: rolled back
    assert register(sender_dnr="KS 2021-00003")[1] == "ALN 2022-00002"


def test_the_incoming_remiss_is_registered_as_document_one_with_the_four_fields(db):
    from db.models import Document
    from db.session import session_scope

    errand_id, _ = register()
    with session_scope() as session:
        doc = session.scalar(select(Document).where(Document.errand_id == errand_id))
        assert doc.number == 1
        assert doc.registered_on == D("2022-01-19")
        assert doc.direction == "incoming"
        assert doc.counterpart == "Kommunstyrelsen"
        assert "KS 2021-00907" in doc.description


def test_a_secret_document_hides_counterpart_and_description_from_the_public_listing(db):
    from arende.rules.workflow import Direction
    from arende.services.common import get_errand
    from arende.services.diary import public_listing, register_document
    from db.models import Document
    from db.session import session_scope

    _, dnr = register()
    with session_scope() as session:
        errand = get_errand(session, dnr)
        register_document(
            session,
            errand,
            registered_on=D("2022-01-25"),
            direction=Direction.INCOMING,
            counterpart="Anna Andersson",
            description="Skrivelse om hot mot enskild",
            secrecy_provision="OSL 26:1",
        )
    with session_scope() as session:
        docs = list(session.scalars(select(Document).where(Document.errand_id == errand.id)))
        secret = next(d for d in docs if d.is_secret)
        # The registrator's view keeps everything, with the full OSL 5:5 marking.
        assert (secret.secrecy_provision, secret.secrecy_date, secret.secrecy_authority) == (
            "OSL 26:1",
            D("2022-01-25"),
            "Arbetslivsnämnden",
        )
        public = public_listing(docs)
    listed = "\n".join(f"{r.counterpart} {r.description}" for r in public)
    assert "Anna Andersson" not in listed and "hot mot" not in listed
    row = next(r for r in public if r.secrecy)
    assert row.registered_on == D("2022-01-25") and "OSL 26:1" in row.secrecy


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("counterpart", {"counterpart": " "}),
        ("description", {"description": ""}),
        ("secrecy", {"secrecy_provision": " "}),
    ],
)
def test_a_document_without_a_mandatory_field_is_refused(db, field, kwargs):
    from arende.rules.workflow import Direction
    from arende.services.common import get_errand
    from arende.services.diary import register_document
    from db.session import session_scope

    _, dnr = register()
    before = fingerprint()
    values = dict(registered_on=D("2022-01-25"), direction=Direction.INCOMING, counterpart="X", description="Y")
    values.update(kwargs)
    with pytest.raises(ArendeError) as err:
        with session_scope() as session:
            register_document(session, get_errand(session, dnr), **values)
    assert err.value.field == field
    assert fingerprint() == before


def test_numbering_can_continue_from_a_previous_diarium_but_never_goes_back(db, capsys):
    from arende.cli import main

    assert main(["diary-continue", "ALN", "2022", "--next", "11"]) == 0
    assert capsys.readouterr().out == "next number: ALN 2022-00011\n"
    assert register()[1] == "ALN 2022-00011"
    before = fingerprint()
    assert main(["diary-continue", "ALN", "2022", "--next", "5"]) == 2
    assert "never goes back" in capsys.readouterr().err
    assert fingerprint() == before
    assert register(sender_dnr="KS 2021-00001")[1] == "ALN 2022-00012"


def test_a_title_as_long_as_its_column_registers_with_its_derived_description_cut(db, capsys):
    """'Remiss: <title>' is longer than the title: the description is cut with an
    ellipsis, not refused, and not a database error."""
    from arende.cli import main
    from db.models import Document
    from db.session import session_scope

    title = "Remiss om " + "riktlinjer " * 44 + "x" * 6  # 500 characters
    assert len(title) == 500
    args = ["remiss", "start", "--organ", "ALN", "--sender", "KS", "--sender-dnr", "KS 2021-00907", "--title", title]
    assert main([*args, "--received", "2022-01-19", "--reply-due", "2022-02-28", "--no-run"]) == 0
    with session_scope() as session:
        [doc] = session.scalars(select(Document)).all()
    assert len(doc.description) == 500 and doc.description.startswith("Remiss: Remiss om")
    assert doc.description.endswith("…")


def test_the_last_guard_names_a_column_a_library_caller_overfilled_and_writes_nothing(db):
    """A caller that skips the forms (a script, a future door) still gets the typed error
    naming the column, on SQLite as on PostgreSQL, and nothing is written."""
    from arende.errors import InvalidInput
    from arende.rules.workflow import Direction
    from arende.services.common import get_errand
    from arende.services.diary import register_document
    from db.session import session_scope

    _, dnr = register()
    before = fingerprint()
    with pytest.raises(InvalidInput) as caught, session_scope() as session:
        register_document(
            session,
            get_errand(session, dnr),
            registered_on=D("2022-01-20"),
            direction=Direction.INCOMING,
            counterpart="Länsstyrelsen " + "i Västra Götalands län" * 20,
            description="Komplettering",
        )
    assert (caught.value.field, caught.value.problem) == ("counterpart", "is 454 characters long; at most 300 fit")
    assert fingerprint() == before
