"""One person, one identity: an errand's officer is an account, access and the audit log
go by the account, two people of one name are told apart, a seat has its own address,
and the names recorded before accounts are linked only where that is certain."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select, text
from test_web import login, make_user

from helpers import D, officer, register


@pytest.fixture
def web(db: str):  # type: ignore[no-untyped-def]
    """The web page on SQLite and on PostgreSQL."""
    from arende.web import create_app

    return create_app()


def _secret_handling(dnr: str, folder: Any) -> int:
    from arende.commands.handlers import apply
    from arende.commands.vocabulary import DocumentAdd
    from db.models import Document
    from db.session import session_scope

    apply(
        DocumentAdd(
            dnr=dnr,
            direction="incoming",
            counterpart="Anna Andersson",
            description="Läkarintyg",
            date=dt.date(2022, 1, 21),
            secrecy="OSL 26:1",
            file=_pdf(folder),
        )
    )
    with session_scope() as session:
        return max(session.scalars(select(Document.number)))


def _pdf(folder: Any) -> Any:
    path = folder / "intyg.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    return path


def test_two_accounts_with_one_name_are_told_apart_everywhere(web: Any, tmp_path: Any) -> None:
    from arende.commands.handlers import apply
    from arende.commands.vocabulary import Assign
    from db.models import AuditEvent, Errand
    from db.session import session_scope

    app = web
    _, dnr = register()
    mine = login(app, "anna", "handlaggare", "Anna Lind")
    namesake = login(app, "anna.l", "handlaggare", "Anna Lind")
    apply(Assign(dnr=dnr, officer="anna", date=dt.date(2022, 1, 20)), no_run=True)
    number = _secret_handling(dnr, tmp_path)
    url = "/arende/ALN/2022/1"

    assert "Läkarintyg" in mine.get(url).text
    assert mine.get(f"{url}/handling/{number}").status_code == 200
    assert dnr in mine.get("/").text  # Mina ärenden

    page = namesake.get(url).text
    assert "Läkarintyg" not in page
    assert namesake.get(f"{url}/handling/{number}").status_code == 403
    assert dnr not in namesake.get("/").text
    with session_scope() as session:
        errand = session.scalar(select(Errand).where(Errand.seq == 1))
        assert errand is not None and errand.officer == "Anna Lind"
        reads = [a.actor for a in session.scalars(select(AuditEvent).where(AuditEvent.action == "document.read"))]
    assert reads == ["anna"]  # the reader by account, not by a name two people share
    # The page shows the name with the account, so the two are told apart there too.
    assert "Anna Lind (anna)" in mine.get(url).text
    # The officer is chosen from the accounts, each shown with its user name.
    secretary = login(app, "sara", "sekreterare", "Sara Holm")
    form = secretary.get(url).text
    assert '<option value="anna">Anna Lind (anna)</option>' in form
    assert '<option value="anna.l">Anna Lind (anna.l)</option>' in form


@pytest.mark.parametrize(
    ("officer_given", "said"),
    [
        ("Anna Lind", "officer: 'anna lind' is not a user name"),
        ("nobody", "officer: 'nobody' is no active account"),
        ("olle", "officer: olle (Olle Ek) is lasare; an officer's account does casework"),
    ],
)
def test_the_officer_is_an_account_that_does_casework(db, capsys, officer_given, said):
    from arende.cli import main

    from helpers import fingerprint

    _, dnr = register()
    make_user("olle", "lasare", "Olle Ek")
    before = fingerprint()
    capsys.readouterr()
    assert main(["assign", dnr, "--officer", officer_given, "--date", "2022-01-20"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"arende: error: {said}") and err.count("\n") == 1, err
    assert fingerprint() == before


def test_a_members_address_belongs_to_the_seat(db, capsys):
    from test_meeting import DAY, a_planned_meeting, ok

    from arende.cli import main
    from db.models import OutboxMessage
    from db.session import session_scope

    a_planned_meeting(capsys)  # Sara Holm sits in ALN with sara@example.org
    ok(capsys, "member", "add", "KS", "--name", "Sara Holm", "--role", "ledamot", "--email", "sara.holm@ks.example.org",
       "--from", "2022-01-01")  # fmt: skip
    ok(capsys, "meeting", "agenda", "ALN", DAY)
    assert main(["meeting", "kallelse", "ALN", DAY, "--sent", "2022-02-08"]) == 0
    with session_scope() as session:
        to = set(session.scalars(select(OutboxMessage.to_address)))
    assert "sara@example.org" in to and "sara.holm@ks.example.org" not in to
    # One person in both organs, not two.
    out = ok(capsys, "member", "list", "KS")
    assert "Sara Holm" in out


def test_the_last_administrator_stays_and_a_password_of_spaces_is_refused(db):
    from arende.errors import Conflict, InvalidInput
    from arende.services.accounts import create_user, set_active, set_role
    from db.session import session_scope

    with session_scope() as session:
        create_user(session, "ada", "Ada Nordin", "administrator", "x" * 14)
    for change in (lambda s: set_role(s, "ada", "lasare"), lambda s: set_active(s, "ada", False)):
        with pytest.raises(Conflict, match="last active administrator"), session_scope() as session:
            change(session)
    with pytest.raises(InvalidInput, match="only spaces"), session_scope() as session:
        create_user(session, "bo", "Bo Ek", "lasare", " " * 14)
    with pytest.raises(InvalidInput, match="email: contains the control character U"), session_scope() as session:
        create_user(session, "bo", "Bo Ek", "lasare", "x" * 14, email="bo@example.org\x00")
    with session_scope() as session:
        create_user(session, "ake", "Åke Ek", "administrator", "y" * 14)
        set_role(session, "ada", "lasare")  # another administrator remains


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_names_recorded_before_accounts_are_linked_only_where_certain(kind, tmp_path, request, capsys, monkeypatch):
    """A database at 0009 with errands whose officer is a name: the migration links a name
    exactly one account has, and lists the rest for a person to resolve."""
    from test_migrations import _fresh_url

    from alembic import command
    from arende.cli import main
    from arende.settings import reset_settings
    from db.migrate import alembic_config
    from db.session import engine_for

    url = _fresh_url(kind, tmp_path, request)
    command.upgrade(alembic_config(url), "0009")
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO organs (code, name, kind, active) VALUES ('ALN', 'Arbetslivsnämnden', 'namnd', true)")
        )
        organ = conn.execute(text("SELECT id FROM organs")).scalar_one()
        for username, name in (("anna", "Anna Lind"), ("eva", "Eva Berg"), ("eva.b", "Eva Berg")):
            conn.execute(
                text(
                    "INSERT INTO users (username, name, role, password_hash, active, created_at) "
                    "VALUES (:u, :n, 'handlaggare', 'x', true, CURRENT_TIMESTAMP)"
                ),
                {"u": username, "n": name},
            )
        for seq, who in ((1, "Anna Lind"), (2, "Eva Berg"), (3, "Per Okänd")):
            conn.execute(
                text(
                    "INSERT INTO errands (organ_id, errand_type, prefix, year, seq, title, status, registered_on, "
                    "officer, fsg_required, details, created_at) VALUES (:o, 'remiss', 'ALN', 2022, :s, 'Remiss', "
                    "'assigned', '2022-01-10', :w, false, '{}', CURRENT_TIMESTAMP)"
                ),
                {"o": organ, "s": seq, "w": who},
            )
        # Rows that refer to the tables the migrations rebuild (on SQLite: copy, drop, rename).
        conn.execute(
            text(
                "INSERT INTO documents (errand_id, number, registered_on, direction, counterpart, description, "
                "created_at) VALUES (1, 1, '2022-01-10', 'incoming', 'KS', 'Remiss', CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(text("INSERT INTO persons (name) VALUES ('Sara Holm')"))
        conn.execute(
            text(
                "INSERT INTO memberships (organ_id, person_id, role, valid_from) "
                "VALUES (:o, (SELECT id FROM persons WHERE name = 'Sara Holm'), 'ordforande', '2019-01-01')"
            ),
            {"o": organ},
        )
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents WHERE errand_id = 1")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() == 1
        linked = dict(conn.execute(text("SELECT seq, officer_user_id FROM errands")).all())
        anna = conn.execute(text("SELECT id FROM users WHERE username = 'anna'")).scalar_one()
        people = conn.execute(text("SELECT count(*) FROM users JOIN persons p ON p.id = users.person_id")).scalar()
    assert linked == {1: anna, 2: None, 3: None} and people == 3
    monkeypatch.setenv("ARENDE_DATABASE_URL", url)
    reset_settings()
    capsys.readouterr()
    assert main(["user", "unlinked"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ALN 2022-00002     Eva Berg  (eva, eva.b)",
        "ALN 2022-00003     Per Okänd  (inget konto med namnet)",
    ]
    assert main(["user", "link", "ALN 2022-00003", "--user", "anna"]) == 2
    assert "records 'Per Okänd'" in capsys.readouterr().err
    assert main(["user", "link", "ALN 2022-00002", "--user", "eva.b"]) == 0
    assert capsys.readouterr().out == "ALN 2022-00002: handläggare eva.b\n"
    assert main(["user", "unlinked"]) == 0
    assert re.findall(r"ALN 2022-0000\d", capsys.readouterr().out) == ["ALN 2022-00003"]
    engine.dispose()
    reset_settings()


def test_the_same_appointment_again_writes_nothing(db):
    from arende.services import facts
    from db.models import AuditEvent
    from db.session import session_scope

    _, dnr = register()
    for _ in range(2):
        with session_scope() as session:
            facts.assign_officer(session, dnr, officer(session), D("2022-01-20"))
    with session_scope() as session:
        assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "fact.assigned")).all()) == 1


def test_an_account_belongs_to_a_person_of_its_own(db):
    from arende.services.accounts import create_user
    from db.models import User
    from db.session import session_scope

    with session_scope() as session:
        for username in ("anna", "anna.l"):
            create_user(session, username, "Anna Lind", "handlaggare", "z" * 14)
        people = {u.username: u.person_id for u in session.scalars(select(User))}
        assert people["anna"] != people["anna.l"]
        assert {session.get(User, 1).person.name} == {"Anna Lind"}  # type: ignore[union-attr]


def test_the_organs_secretary_and_the_meetings_chair_are_persons(db, capsys):
    from test_meeting import DAY, held, ok

    from arende.cli import main
    from db.models import Meeting, Person, User
    from db.session import session_scope

    make_user("sara.s", "sekreterare", "Sara Sekreterare")
    assert main(["organs", "secretary", "ALN", "--user", "sara.s"]) == 0
    assert capsys.readouterr().out == "ALN: sekreterare Sara Sekreterare (sara.s)\n"
    held(capsys)  # planned, then its seats, then held: Lars-Åke Johansson is ordförande from 2019
    with session_scope() as session:
        meeting = session.scalar(select(Meeting).where(Meeting.held_on == D(DAY)))
        sara = session.scalar(select(User).where(User.username == "sara.s"))
        assert meeting is not None and sara is not None
        assert (meeting.secretary, meeting.secretary_person_id) == ("Sara Sekreterare", sara.person_id)
        assert meeting.chair == "Lars-Åke Johansson" and meeting.chair_person_id is not None
    ok(capsys, "justera", "ALN", DAY, "--date", "2022-02-18", "--justerare", "Maria Svensson")
    with session_scope() as session:
        meeting = session.scalar(select(Meeting).where(Meeting.held_on == D(DAY)))
        maria = session.scalar(select(Person).where(Person.name == "Maria Svensson"))
        assert meeting is not None and maria is not None and meeting.justerare_person_ids == [maria.id]
    assert main(["organs", "secretary", "ALN", "--user", "okand"]) == 2
    assert "user: 'okand' is no active account" in capsys.readouterr().err
    ok(capsys, "member", "list", "ALN")
