"""Reading: the legal calendar, deadlines, an errand."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import (
    app,
    errand_app,
)
from arende.cli._utilities import (
    DnrArg,
    _date,
    _dnr,
    _move_on,
    _reading,
    _request,
    _session,
)
from arende.files import writable_file, write_public


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
    from arende.rules.legalcalendar import deadline

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


def _within(value: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", value)
    if not m:
        raise typer.BadParameter(f"{value!r} is not a period such as 14d or 2w")
    days = int(m[1]) * (7 if m[2] == "w" else 1)
    if days > 36_600:  # a century: past it the calendar itself ends
        raise typer.BadParameter(f"{value!r} is more than a century")
    return days


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

        writable_file("ics", ics)
        with _reading() as session:
            data = deadlines_calendar(session, organ=organ, officer=officer)
        write_public(ics, data, "ics")
        typer.echo(f"{ics}: {data.count(b'BEGIN:VEVENT')} deadlines")
        return
    with _reading() as session:
        rows = open_deadlines(session, within_days=within, organ=organ)
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("no open deadlines")
    for r in rows:
        flag = f"OVERDUE {-r.days_left} d" if r.overdue else f"{r.days_left} d left"
        typer.echo(f"{r.due_on}  {flag:<16} {r.dnr:<16} {r.step:<12} {r.description} — {r.title}")


@errand_app.command("show")
def errand_show(
    dnr: DnrArg,
    as_json: Annotated[bool, typer.Option("--json", help="Maskinläsbar utdata")] = False,
    show_secret: Annotated[
        bool, typer.Option("--show-secret", help="Visa sekretessmarkerade handlingars motpart (loggas)")
    ] = False,
) -> None:
    """Visa status, steg, frister, handlingar, expediering och händelselogg för ett ärende."""
    from dataclasses import asdict

    from arende.services.queries import errand_view
    from arende.views import print_errand

    if show_secret:
        # Who looked at what is secret, and when: an audit row in the same breath.
        from arende.services.common import get_errand
        from arende.services.diary import secret_shown

        with _session() as session:
            view = errand_view(session, _dnr(dnr), show_secret=True)
            secret_shown(
                session, get_errand(session, view.dnr).id, [d["number"] for d in view.documents if d["secrecy"]]
            )
    else:
        with _reading() as session:
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
