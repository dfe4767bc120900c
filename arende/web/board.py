"""The public Anslagstavla, and the pages every role reads: Tidsfrister and IOP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from arende.web.app import Ctx, page, refuse, render
from arende.web.common import (
    choices,
    document_file,
    errand_url,
    file_ref,
)

# --- Anslagstavla (public) -------------------------------------------------------------------


@page(public=True)
def board(ctx: Ctx) -> Response:
    """The notices of justering: posted now, and the ones taken down, with the appeal's end."""
    from arende.services.common import today
    from db.models import Decision, Document, Meeting
    from db.session import read_scope

    now = today()
    with read_scope() as session:
        posted = session.scalars(
            select(Meeting)
            # A notice shows from its posting day, never before (arende.rules.clock).
            .where(Meeting.anslag_posted_on.is_not(None), Meeting.anslag_posted_on <= now)
            .order_by(Meeting.anslag_posted_on.desc())
            .limit(100)
        ).all()
        oj = session.scalars(
            select(Decision)
            .where(
                Decision.immediate.is_(True), Decision.anslag_posted_on.is_not(None), Decision.anslag_posted_on <= now
            )
            .order_by(Decision.anslag_posted_on.desc())
            .limit(50)
        ).all()
        notices = []
        for m in posted:
            protocol = session.scalar(
                select(Document.id)
                .where(Document.meeting_id == m.id, Document.kind == "protokoll")
                .order_by(Document.id.desc())
                .limit(1)
            )
            notices.append(
                {
                    "organ": m.organ.name,
                    "what": f"Protokoll {m.held_on.isoformat()}",
                    "held_on": m.held_on,
                    "justerad_on": m.justerad_on,
                    "posted_on": m.anslag_posted_on,
                    "removed_on": m.anslag_removed_on,
                    "appeal_ends_on": m.appeal_ends_on,
                    "kept_at": m.minutes_kept_at or m.organ.office or m.organ.name,
                    "current": m.anslag_removed_on is None or m.anslag_removed_on >= now,
                    "protocol": f"/anslagstavla/protokoll/{protocol}" if protocol else None,
                }
            )
        for d in oj:
            notices.append(
                {
                    "organ": d.meeting.organ.name,
                    "what": f"Protokoll {d.meeting.held_on.isoformat()} § {d.paragraph} (omedelbart justerad)",
                    "held_on": d.meeting.held_on,
                    "justerad_on": d.justerad_on,
                    "posted_on": d.anslag_posted_on,
                    "removed_on": d.anslag_removed_on,
                    "appeal_ends_on": d.appeal_ends_on,
                    "kept_at": d.meeting.minutes_kept_at or d.meeting.organ.office or d.meeting.organ.name,
                    "current": d.anslag_removed_on is None or d.anslag_removed_on >= now,
                    "protocol": None,
                }
            )
        notices.sort(key=lambda n: str(n["posted_on"]), reverse=True)
        from arende.services.meeting.register import head

        last = head(session)
        return render(
            ctx,
            "board.html",
            today=now,
            chain={"entries": last.id, "head": last.entry_hash} if last else None,
            current=[n for n in notices if n["current"]],
            earlier=[n for n in notices if not n["current"]],
        )


@page(public=True)
def board_protocol(ctx: Ctx) -> Response:
    """A posted protocol, the public copy: only a meeting's protokoll whose notice is up or was."""
    from arende.rules.clock import visible_on
    from arende.services.common import today
    from db.models import Document, Meeting
    from db.session import read_scope

    ref = file_ref(str(ctx.path["ident"]))
    if ref is None:
        return refuse(ctx, 404, "Det finns inget sådant protokoll.")
    with read_scope() as session:
        doc = session.get(Document, ref[0])
        meeting = session.get(Meeting, doc.meeting_id) if doc is not None and doc.meeting_id else None
        if (
            doc is None
            or meeting is None
            or doc.kind != "protokoll"
            or not visible_on(meeting.anslag_posted_on, today())
        ):
            return refuse(ctx, 404, "Det finns inget sådant protokoll.")
        return document_file(ctx, doc, ref[1])


# --- Tidsfrister, IOP, organ -----------------------------------------------------------------


@page()
def deadlines(ctx: Ctx) -> Response:
    """All open deadlines, nearest first (`arende deadlines`); `?ics=1` as a calendar file
    (`--ics`), and the legal calendar's last day of a period (`arende calendar`)."""
    from arende.services.queries import open_deadlines
    from db.session import read_scope

    organ = ctx.query.get("organ", "").strip().upper()[:10] or None
    within_raw = ctx.query.get("inom", "")
    within = int(within_raw) if within_raw.isdigit() and int(within_raw) <= 36_600 else None
    with read_scope() as session:
        if ctx.query.get("ics") == "1":
            from arende.services.ics import deadlines_calendar

            officer = ctx.query.get("handlaggare") or None
            data = deadlines_calendar(session, organ=organ, officer=officer)
            return Response(
                data,
                media_type="text/calendar",
                headers={"content-disposition": 'attachment; filename="frister.ics"', "cache-control": "no-store"},
            )
        rows = open_deadlines(session, within_days=within, organ=organ)
    calc = _period(ctx)
    return render(
        ctx,
        "deadlines.html",
        rows=[r.as_json() | {"url": errand_url(r.dnr)} for r in rows[:500]],
        more=max(0, len(rows) - 500),
        organ=organ or "",
        inom=within_raw,
        organs=choices()["organ"],
        calc=calc,
    )


_UNITS = {"dagar": ("days", 36_600), "veckor": ("weeks", 5_300), "manader": ("months", 1_200), "ar": ("years", 100)}


def _period(ctx: Ctx) -> dict[str, Any]:
    """The calculator: from a day, a number of days, weeks, months or years, by Lag
    (1930:173); its mistakes beside its fields."""
    from arende.rules.legalcalendar import deadline

    start, count, unit = ctx.query.get("fran", ""), ctx.query.get("antal", ""), ctx.query.get("enhet", "veckor")
    out: dict[str, Any] = {"fran": start, "antal": count, "enhet": unit, "errors": {}, "result": None}
    if not start and not count:
        return out
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        out["errors"]["fran"] = "är inte ett datum (ÅÅÅÅ-MM-DD)"
    name, limit = _UNITS.get(unit, ("weeks", 5_300))
    try:
        number = int(count)
        if abs(number) > limit:
            out["errors"]["antal"] = f"får vara högst {limit}"
    except ValueError:
        out["errors"]["antal"] = "är inte ett heltal"
    if not out["errors"]:
        try:
            out["result"] = deadline(day, **{name: number})
        except (ValueError, OverflowError):
            out["errors"]["antal"] = "hamnar utanför kalendern"
    return out


@page()
def agreements(ctx: Ctx) -> Response:
    """The IOP agreements: period, the last day for notice, this year's amount (`arende iop list`)."""
    from arende.services import iop_calendar
    from db.session import read_scope

    with read_scope() as session:
        rows = iop_calendar.list_agreements(session)
    return render(ctx, "agreements.html", rows=[r.__dict__ | {"url": errand_url(r.dnr)} for r in rows])
