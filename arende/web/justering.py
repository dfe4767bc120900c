"""Digital justering on the web page: a meeting's signing round (the secretary sends the
protocol; each signatory signs in turn with their password, or rejects it with a
comment), and the public page /verifiera, where anyone uploads a PDF to learn who signed
it and whether it is intact."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from arende.errors import ArendeError
from arende.web.app import Ctx, page, problem_sv, refuse, render, see_other
from arende.web.common import day_of, meeting_url

VERIFY_LIMIT = 50 * 1024 * 1024


def _key(ctx: Ctx) -> tuple[str, Any]:
    return str(ctx.path["organ"]).upper(), day_of(str(ctx.path["date"]), "date")


def _page(ctx: Ctx, *, error: str = "", status: int = 200) -> Response:
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.sign_round import ROLE_SV, open_round, signatories_of
    from arende.services.meeting.sign_view import find_latest, latest_signed, round_lines
    from db.models import User
    from db.session import read_scope

    organ, held_on = _key(ctx)
    with read_scope() as session:
        meeting = find_meeting(session, organ, held_on)
        round_ = open_round(session, meeting)
        me = session.get(User, ctx.account.id) if ctx.account else None
        waiting = []
        mine_next = False
        if round_ is not None:
            people = signatories_of(session, round_)
            waiting = [p for p in people if p.signed_at is None]
            mine_next = bool(waiting) and me is not None and waiting[0].person_id == me.person_id
            my_turn_later = me is not None and any(p.person_id == me.person_id for p in waiting)
        else:
            my_turn_later = False
        values = {
            "title": f"{meeting.organ.name} {held_on.isoformat()}",
            "base": meeting_url(organ, held_on),
            "lines": round_lines(session, meeting),
            "is_open": round_ is not None,
            "has_round": find_latest(session, meeting) is not None,
            "signed": latest_signed(session, meeting) is not None,
            "can_start": ctx.may("justera") and round_ is None and meeting.justerad_on is None,
            "can_sign": mine_next,
            "can_reject": my_turn_later,
            "next_role": ROLE_SV[waiting[0].role].lower() if waiting else "",
            "error": error,
        }
    return render(ctx, "justering.html", status=status, **values)


@page()
def justering(ctx: Ctx) -> Response:
    return _page(ctx)


@page()
def justering_action(ctx: Ctx) -> Response:
    """start (the secretary), sign (the signatory in turn, with their password), reject."""
    from arende.recording import record
    from arende.services.common import today
    from arende.services.meeting import sign_round
    from db.session import session_scope

    assert ctx.account is not None and ctx.form is not None
    organ, held_on = _key(ctx)
    action = str(ctx.path["action"])
    username = ctx.account.username
    try:
        if action == "start":
            if not ctx.may("justera"):
                return refuse(ctx, 403, "Din roll får inte skicka protokoll för justering.")
            with session_scope() as session:
                sign_round.start_round(session, organ, held_on, on=today(), who=username)
        elif action == "sign":
            password = ctx.form.get("password")
            signer = sign_round.signer_of(username, password if isinstance(password, str) else "")
            record(
                lambda s: sign_round.sign_next(s, organ, held_on, username=username, signer=signer),
                f"justering {organ} {held_on}",
            )
        elif action == "reject":
            comment = ctx.form.get("comment")
            with session_scope() as session:
                sign_round.reject(
                    session, organ, held_on, username=username, comment=comment if isinstance(comment, str) else ""
                )
        else:
            return refuse(ctx, 404, "Sidan finns inte.")
    except ArendeError as exc:
        return _page(ctx, error=problem_sv(exc), status=409 if exc.field not in ("password", "comment") else 400)
    return see_other(f"{meeting_url(organ, held_on)}/justering")


@page()
def justering_pdf(ctx: Ctx) -> Response:
    """The protocol's PDF/A as it stands in its latest round: with the signatures so far."""
    from starlette.responses import Response as Raw

    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.sign_round import current_pdf
    from arende.services.meeting.sign_view import latest_round
    from db.session import read_scope

    organ, held_on = _key(ctx)
    with read_scope() as session:
        data = current_pdf(latest_round(session, find_meeting(session, organ, held_on)))
    name = f"{organ}_{held_on.isoformat()}_protokoll.pdf"
    return Raw(data, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@page(public=True)
def verify_page(ctx: Ctx) -> Response:
    return render(ctx, "verifiera.html", finding=None, error="")


@page(public=True)
def verify_upload(ctx: Ctx) -> Response:
    """Anyone's check of a signed PDF: nothing uploaded is kept."""
    from arende.services.verification import find

    assert ctx.form is not None
    upload = ctx.form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return render(ctx, "verifiera.html", status=400, finding=None, error="Välj en PDF-fil att kontrollera.")
    upload.file.seek(0)
    data = upload.file.read(VERIFY_LIMIT + 1)
    if len(data) > VERIFY_LIMIT:
        return render(ctx, "verifiera.html", status=413, finding=None, error="Filen är större än 50 MB.")
    try:
        finding = find(data)
    except ArendeError as exc:
        return render(ctx, "verifiera.html", status=400, finding=None, error=_file_problem_sv(exc))
    return render(ctx, "verifiera.html", finding=finding, error="", file_name=upload.filename[:200])


def _file_problem_sv(exc: ArendeError) -> str:
    problem = exc.problem
    if "not a PDF" in problem:
        return "Filen är ingen PDF."
    if "carries no signature" in problem:
        return "Filen har inga elektroniska underskrifter: den är inget digitalt justerat protokoll."
    if "cannot be read" in problem:
        return "Filen kan inte läsas som PDF: den är avkortad eller skadad."
    return problem_sv(exc)
