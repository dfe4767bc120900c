"""Administration: delivery to the e-archive (an organ's closed errands of a year as an
E-ARK SIP) and gallring by each organ's informationshanteringsplan (what is due, the
run, the log). The deliveries go to ARENDE_EARCHIVE_DIR (var/earkiv), the plans are
<ORGAN>.toml in ARENDE_DISPOSAL_PLANS_DIR (var/ihp)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.responses import Response

from arende.errors import ArendeError, InvalidInput
from arende.web.app import Ctx, page, problem_sv, render


def _dirs() -> tuple[Path, Path]:
    from arende.settings import get_settings

    settings = get_settings()
    return (
        settings.earchive_dir or settings.var_dir / "earkiv",
        settings.disposal_plans_dir or settings.var_dir / "ihp",
    )


def _plan(organ: str) -> Any:
    from arende.rules.disposal import parse_plan

    path = _dirs()[1] / f"{organ}.toml"
    if not path.is_file():
        raise InvalidInput("plan", f"{organ} has no informationshanteringsplan ({path})", sv=f"{organ} har ingen "
                           f"informationshanteringsplan ({path.name} saknas i {path.parent})")  # fmt: skip
    return parse_plan(path.read_text("utf-8"), path.name)


def _page(ctx: Ctx, status: int = 200, **values: Any) -> Response:
    from sqlalchemy import select

    from arende.earchive import jobs
    from arende.earchive.disposal import due, log_rows
    from arende.services.common import today
    from db.models import Organ
    from db.session import read_scope

    organ = (ctx.query.get("organ") or str(values.get("organ") or "")).strip().upper()[:10]
    year_text = (ctx.query.get("leverans") or "").strip()
    if organ and year_text.isdigit() and 1900 <= int(year_text) <= 2100:
        values["delivery"] = jobs.status(_dirs()[0], organ, int(year_text))
    with read_scope() as session:
        organs = [
            (o.code, o.name) for o in session.scalars(select(Organ).where(Organ.kind == "nämnd").order_by(Organ.code))
        ]
        listing, plan_line, problem = [], "", ""
        if organ:
            try:
                plan = _plan(organ)
                plan_line = f"Plan {plan.version}, beslutad {plan.decision}"
                listing = due(session, plan, today())
            except ArendeError as exc:
                problem = problem_sv(exc)
        log = [
            {"at": r.at, "dnr": r.dnr, "document_number": r.document_number, "rule": r.rule,
             "plan_version": r.plan_version, "decision": r.decision, "who": r.who}
            for r in log_rows(session, organ or None)[-200:]
        ]  # fmt: skip
    return render(ctx, "earchive.html", status=status, organs=organs, organ=organ, due=listing, plan_line=plan_line,
                  plan_problem=problem, log=log, **{k: v for k, v in values.items() if k != "organ"})  # fmt: skip


@page(need="users")
def earchive(ctx: Ctx) -> Response:
    return _page(ctx)


@page(need="users")
def earchive_deliver(ctx: Ctx) -> Response:
    """Start the delivery beside the request and show its progress; the page reloads
    itself until the package is written, then says what went and what was left out."""
    from starlette.responses import RedirectResponse

    from arende.earchive import jobs

    assert ctx.form is not None
    organ = str(ctx.form.get("organ") or "").strip().upper()[:10]
    year_text = str(ctx.form.get("year") or "").strip()
    if not year_text.isdigit() or not 1900 <= int(year_text) <= 2100:
        return _page(ctx, 400, organ=organ, delivery_error="Ange året som fyra siffror, t.ex. 2022.")
    try:
        jobs.start(_dirs()[0], organ, int(year_text))
    except ArendeError as exc:
        return _page(ctx, 409, organ=organ, delivery_error=problem_sv(exc))
    return RedirectResponse(f"/admin/earkiv?organ={organ}&leverans={year_text}#delivery", status_code=303)


@page(need="users")
def earchive_dispose(ctx: Ctx) -> Response:
    from arende.earchive.disposal import delete_files, dispose
    from arende.services.common import today
    from db.session import session_scope

    assert ctx.form is not None and ctx.account is not None
    organ = str(ctx.form.get("organ") or "").strip().upper()[:10]
    try:
        plan = _plan(organ)
        with session_scope() as session:
            items, paths = dispose(session, plan, today(), ctx.account.username)
        delete_files(paths)  # after the commit, as on the command line
    except ArendeError as exc:
        return _page(ctx, 409, organ=organ, disposal_error=problem_sv(exc))
    return _page(ctx, organ=organ, disposed=len(items))
