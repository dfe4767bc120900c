"""The `arende` command line.

User mistakes end as one line on stderr and exit code 2, with the database unchanged.
Commands that do no orchestration never import Prefect (about 2 s by itself); the
commands that record a fact commit it first and only then run the errand's flow.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
import typer.main

from arende.errors import ArendeError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

try:  # typer 0.2x ships its own copy of click; its exceptions are not click's
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer on plain click
    from click import exceptions as click_exc  # type: ignore[no-redef]

app = typer.Typer(
    name="arende",
    help="Ärende: diarium, nämndärenden och beslut. Registrera, följ och expediera ärenden.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
remiss_app = typer.Typer(help="Remissärenden: registrera inkommen remiss och följ den till svar.", no_args_is_help=True)
audit_app = typer.Typer(
    help="Svar på revisionsrapporter: registrera rapporten och dess rekommendationer.", no_args_is_help=True
)
errand_app = typer.Typer(help="Visa och kör ärenden.", no_args_is_help=True)
organs_app = typer.Typer(help="Organ (nämnder, styrelser) och deras registerprefix.", no_args_is_help=True)
document_app = typer.Typer(help="Handlingar: registrera och lista.", no_args_is_help=True)
app.add_typer(remiss_app, name="remiss")
app.add_typer(audit_app, name="audit")
annual_app = typer.Typer(
    help="Årsredovisning: öppna ärendet för ett år och registrera årets siffror.", no_args_is_help=True
)
report_app = typer.Typer(
    help="Ärenden för beslut, t.ex. uppföljningar som hör till årsredovisningen.", no_args_is_help=True
)
app.add_typer(annual_app, name="annual-report")
iop_app = typer.Typer(help="IOP: överenskommelser om idéburet offentligt partnerskap.", no_args_is_help=True)
app.add_typer(iop_app, name="iop")
funds_app = typer.Typer(help="Donationsfonder: referensdata med ändamål och villkor.", no_args_is_help=True)
donation_app = typer.Typer(
    help="Utdelning ur de sociala donationsfonderna: ansökningar, fördelning, utbetalning.", no_args_is_help=True
)
app.add_typer(funds_app, name="funds")
app.add_typer(donation_app, name="donation")
app.add_typer(report_app, name="report")
app.add_typer(errand_app, name="errand")
app.add_typer(organs_app, name="organs")
app.add_typer(document_app, name="document")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


DateArg = Annotated[dt.date, typer.Option(parser=_date, metavar="YYYY-MM-DD")]
# A Dnr has a space in it; accept it quoted or not: `extract ALN 2022-00001`.
DnrArg = Annotated[list[str], typer.Argument(metavar="DNR", help="Diarienummer, t.ex. ALN 2022-00001")]


def _dnr(parts: list[str]) -> str:
    return " ".join(parts)


NoRun = Annotated[bool, typer.Option("--no-run", help="Registrera bara; kör inte ärendets flöde nu.")]


def _today() -> dt.date:
    from arende.services.common import today

    return today()


def _session() -> AbstractContextManager[Session]:
    from db.session import session_scope

    return session_scope()


def _request(session, errand_ids: list[int], reason: str) -> None:  # type: ignore[no-untyped-def]
    """In the fact's own transaction: the errands it concerns are to move on."""
    from arende.services.advance import request_advance

    request_advance(session, errand_ids, reason)


def _move_on(errand_ids: list[int], no_run: bool) -> None:
    """The fact is committed: move the errands on (arende.recording says how)."""
    from arende.recording import move_on

    move_on(errand_ids, no_run=no_run)


def _writable_file(field: str, path: Path) -> None:
    """Refuse an output path before anything is recorded: a folder, or a place where no
    file can be created."""
    import os

    from arende.errors import InvalidInput

    if path.is_dir():
        raise InvalidInput(field, f"{path} is a folder; give a file name")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(field, f"cannot write {path}: {folder} is not a writable folder")


# --- setup and reference data -------------------------------------------------------


@app.command()
def init() -> None:
    """Skapa eller uppgradera databasen och läs in referensdata (organ, klassificering)."""
    from sqlalchemy import exc

    from arende.errors import DatabaseUnavailable
    from arende.settings import get_settings
    from db.migrate import initialise
    from db.session import _redacted

    url = get_settings().effective_database_url
    try:
        organs, codes = initialise()
    except exc.DBAPIError as error:
        first = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise DatabaseUnavailable("database", f"cannot set up {_redacted(url)}: {first}") from None
    typer.echo(f"database ready: {organs} organs, {codes} classification codes")


@organs_app.command("load")
def organs_load(
    file: Annotated[Optional[Path], typer.Argument(help="TOML-fil; standard: inställningen")] = None,
) -> None:
    """Läs in organ från referensfilen (lägger till och uppdaterar)."""
    from arende.services.reference import load_organs
    from arende.settings import get_settings

    with _session() as session:
        n = load_organs(session, file or get_settings().organs_file)
    typer.echo(f"{n} organs loaded")


@app.command("diary-continue")
def diary_continue(
    prefix: Annotated[str, typer.Argument(help="Registerprefix, t.ex. ALN")],
    year: Annotated[int, typer.Argument(help="År")],
    next_seq: Annotated[int, typer.Option("--next", help="Nästa löpnummer, t.ex. 11")],
) -> None:
    """Fortsätt numreringen från ett tidigare diarium: nästa nummer blir --next."""
    from arende.services.diary import continue_sequence

    with _session() as session:
        continue_sequence(session, prefix.strip().upper(), year, next_seq)
    typer.echo(f"next number: {prefix.strip().upper()} {year}-{next_seq:05d}")


@organs_app.command("list")
def organs_list() -> None:
    """Lista organ och deras registerprefix."""
    from sqlalchemy import select

    from db.models import Organ

    with _session() as session:
        for o in session.scalars(select(Organ).order_by(Organ.code)):
            typer.echo(f"{o.code:<6} {o.name}{'' if o.active else ' (inaktiv)'}")


# --- the legal calendar ----------------------------------------------------------------


@app.command()
def calendar(
    from_: Annotated[dt.date, typer.Option("--from", parser=_date, metavar="YYYY-MM-DD", help="Startdag")],
    days: Annotated[Optional[int], typer.Option(help="Antal dagar (negativt räknar bakåt)")] = None,
    weeks: Annotated[Optional[int], typer.Option(help="Antal veckor")] = None,
    months: Annotated[Optional[int], typer.Option(help="Antal månader")] = None,
    years: Annotated[Optional[int], typer.Option(help="Antal år")] = None,
) -> None:
    """Sista dag för en frist enligt lagen (1930:173) om beräkning av lagstadgad tid."""
    from arende.errors import InvalidInput
    from arende.legalcalendar import deadline

    given = {k: v for k, v in {"days": days, "weeks": weeks, "months": months, "years": years}.items() if v is not None}
    if len(given) != 1:
        raise InvalidInput("period", "give exactly one of --days, --weeks, --months, --years")
    [(unit, count)] = given.items()
    # A century either way covers every period the law or a contract sets.
    limit = {"days": 36_600, "weeks": 5_300, "months": 1_200, "years": 100}[unit]
    if abs(count) > limit:
        raise InvalidInput(unit, f"{count} is more than {limit} {unit}")
    try:
        typer.echo(deadline(from_, **given).isoformat())
    except (ValueError, OverflowError):
        raise InvalidInput(unit, f"{from_} plus {count} {unit} is outside the calendar") from None


# --- the remiss errand -------------------------------------------------------------------


@annual_app.command("figures")
def annual_figures(
    dnr: DnrArg,
    file: Annotated[Path, typer.Option(help="TOML: grant_tkr, result_tkr och [[measure]]-rader")],
    no_run: NoRun = False,
) -> None:
    """Registrera årets siffror: kommunbidrag, resultat och mått med utfall och budget."""
    from arende.services import annual_report

    figures = annual_report.read_figures(file)
    with _session() as session:
        ids = annual_report.record_figures(session, _dnr(dnr), figures)
        _request(session, ids, "figures")
    _move_on(ids, no_run)


@iop_app.command("terms")
def iop_terms(
    dnr: DnrArg,
    file: Annotated[
        Path,
        typer.Option(
            help="TOML med avsnitten background, purpose, responsibilities, services, "
            "cooperation, evaluation, economy, renegotiation"
        ),
    ],
    no_run: NoRun = False,
) -> None:
    """Registrera överenskommelsens text, avsnitt för avsnitt."""
    from arende.services import iop

    terms = iop.read_terms(file)
    with _session() as session:
        ids = iop.record_terms(session, _dnr(dnr), terms)
        _request(session, ids, "iop terms")
    _move_on(ids, no_run)


@iop_app.command("renewals")
def iop_renewals_cmd(no_run: NoRun = False) -> None:
    """Förläng överenskommelser vars uppsägningsdag passerat utan uppsägning (körs dagligen)."""
    from arende.services import iop

    with _session() as session:
        ids = iop.apply_calendar(session)
        _request(session, ids, "iop renewals")
    typer.echo(f"{len(ids)} agreements changed")
    _move_on(ids, no_run)


@iop_app.command("list")
def iop_list(as_json: Annotated[bool, typer.Option("--json", help="Maskinläsbar utdata")] = False) -> None:
    """Lista överenskommelser med period, nästa uppsägningsdag och årets belopp."""
    from dataclasses import asdict

    from arende.services import iop
    from arende.swedish import number

    with _session() as session:
        rows = iop.list_agreements(session)
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        typer.echo("no agreements")
    for r in rows:
        notice = f"notice by {r.notice_last_day}" if r.notice_last_day else r.status.replace("_", " ")
        typer.echo(
            f"IOP {r.number:<4} {r.partner:<30} {r.dnr:<22} {r.starts_on} – {r.ends_on}  {notice:<22} "
            f"{number(r.amount_this_year):>9} kr {r.year}"
        )


@funds_app.command("load")
def funds_load(
    file: Annotated[Optional[Path], typer.Argument(help="TOML-fil; standard: inställningen")] = None,
) -> None:
    """Läs in donationsfonderna och deras villkor."""
    from arende.services.donations import load_funds
    from arende.settings import get_settings

    with _session() as session:
        n = load_funds(session, file or get_settings().funds_file)
    typer.echo(f"{n} funds loaded")


@funds_app.command("list")
def funds_list() -> None:
    """Lista fonderna med ändamål och villkor."""
    from sqlalchemy import select

    from db.models import Fund

    with _session() as session:
        for f in session.scalars(select(Fund).order_by(Fund.code)):
            limit = f", inkomst ≤ {f.max_monthly_income} kr/person" if f.max_monthly_income else ""
            typer.echo(f"{f.code:<10} {f.name} — {', '.join(f.categories)}; från {f.min_age} år{limit}")


@donation_app.command("import")
def donation_import(
    dnr: DnrArg,
    file: Annotated[Path, typer.Option(help="CSV-export från e-tjänsten (UTF-8, ; eller ,)")],
    skip_invalid: Annotated[bool, typer.Option(help="Importera giltiga rader och skriv en avvisningslista")] = False,
    rejections: Annotated[Optional[Path], typer.Option(help="Avvisningslista (rad;orsak) med --skip-invalid")] = None,
) -> None:
    """Importera ansökningar. En felaktig rad stoppar hela filen, om inte --skip-invalid."""
    from arende.errors import InvalidInput
    from arende.services.donations import import_applications

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {file}: {exc.strerror}") from None
    with _session() as session:
        result = import_applications(session, _dnr(dnr), data, skip_invalid=skip_invalid)
    if result.already_imported:
        typer.echo("this file is already imported; nothing changed")
        return
    typer.echo(
        f"{result.imported} imported ({result.late} late, {result.duplicates} duplicates rejected), "
        f"{len(result.invalid)} invalid rows skipped"
    )
    if result.invalid:
        target = rejections or file.with_suffix(".avvisade.csv")
        target.write_text(
            "rad;orsak\n" + "".join(f"{line};{reason}\n" for line, reason in result.invalid), encoding="utf-8"
        )
        typer.echo(f"rejection list: {target}")


@donation_app.command("allocate")
def donation_allocate(dnr: DnrArg) -> None:
    """Föreslå fördelning: varje beviljad ansökan ur en fond vars villkor den uppfyller."""
    from arende.services.donations import allocate_round
    from arende.swedish import number

    with _session() as session:
        summary = allocate_round(session, _dnr(dnr))
    typer.echo(f"{summary['count']} grants, {number(summary['total'])} kr")
    for f in summary["per_fund"]:
        typer.echo(f"  {f['code']:<10} {f['count']:>4} st {number(f['sum']):>10} kr  {f['name']}")


@donation_app.command("proposal")
def donation_proposal(dnr: DnrArg, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Visa förslaget per ansökan: fond, belopp och regeln som valde den (inga personuppgifter)."""
    from dataclasses import asdict

    from arende.services.donations import proposal

    with _session() as session:
        rows = proposal(session, _dnr(dnr))
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r.application:>6} rad {r.line:>5} {r.purpose:<13} {r.applied:>6} kr  {r.status:<11} "
            f"{r.fund or '-':<10} {r.amount:>6} kr  {r.rule or ''}"
        )


@donation_app.command("adjust")
def donation_adjust(
    dnr: DnrArg,
    application: Annotated[int, typer.Option(help="Ansökans id (ur proposal)")],
    amount: Annotated[int, typer.Option(help="Belopp, kronor (0 = avslag)")],
    reason: Annotated[str, typer.Option(help="Varför förslaget ändras")],
    fund: Annotated[Optional[str], typer.Option(help="Fondkod (standard: samma fond)")] = None,
) -> None:
    """Ändra förslaget för en ansökan före beslutet."""
    from arende.services.donations import adjust

    with _session() as session:
        adjust(session, _dnr(dnr), application, amount=amount, fund_code=fund, reason=reason)


@donation_app.command("payout")
def donation_payout_file(dnr: DnrArg, out: Annotated[Path, typer.Option(help="Kopia av utbetalningsfilen")]) -> None:
    """Skriv en kopia av utbetalningsfilen (den skapas en gång, vid expedieringen)."""
    import shutil

    from arende.errors import Conflict
    from arende.services.common import get_errand
    from arende.services.donations import round_of

    _writable_file("out", out)
    with _session() as session:
        rnd = round_of(session, get_errand(session, _dnr(dnr)))
        if not rnd.payout_path:
            raise Conflict("dnr", "no payout file: the decision has not been sent out (or the data is erased)")
        path, sha = rnd.payout_path, rnd.payout_sha256
    shutil.copyfile(path, out)
    out.chmod(0o600)
    typer.echo(f"{out} sha256 {sha}")


@donation_app.command("erase")
def donation_erase(dnr: DnrArg) -> None:
    """Gallra sökandes personuppgifter efter bevarandetiden; beslutets summor finns kvar."""
    from arende.services.donations import erase

    with _session() as session:
        n = erase(session, _dnr(dnr))
    typer.echo(f"personal data of {n} applications erased")


# --- facts: generated from the command vocabulary ----------------------------------------


def _apply(command, no_run: bool) -> None:  # type: ignore[no-untyped-def]
    from arende.commands.handlers import apply

    apply(command, no_run=no_run)


def _register_commands() -> None:
    """The fact and start commands, generated from their models: no option here is
    declared by hand."""
    from arende.commands.adapter import typer_command
    from arende.commands.handlers import register, start_commands
    from arende.commands.vocabulary import FACTS

    groups = {
        (): app,
        ("iop",): iop_app,
        ("remiss",): remiss_app,
        ("audit",): audit_app,
        ("annual-report",): annual_app,
        ("report",): report_app,
        ("donation",): donation_app,
    }
    for model in FACTS:
        groups[model.verb[:-1]].command(model.verb[-1])(typer_command(model, _apply))
    for start_model, register_fn in start_commands():

        def run(start, no_run: bool, register_fn=register_fn) -> None:  # type: ignore[no-untyped-def]
            register(start, register_fn, no_run=no_run)

        groups[start_model.verb[:-1]].command(start_model.verb[-1])(typer_command(start_model, run))


_register_commands()

# --- documents ------------------------------------------------------------------------------


@document_app.command("add")
def document_add(
    dnr: DnrArg,
    direction: Annotated[str, typer.Option(help="incoming, drawn_up eller outgoing")],
    counterpart: Annotated[str, typer.Option(help="Avsändare eller mottagare")],
    description: Annotated[str, typer.Option(help="Kort beskrivning")],
    date: Annotated[Optional[dt.date], typer.Option(parser=_date, metavar="YYYY-MM-DD")] = None,
    secrecy: Annotated[Optional[str], typer.Option(help="Sekretessbestämmelse, t.ex. 'OSL 26:1'")] = None,
    secrecy_date: Annotated[Optional[dt.date], typer.Option(parser=_date, metavar="YYYY-MM-DD")] = None,
    secrecy_authority: Annotated[Optional[str], typer.Option(help="Myndighet (standard: organet)")] = None,
) -> None:
    """Registrera en handling i ett ärende."""
    from arende.errors import InvalidInput
    from arende.services.common import get_errand
    from arende.services.diary import register_document
    from arende.workflow import Direction

    try:
        direction_value = Direction(direction)
    except ValueError:
        raise InvalidInput("direction", f"{direction!r} is not one of incoming, drawn_up, outgoing") from None
    with _session() as session:
        errand = get_errand(session, _dnr(dnr), lock=True)
        doc = register_document(
            session,
            errand,
            registered_on=date or _today(),
            direction=direction_value,
            counterpart=counterpart,
            description=description,
            secrecy_provision=secrecy,
            secrecy_date=secrecy_date,
            secrecy_authority=secrecy_authority,
        )
        typer.echo(f"{errand.dnr} handling {doc.number}")


@document_app.command("list")
def document_list(
    dnr: DnrArg,
    public: Annotated[bool, typer.Option(help="Visa den offentliga vyn (sekretessuppgifter dolda)")] = False,
) -> None:
    """Lista ärendets handlingar."""
    from sqlalchemy import select

    from arende.services.common import get_errand
    from arende.services.diary import public_listing
    from db.models import Document

    with _session() as session:
        errand = get_errand(session, _dnr(dnr))
        docs = list(session.scalars(select(Document).where(Document.errand_id == errand.id)))
        for row in public_listing(docs) if public else docs:
            secrecy = (
                getattr(row, "secrecy", None)
                if public
                else (
                    f"{getattr(row, 'secrecy_provision', '')}, {getattr(row, 'secrecy_date', '')}, "
                    f"{getattr(row, 'secrecy_authority', '')}"
                    if getattr(row, "secrecy_provision", None)
                    else None
                )
            )
            typer.echo(
                f"{row.number:>3} {row.registered_on} {row.direction:<9} {row.counterpart} | {row.description}"
                + (f" [sekretess: {secrecy}]" if secrecy else "")
            )


@app.command()
def extract(
    dnr: DnrArg,
    out: Annotated[Path, typer.Option(help="Fil att skriva (.docx)")],
) -> None:
    """Skriv ett protokollsutdrag för ett beslutat ärende."""
    from arende.services.common import get_errand
    from arende.services.documents import protocol_extract

    _writable_file("out", out)
    with _session() as session:
        errand = get_errand(session, _dnr(dnr), lock=True)
        doc, data = protocol_extract(session, errand)
        sha = doc.sha256
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    typer.echo(f"{out} sha256 {sha}")


# --- views -----------------------------------------------------------------------------------


def _within(value: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", value)
    if not m:
        raise typer.BadParameter(f"{value!r} is not a period such as 14d or 2w")
    return int(m[1]) * (7 if m[2] == "w" else 1)


@app.command()
def deadlines(
    within: Annotated[
        Optional[int], typer.Option(parser=_within, metavar="14d|2w", help="Bara frister inom, t.ex. 14d eller 2w")
    ] = None,
    organ: Annotated[Optional[str], typer.Option(help="Bara ett organ, t.ex. ALN")] = None,
    officer: Annotated[Optional[str], typer.Option(help="Bara en handläggares ärenden (med --ics)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Maskinläsbar utdata")] = False,
    ics: Annotated[Optional[Path], typer.Option(help="Skriv fristerna som iCalendar-fil (Outlook)")] = None,
) -> None:
    """Lista öppna frister, närmast först."""
    from arende.services.queries import open_deadlines

    if ics is not None:
        from arende.services.ics import deadlines_calendar

        _writable_file("ics", ics)
        with _session() as session:
            data = deadlines_calendar(session, organ=organ, officer=officer)
        ics.write_bytes(data)
        typer.echo(f"{ics}: {data.count(b'BEGIN:VEVENT')} deadlines")
        return
    with _session() as session:
        rows = open_deadlines(session, within_days=within, organ=organ)
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no open deadlines")
    for r in rows:
        flag = f"OVERDUE {-r.days_left} d" if r.overdue else f"{r.days_left} d left"
        typer.echo(f"{r.due_on}  {flag:<16} {r.dnr:<16} {r.step:<12} {r.description} — {r.title}")


@app.command()
def remind(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Visa vad som skulle skickas; skriv inget")] = False,
    send: Annotated[bool, typer.Option(help="Leverera utkorgen direkt efteråt (kräver ARENDE_SMTP_HOST)")] = False,
) -> None:
    """Skriv påminnelser för frister som närmar sig eller passerats (det dagliga svepet)."""
    from arende.services.reminders import sweep

    with _session() as session:
        result = sweep(session, dry_run=dry_run)
    for dnr, step, level, due in result.planned:
        typer.echo(f"{level:<8} {due}  {dnr:<22} {step}")
    verb = "would write" if dry_run else "wrote"
    typer.echo(
        f"{verb} {len(result.planned)} reminders"
        + (f", {result.no_address} without an address" if result.no_address else "")
    )
    if send and not dry_run:
        outbox_send()


outbox_app = typer.Typer(help="Utkorgen: e-post som väntar på att skickas.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")


@outbox_app.command("send")
def outbox_send() -> None:
    """Skicka väntande e-post via SMTP; misslyckade försöks igen senare."""
    from arende.services.mail import deliver

    result = deliver()
    typer.echo(f"{result.sent} sent, {result.failed} failed")
    for error in result.errors[:5]:
        typer.echo(f"  {error}", err=True)


@outbox_app.command("list")
def outbox_list(status: Annotated[Optional[str], typer.Option(help="pending eller sent")] = "pending") -> None:
    """Lista utkorgen."""
    from sqlalchemy import select

    from db.models import OutboxMessage

    with _session() as session:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if status:
            stmt = stmt.where(OutboxMessage.status == status)
        for m in session.scalars(stmt):
            extra = f" attempts {m.attempts}, next {m.next_attempt_at}: {m.last_error}" if m.last_error else ""
            typer.echo(f"{m.id:>5} {m.status:<8} {m.to_address:<35} {m.subject}{extra}")


@errand_app.command("show")
def errand_show(
    dnr: DnrArg,
    as_json: Annotated[bool, typer.Option("--json", help="Maskinläsbar utdata")] = False,
) -> None:
    """Visa status, steg, frister, handlingar, expediering och händelselogg för ett ärende."""
    from dataclasses import asdict

    from arende.services.queries import errand_view
    from arende.views import print_errand

    with _session() as session:
        view = errand_view(session, _dnr(dnr))
    if as_json:
        typer.echo(json.dumps(asdict(view), ensure_ascii=False, indent=2, default=str))
    else:
        print_errand(view)


@errand_app.command("run")
def errand_run(dnr: DnrArg) -> None:
    """Kör ärendets flöde igen, t.ex. efter ett avbrott; gjorda steg görs inte om."""
    from arende.services.common import get_errand

    with _session() as session:
        errand_id = get_errand(session, _dnr(dnr)).id
        _request(session, [errand_id], "errand run")
    _move_on([errand_id], False)


@app.command()
def serve(limit: Annotated[Optional[int], typer.Option(help="Högst så många samtidiga körningar")] = None) -> None:
    """Kör alla deployments i en process mot den konfigurerade Prefect-servern (en-server-läget)."""
    from arende.orchestration import prepare_prefect_environment

    prepare_prefect_environment()
    from prefect import serve as prefect_serve

    from flows.deployments import runner_deployments

    prefect_serve(*runner_deployments(), limit=limit)


@app.command()
def demo(out: Annotated[Path, typer.Option(help="Katalog för databasen och dokumenten")] = Path("demo-out")) -> None:
    """Spela upp Arbetslivsnämndens remissärende från februari 2022 (seed 003) genom flödet."""
    from arende.demo import run_demo

    run_demo(out)


@functools.cache
def click_command():  # type: ignore[no-untyped-def]
    """typer builds the click command tree anew on every call (~0.1 s); build it once,
    so the agent's children (arende.agent) start with it built."""
    return typer.main.get_command(app)


def main(argv: list[str] | None = None) -> int:
    try:
        click_command()(args=argv, standalone_mode=False, prog_name="arende")
    except ArendeError as exc:
        print(f"arende: error: {exc.field}: {exc.problem}", file=sys.stderr)
        return 2
    except click_exc.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else str(exc))
        return 0
    except click_exc.UsageError as exc:
        print(f"arende: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except click_exc.ClickException as exc:
        print(f"arende: error: {' '.join(exc.format_message().split())}", file=sys.stderr)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print("arende: aborted", file=sys.stderr)
        return 1
    return 0


def _one_line(exc: click_exc.UsageError) -> str:
    message = exc.format_message()
    if isinstance(exc, click_exc.BadParameter) and exc.param is not None:
        # The field's name, as the command vocabulary's errors give it: `reply_due: ...`
        return f"{exc.param.name}: {' '.join(exc.message.split())}"
    return " ".join(message.split())


if __name__ == "__main__":
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
