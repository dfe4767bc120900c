"""A corpus of bad input across the commands and imports, as a hurried or hostile user
types it: each is refused with exit 2 and one line `arende: error: <field>: ...`, no
traceback, and the whole database (every row of every table) and the documents
folder are exactly as before."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpers import record_all_facts, register

DNR = "ALN 2022-00001"  # drafted, not yet decided
DECIDED = "ALN 2022-00002"  # decided at the meeting of 2022-02-15 as § 14
LONG = "x" * 10_000
START = [
    "remiss",
    "start",
    "--organ",
    "ALN",
    "--sender",
    "KS",
    "--sender-dnr",
    "KS 2021-00999",
    "--title",
    "Remiss om något",
    "--received",
    "2022-01-19",
    "--reply-due",
    "2022-02-28",
]


IOP_START = [
    "iop", "start", "--organ", "ALN", "--number", "7", "--orgnr", "864501-5200",
    "--partner-contact", "verksamhetschef", "--our-contact", "Ida Wickström",
    "--starts", "2022-01-01", "--ends", "2022-12-31", "--yearly-amount", "550000", "--notice-months", "9",
]  # fmt: skip


def _with(args, option, value):
    args = list(args)
    args[args.index(option) + 1] = value
    return args


def full_dump() -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    from arende.settings import get_settings
    from db.models import Base
    from db.session import session_scope

    with session_scope() as session:
        dump = {t.name: sorted(map(repr, session.execute(select(t)).all())) for t in Base.metadata.sorted_tables}
    folder = get_settings().effective_documents_dir
    dump["files"] = sorted(str(p) for p in folder.rglob("*")) if folder.exists() else []
    return dump  # type: ignore[return-value]


CORPUS = [
    # impossible and out-of-order dates
    (["fsg", DNR, "--date", "2022-02-30"], "date"),
    (["fsg", DNR, "--date", "13/02/2022"], "date"),
    (["fsg", DNR, "--date", "99999-01-01"], "date"),
    (["fsg", DNR, "--date", "2021-12-31"], "date"),  # before the registration
    (_with(START, "--reply-due", "2022-01-01"), "reply_due"),  # before received
    (_with(START, "--received", "2022-02-31"), "received"),
    (["decide", DNR, "--meeting", "1800-01-01"], "meeting"),
    (["calendar", "--from", "2022-02-21", "--years", "99999"], "years"),
    (["calendar", "--from", "2022-02-21"], "period"),
    # unknown organ, Dnr, meeting
    (_with(START, "--organ", "XYZ"), "organ"),
    (_with(START, "--organ", "AL N"), "organ"),
    (["fsg", "ALN 2022-00099", "--date", "2022-02-03"], "dnr"),
    (["fsg", "ALN 2022-0001", "--date", "2022-02-03"], "dnr"),
    (["fsg", "ALN", "--date", "2022-02-03"], "dnr"),
    (["fsg", "ALN 2022-00001 x.y", "--date", "2022-02-03"], "dnr"),
    (["justera", "ALN", "2022-03-01", "--date", "2022-03-02", "--justerare", "Sara Holm"], "meeting"),
    (["justera", "QQQ", "2022-02-15", "--date", "2022-02-18", "--justerare", "Sara Holm"], "organ"),
    (["anslag", "ALN", "2022-02-16", "--date", "2022-02-21"], "meeting"),
    (["extract", "ALN 2022-00077", "--out", "{tmp}/x.docx"], "dnr"),
    (["extract", DNR, "--out", "{tmp}/x.docx"], "dnr"),  # not decided: no extract yet
    # closed sets
    (["fsg", DNR, "--date", "2022-02-03", "--kind", "chat"], "kind"),
    (["decide", DNR, "--meeting", "2022-02-15", "--outcome", "maybe"], "outcome"),
    (["draft", DNR, "--stance", "kanske", "--summary", "s", "--text", "t"], "stance"),
    (["document", "add", DNR, "--direction", "sideways", "--counterpart", "KS", "--description", "d"], "direction"),
    # empty and 10 000-character texts
    (["assign", DNR, "--officer", ""], "officer"),
    (["assign", DNR, "--officer", "   "], "officer"),
    (["assign", DNR, "--officer", LONG], "officer"),
    (_with(START, "--title", ""), "title"),
    (_with(START, "--title", LONG), "title"),
    (["decide", DNR, "--meeting", "2022-02-15", "--text", LONG * 3], "text"),
    (["justera", "ALN", "2022-02-15", "--date", "2022-02-18", "--justerare", ""], "justerare"),
    # control and right-to-left characters, template syntax
    (["assign", DNR, "--officer", "Anna\x1b[31mLind"], "officer"),
    (["assign", DNR, "--officer", "Anna\u202eLind"], "officer"),
    (["assign", DNR, "--officer", "Anna\nLind"], "officer"),
    (["assign", DNR, "--officer", "Anna\x00Lind"], "officer"),
    (_with(START, "--title", "Remiss\u202e om"), "title"),
    (["assign", DNR, "--officer", "anna", "--email", "anna at example"], "email"),
    # numbers
    (["decide", DNR, "--meeting", "2022-02-15", "--paragraph", "-3"], "paragraph"),
    (["decide", DNR, "--meeting", "2022-02-15", "--paragraph", "99999999999"], "paragraph"),
    (["decide", DNR, "--meeting", "2022-02-15", "--paragraph", "fjorton"], "paragraph"),
    (["draft", DNR, "--summary", "s", "--text", "t", "--stance", "tillstyrker", "--response", "x: svar"], "response"),
    # files: missing, a directory, not UTF-8
    (["draft", DNR, "--summary-file", "{tmp}/saknas.txt", "--text", "t", "--stance", "tillstyrker"], "summary"),
    (["draft", DNR, "--summary-file", "{tmp}", "--text", "t", "--stance", "tillstyrker"], "summary"),
    (["draft", DNR, "--summary-file", "{tmp}/latin1.txt", "--text", "t", "--stance", "tillstyrker"], "summary"),
    (["annual-report", "figures", DNR, "--file", "{tmp}/saknas.toml"], "file"),
    # order of facts
    (["anslag", "ALN", "2022-02-15", "--date", "2022-02-21"], "meeting"),  # not justerad yet
    (["fsg", DECIDED, "--date", "2022-02-04"], "dnr"),  # decided: FSG can no longer change
    # output paths: a directory, an unwritable place
    (["extract", DECIDED, "--out", "{tmp}"], "out"),
    (["extract", DECIDED, "--out", "{tmp}/latin1.txt/x.docx"], "out"),
    (["deadlines", "--ics", "{tmp}"], "ics"),
    (["deadlines", "--within", "soon"], "within"),
    (["deadlines", "--within", "99999999999"], "within"),
    (["deadlines", "--organ", "XYZ"], "organ"),  # never an empty list for a typo
    (["deadlines", "--ics", "{tmp}/x.ics", "--organ", "AL\x1bN"], "organ"),
    (["deadlines", "--ics", "/proc/arende.ics"], "ics"),  # a folder no one may write to
    (["extract", DECIDED, "--out", "/proc/arende/x.docx"], "out"),
    # texts longer than the column that keeps them (PostgreSQL refused them with a
    # traceback, SQLite stored them)
    (["assign", DNR, "--officer", "A" * 201], "officer"),
    (_with(START, "--sender-dnr", "KS 2021-00999 " + "x" * 100), "sender_dnr"),
    (
        [
            "document",
            "add",
            DNR,
            "--direction",
            "incoming",
            "--counterpart",
            "X",
            "--description",
            "Y",
            "--secrecy",
            "OSL " * 30,
        ],
        "secrecy",
    ),
    # numbers beyond what the database keeps
    (IOP_START + ["--partner", "Föreningen", "--yearly-amount", "99999999999"], "yearly_amount"),
    (["iop", "supplement", DNR, "--year", "2022", "--amount", "3000000000"], "amount"),
    # a partner name as long as the title it is put into: refused as the partner's
    (IOP_START + ["--partner", "Förening " + "x" * 480], "partner"),
    # setting up and the other errand types' documents
    (["diary-continue", "XYZ", "2022", "--next", "5"], "prefix"),
    (["diary-continue", "ALN", "20222", "--next", "5"], "year"),
    (["diary-continue", "ALN", "2022", "--next", "0"], "next"),
    (["iop", "terms", DNR, "--file", "{tmp}/saknas.toml"], "file"),
    (["iop", "terms", DNR, "--file", "{tmp}/latin1.txt"], "file"),
    # donation commands
    (["donation", "erase", DNR], "dnr"),  # a remiss, not a donation round
    (["donation", "adjust", DNR, "--application", "-1", "--amount", "10", "--reason", "offert"], "application"),
    (["donation", "adjust", DNR, "--application", "1", "--amount", "99999999", "--reason", "offert"], "amount"),
    (["donation", "adjust", DNR, "--application", "1", "--amount", "10", "--reason", "x\x1b[2J"], "reason"),
    (["donation", "import", DNR, "--file", "{tmp}/saknas.csv"], "file"),
    (
        ["donation", "import", DNR, "--file", "{tmp}/latin1.txt", "--skip-invalid", "--rejections", "{tmp}"],
        "rejections",
    ),
    # issue 21: the officer is an account; facts keep to the clock; e-mail and plan files
    # are checked as the commands check them
    (["assign", DNR, "--officer", "Anna Lind"], "officer"),
    (["assign", DNR, "--officer", "anna", "--date", "2199-01-01"], "date"),
    (
        ["document", "add", DNR, "--direction", "incoming", "--counterpart", "KS", "--description", "d"]
        + ["--date", "2199-01-01"],
        "date",
    ),  # fmt: skip
    (["justera", "ALN", "2022-02-15", "--date", "2199-12-31", "--justerare", "Sara Holm"], "date"),
    (
        ["member", "add", "ALN", "--name", "X Y", "--role", "ledamot", "--from", "2022-01-01"]
        + ["--email", "x@example.org\x01"],
        "email",
    ),  # fmt: skip
    (["meeting", "load", "ALN", "--file", "{tmp}/plan-nul.toml"], "meeting[1].place"),
    (["meeting", "load", "ALN", "--file", "{tmp}/plan-year1.toml"], "meeting[1].date"),
    (["meeting", "load", "ALN", "--file", "{tmp}/plan-9999.toml"], "meeting[1].date"),
    (["meeting", "load", "ALN", "--file", "{tmp}/plan-datetime.toml"], "meeting[1].date"),
    (["meeting", "load", "ALN", "--file", "{tmp}/plan-unknown.toml"], "meeting[1].plats"),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory):
    """One drafted and one decided remiss per backend, built once: every case must leave
    them exactly as they were, and the dump before each case proves it did."""
    from arende.settings import reset_settings

    from conftest import _use

    url = request.getfixturevalue("pg_url" if request.param == "postgresql" else "sqlite_url")
    tmp = tmp_path_factory.mktemp(f"bad-input-{request.param}")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _use(url, tmp, monkeypatch)
        _, dnr = register()
        record_all_facts(dnr, upto="draft")
        _, decided = register(sender_dnr="KS 2021-00908")
        record_all_facts(decided, upto="decision")
        assert (dnr, decided) == (DNR, DECIDED)
        (tmp / "latin1.txt").write_bytes("Sammanfattning på svenska: åäö".encode("latin-1"))
        for name, text in (
            ("plan-nul", 'date = 2022-04-01\nplace = "Sal\\u0000en"'),
            ("plan-year1", "date = 0001-01-01"),
            ("plan-9999", "date = 9999-12-31"),
            ("plan-datetime", "date = 2022-04-01T10:00:00"),
            ("plan-unknown", 'date = 2022-04-01\nplats = "Sessionssalen"'),
        ):
            (tmp / f"{name}.toml").write_text(f"[[meeting]]\n{text}\n", encoding="utf-8")
        yield tmp
    reset_settings()


@pytest.mark.parametrize(("args", "field"), CORPUS, ids=[f"{i:02d}-{f}" for i, (_, f) in enumerate(CORPUS)])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(seeded, capsys, args, field):
    from arende.cli import main

    args = [a.replace("{tmp}", str(seeded)) for a in args]
    before = full_dump()
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith(f"arende: error: {field}"), err
    assert "Traceback" not in err and out == ""
    assert full_dump() == before


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 40


def _unbounded(model, prefix=""):  # type: ignore[no-untyped-def]
    """Fields of a form or command that take text, numbers or lists without a bound."""
    import typing

    import annotated_types
    from pydantic import BaseModel

    found = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if type(None) in typing.get_args(kind) and len(args) == 1:
            kind = args[0]
        has = {type(m) for m in field.metadata}
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            found += _unbounded(kind, f"{prefix}{name}.")
        elif kind is str and annotated_types.MaxLen not in has:
            found.append(f"{model.__name__}.{prefix}{name}: text without a maximum length")
        elif kind is int and not has & {annotated_types.Le, annotated_types.Lt}:
            found.append(f"{model.__name__}.{prefix}{name}: a number without a maximum")
        elif typing.get_origin(kind) in (list, dict) and annotated_types.MaxLen not in has:
            found.append(f"{model.__name__}.{prefix}{name}: a list without a maximum length")
        elif typing.get_origin(kind) is list and typing.get_args(kind):
            [item] = typing.get_args(kind)
            if isinstance(item, type) and issubclass(item, BaseModel):
                found += _unbounded(item, f"{prefix}{name}[].")
    return found


def test_every_text_number_and_list_a_person_gives_is_bounded():
    """The systematic check behind the corpus: a value too long for its column, a number
    past the database's integers or ten thousand list items is refused by the form, for
    every command and start form, including ones added later."""
    from arende.commands.handlers import start_commands
    from arende.commands.vocabulary import FACTS

    models = [*FACTS, *(model for model, _ in start_commands())]
    assert len(models) > 20
    assert [found for model in models for found in _unbounded(model)] == []
