"""The organs' pages: the year's meetings with what is given per organ (plan, members,
anmälningsärenden, delegation), and an organ's members, delegationsbeslut and its
meeting plan read from a file."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import Response

from arende.errors import ArendeError
from arende.web.app import Ctx, page, problem_sv, refuse, render, see_other
from arende.web.common import (
    ORGAN_COMMANDS,
    apply_posted,
    command_form,
    meeting_row,
    verb_of,
)

# --- Sammanträden ---------------------------------------------------------------------------


@page()
def meetings(ctx: Ctx) -> Response:
    return _meetings_page(ctx)


def _meetings_page(ctx: Ctx, failed: dict[str, Any] | None = None, status: int = 200) -> Response:
    from arende.services.common import today
    from db.models import Meeting, Organ
    from db.session import read_scope

    try:
        year = int(ctx.query.get("ar", "") or today().year)
    except ValueError:
        year = today().year
    year = max(1900, min(2199, year))
    with read_scope() as session:
        rows = session.scalars(
            select(Meeting)
            .where(Meeting.held_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            .order_by(Meeting.held_on, Meeting.organ_id)
        ).all()
        organs = session.scalars(select(Organ).order_by(Organ.code)).all()
        forms = [
            command_form(model, f"/sammantraden/{slug}", failed=failed, key=slug, submit=model.title_sv)
            for slug, model in ORGAN_COMMANDS.items()
            if ctx.may(verb_of(model))
        ]
        return render(
            ctx,
            "meetings.html",
            status=status,
            year=year,
            meetings=[meeting_row(m) for m in rows],
            organs=[(o.code, o.name) for o in organs],
            forms=forms,
        )


@page()
def organ_command(ctx: Ctx) -> Response:
    slug = ctx.path["verb"]
    model = ORGAN_COMMANDS.get(slug)
    if model is None:
        return refuse(ctx, 404, "Det finns ingen sådan åtgärd.")
    if not ctx.may(verb_of(model)):
        return refuse(ctx, 403, "Din roll får inte göra detta.")
    _, failed = apply_posted(ctx, model, {})
    if failed:
        return _meetings_page(ctx, failed, status=422)
    return see_other(f"/sammantraden?klart={slug}")


# What a secretary does with a meeting, in the order of its life.


@page()
def organ_page(ctx: Ctx) -> Response:
    """An organ's members today and its delegationsbeslut (`member list`, `delegation list`)."""
    from arende.rules.workflow import ROLE_SV, Role
    from arende.services.common import get_organ, today
    from arende.services.meeting.members import seats_on
    from db.models import DelegatedDecision, Meeting
    from db.session import read_scope

    with read_scope() as session:
        organ = get_organ(session, str(ctx.path["organ"]))
        seats = [
            {"role": ROLE_SV[Role(s.role)].capitalize(), "name": s.person.name, "party": s.person.party or "–"}
            for s in seats_on(session, organ, today())
        ]
        decisions = [
            {
                "decided_on": d.decided_on,
                "point": d.point.code,
                "delegate": d.delegate,
                "summary": d.summary,
                "reported": m.held_on if m else None,
                "appeal_ends_on": m.appeal_ends_on if m else None,
            }
            for d, m in session.execute(
                select(DelegatedDecision, Meeting)
                .outerjoin(Meeting, Meeting.id == DelegatedDecision.meeting_id)
                .where(DelegatedDecision.organ_id == organ.id)
                .order_by(DelegatedDecision.decided_on.desc(), DelegatedDecision.id.desc())
                .limit(200)
            )
        ]
        return render(
            ctx,
            "organ.html",
            organ={"code": organ.code, "name": organ.name},
            seats=seats,
            decisions=decisions,
            today=today(),
            can_load=ctx.may("meeting plan"),
            error=ctx.query.get("fel"),
        )


@page(need="meeting plan")
def organ_plan_upload(ctx: Ctx) -> Response:
    """A year's sammanträdesplan from a TOML file (`arende meeting load`)."""
    import tomllib

    from arende.services.meeting.plan import load_plan
    from db.session import session_scope

    assert ctx.form is not None
    organ = str(ctx.path["organ"]).upper()
    upload = ctx.form.get("file")
    message = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        message = "välj sammanträdesplanens fil (TOML)"
    else:
        try:
            data = tomllib.loads(upload.file.read(1024 * 1024).decode("utf-8"))
            with session_scope() as session:
                load_plan(session, organ, data)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            message = f"filen är inte en TOML-fil i UTF-8: {' '.join(str(exc).split())[:120]}"
        except ArendeError as exc:
            message = f"{exc.field}: {problem_sv(exc)}"
    if message:
        return see_other(f"/organ/{organ}?" + urlencode({"fel": message}))
    return see_other("/sammantraden?klart=plan")
