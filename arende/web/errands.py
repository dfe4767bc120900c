"""The errand's pages: Ärende (its status, steps, handlingar, audit log and the next
commands as forms), its files and extract, and Registrera."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from arende.errors import ArendeError
from arende.rules.access import may, sees_secrets
from arende.rules.workflow import STATUS_SV, STEP_LABELS_SV, Step
from arende.web.app import Ctx, page, problem_sv, refuse, render, see_other
from arende.web.common import (
    COMMANDS,
    DIRECTION_SV,
    ERRAND_COMMANDS,
    HIDDEN,
    MEETING_STATUS_SV,
    action_sv,
    apply_posted,
    command_form,
    dnr_from_path,
    document_file,
    download,
    errand_url,
    file_ref,
    meeting_url,
    verb_of,
)
from arende.web.forms import data_from, validate_all, values_from

# --- Ärende -------------------------------------------------------------------------------

# The facts that move an errand on from where it stands, in the order a person gives them.
_NEXT: dict[str, tuple[str, ...]] = {
    "registered": ("assign",),
    "assigned": ("draft", "assign"),
    "drafted": ("fsg", "decide", "draft", "assign"),
    "fsg_done": ("decide", "draft"),
    "decided": ("justera",),
    "justerad": ("anslag",),
}
_BY_TYPE: dict[str, tuple[str, ...]] = {
    "iop-agreement": ("iop-terms", "iop-evaluate", "iop-notice"),
    "annual-report": ("annual-report-figures",),
    "donation-payout": ("donation-import", "donation-allocate", "donation-adjust", "donation-erase"),
}


def _actions(errand: Any, decided_meeting: tuple[str, dt.date] | None) -> list[str]:
    actions = list(_NEXT.get(errand.status, ()))
    before_decision = errand.status in ("registered", "assigned", "drafted", "fsg_done")
    for slug in _BY_TYPE.get(errand.errand_type, ()):
        if slug == "iop-notice" and errand.status != "closed":
            continue  # an agreement is given notice once it is in force
        if slug == "donation-erase" and errand.status != "closed":
            continue
        if slug in ("iop-terms", "annual-report-figures", "donation-import", "donation-allocate", "donation-adjust"):
            if not before_decision:
                continue
        actions.append(slug)
    if decided_meeting is None:
        actions = [a for a in actions if a not in ("justera", "anslag")]
    return actions


def _fixed_for(slug: str, dnr: str, decided_meeting: tuple[str, dt.date] | None) -> dict[str, str]:
    model = COMMANDS[slug]
    if "meeting" in model.model_fields and "organ" in model.model_fields and decided_meeting:
        return {"organ": decided_meeting[0], "meeting": decided_meeting[1].isoformat()}
    return {"dnr": dnr}


def _errand_page(ctx: Ctx, failed: dict[str, Any] | None = None, status: int = 200) -> Response:
    from arende.services.common import get_errand
    from arende.services.queries import errand_view
    from db.session import read_scope

    assert ctx.account is not None
    dnr = dnr_from_path(ctx)
    with read_scope() as session:
        errand = get_errand(session, dnr)
        own = errand.officer_user_id == ctx.account.id
        secret_ok = sees_secrets(ctx.account.role, own_errand=own)
        view = errand_view(session, errand.dnr, show_secret=secret_ok, errand=errand)
        decided_meeting = view.decided_at[:2] if view.decided_at else None
        meeting_status = MEETING_STATUS_SV.get(view.decided_at[2], view.decided_at[2]) if view.decided_at else None
        slugs = [s for s in _actions(errand, decided_meeting) if may(ctx.account.role, verb_of(COMMANDS[s]))]
        refused = (failed or {}).get("key")
        if refused in COMMANDS and refused not in slugs and refused != "document-add":
            # A refused form that is not among the next steps is shown all the same, open,
            # with its mistakes: a refusal never comes back without its message.
            slugs.insert(0, refused)
        base = errand_url(dnr)
        forms = [
            command_form(
                COMMANDS[s],
                f"{base}/{s}",
                fixed=_fixed_for(s, errand.dnr, decided_meeting),
                failed=failed,
                key=s,
                submit=COMMANDS[s].title_sv,
            )
            for s in slugs
        ]
        upload = None
        if ctx.may("document add"):
            upload = command_form(
                COMMANDS["document-add"],
                f"{base}/document-add",
                fixed={"dnr": errand.dnr},
                failed=failed,
                key="document-add",
                submit="Registrera handlingen",
            )
        documents = []
        for d in view.documents:
            hidden = d["secrecy"] is not None and not secret_ok
            documents.append(
                d
                | {
                    "description": HIDDEN if hidden else d["description"],
                    "counterpart": HIDDEN if hidden else d["counterpart"],
                    "direction": DIRECTION_SV.get(d["direction"], d["direction"]),
                    "url": None if hidden or not d["file"] else f"{base}/handling/{d['number']}",
                    "pdf": None if hidden or not d["archived"] else f"{base}/handling/{d['number']}.pdf",
                }
            )
        audit_rows = [a | {"action": action_sv(a["action"])} for a in view.audit]
        steps = [
            {
                "label": STEP_LABELS_SV.get(Step(s.step), s.step) if s.step in Step._value2member_map_ else s.step,
                "state": s.state,
                "done_on": s.done_on,
                "note": s.note,
            }
            for s in view.steps
        ]
        donation = None
        if view.errand_type == "donation-payout" and secret_ok:
            donation = _donation_view(session, errand)
        return render(
            ctx,
            "errand.html",
            donation=donation,
            can_run=ctx.may("document add") or ctx.may("assign"),
            status=status,
            view=view,
            status_sv=STATUS_SV.get(view.status, view.status),
            steps=steps,
            audit=audit_rows,
            documents=documents,
            forms=forms,
            upload=upload,
            decided_meeting=(
                {"url": meeting_url(*decided_meeting), "held_on": decided_meeting[1], "status": meeting_status}
                if decided_meeting
                else None
            ),
            can_extract=view.decided_at is not None,
            base=base,
            done=ctx.query.get("klart"),
            already=ctx.query.get("handling", "")[:6] if ctx.query.get("handling", "").isdigit() else None,
        )


@page()
def errand(ctx: Ctx) -> Response:
    return _errand_page(ctx)


def _donation_view(session: Any, errand: Any) -> dict[str, Any] | None:
    """The round's proposal per application (no names: application, purpose, amounts,
    the rule), and whether its payout file exists."""
    from arende.services.donations import proposal, round_of

    try:
        rnd = round_of(session, errand)
    except ArendeError:
        return None
    rows = proposal(session, errand.dnr)
    granted = [r for r in rows if r.amount]
    return {
        "rows": rows[:500],
        "more": max(0, len(rows) - 500),
        "applications": len(rows),
        "granted": len(granted),
        "total": sum(r.amount for r in granted),
        "payout": bool(rnd.payout_path),
    }


@page()
def errand_run(ctx: Ctx) -> Response:
    """Run the errand's pending steps again (`arende errand run`): after an interruption,
    or once what stopped a step is fixed; steps done are not done again."""
    from arende.recording import record
    from arende.services.common import get_errand

    if not (ctx.may("document add") or ctx.may("assign")):
        return refuse(ctx, 403, "Din roll får inte göra detta.")
    dnr = dnr_from_path(ctx)
    try:
        record(lambda session: [get_errand(session, dnr).id], "errand run")
    except ArendeError as exc:
        return refuse(ctx, 409, problem_sv(exc))
    return see_other(f"{errand_url(dnr)}?klart=korning")


@page()
def donation_payout(ctx: Ctx) -> Response:
    """The payout file (account numbers): for those who see applicants' data; audited."""
    from arende.services.common import audit, get_errand
    from arende.services.donations import round_of
    from db.session import session_scope

    assert ctx.account is not None
    dnr = dnr_from_path(ctx)
    with session_scope() as session:
        errand = get_errand(session, dnr)
        if not sees_secrets(ctx.account.role, own_errand=errand.officer_user_id == ctx.account.id):
            return refuse(ctx, 403, "Utbetalningsfilen innehåller personuppgifter som din roll inte får läsa.")
        rnd = round_of(session, errand)
        if not rnd.payout_path or not Path(rnd.payout_path).is_file():
            return refuse(
                ctx, 404, "Utbetalningsfilen finns inte: beslutet är inte expedierat, eller uppgifterna är gallrade."
            )
        audit(session, "payout.read", errand_id=errand.id, after={"sha256": rnd.payout_sha256})
        path = rnd.payout_path
    return download(path, Path(path).name)


@page()
def errand_command(ctx: Ctx) -> Response:
    from arende.services.common import decision_of, get_errand
    from db.session import read_scope

    slug = ctx.path["verb"]
    model = ERRAND_COMMANDS.get(slug) or (COMMANDS.get(slug) if slug in ("justera", "anslag") else None)
    if model is None:
        return refuse(ctx, 404, "Det finns ingen sådan åtgärd.")
    if not ctx.may(verb_of(model)):
        return refuse(ctx, 403, "Din roll får inte göra detta.")
    dnr = dnr_from_path(ctx)
    with read_scope() as session:
        errand = get_errand(session, dnr)
        decision = decision_of(session, errand.id)
        decided = (errand.organ.code, decision.meeting.held_on) if decision else None
        dnr = errand.dnr
    if slug in ("justera", "anslag") and decided is None:
        return refuse(ctx, 409, "Ärendet har inget beslut än.")
    applied, failed = apply_posted(ctx, model, _fixed_for(slug, dnr, decided))
    if failed:
        return _errand_page(ctx, failed, status=422)
    if applied.already is not None:  # the same file again: say which handling holds it
        return see_other(f"{errand_url(dnr)}?klart=finns&handling={applied.already.number}")
    return see_other(f"{errand_url(dnr)}?klart={slug}")


@page()
def errand_document(ctx: Ctx) -> Response:
    from arende.services.common import audit, get_errand
    from db.models import Document
    from db.session import session_scope

    assert ctx.account is not None
    dnr = dnr_from_path(ctx)
    ref = file_ref(str(ctx.path["number"]))
    if ref is None:
        return refuse(ctx, 404, "Det finns ingen sådan handling.")
    number, pdf = ref
    with session_scope() as session:
        errand = get_errand(session, dnr)
        doc = session.scalar(select(Document).where(Document.errand_id == errand.id, Document.number == number))
        if doc is None:
            return refuse(ctx, 404, "Det finns ingen sådan handling.")
        if doc.secrecy_provision is not None:
            if not sees_secrets(ctx.account.role, own_errand=errand.officer_user_id == ctx.account.id):
                return refuse(ctx, 403, "Handlingen omfattas av sekretess och din roll får inte läsa den.")
            # Who read a secret handling is itself on record.
            audit(session, "document.read", errand_id=errand.id, after={"number": doc.number})
        return document_file(ctx, doc, pdf)


@page(need="extract")
def errand_extract(ctx: Ctx) -> Response:
    """Make (or find) the protocol extract of the errand's § as it stands now, then open it."""
    from arende.services.common import get_errand
    from arende.services.documents import protocol_extract
    from db.session import session_scope

    assert ctx.account is not None
    dnr = dnr_from_path(ctx)
    try:
        with session_scope() as session:
            errand = get_errand(session, dnr)
            # Whoever makes the extract on the page certifies it (Utdragsbestyrkande).
            doc, _ = protocol_extract(session, errand, who=ctx.account.username, certifier=ctx.account.username)
            number = doc.number
    except ArendeError as exc:
        return refuse(ctx, 409, problem_sv(exc))
    return see_other(f"{errand_url(dnr)}/handling/{number}")


# --- Registrera ---------------------------------------------------------------------------


def _start_types() -> dict[str, Any]:
    from arende.services.catalogue import TYPES

    return {name: t for name, t in TYPES.items() if t.start_model is not None and t.register is not None}


@page(need="start")
def register_index(ctx: Ctx) -> Response:
    types = [
        {
            "name": name,
            "label": t.label_sv,
            "doc": (t.start_model.__doc__ or "").strip().split("\n")[0],
            "url": f"/registrera/{name}",
        }
        for name, t in _start_types().items()
    ]
    return render(ctx, "register_index.html", types=types)


def _register_page(ctx: Ctx, failed: dict[str, Any] | None = None, status: int = 200) -> Response:
    kind = _start_types().get(ctx.path["type"])
    if kind is None:
        return refuse(ctx, 404, "Det finns ingen sådan ärendetyp.")
    form = command_form(
        kind.start_model, f"/registrera/{kind.name}", failed=failed, key=kind.name, submit="Registrera ärendet"
    )
    form["title"] = "Uppgifter om ärendet"
    return render(ctx, "register_form.html", status=status, label=kind.label_sv, form=form)


@page(need="start")
def register_form(ctx: Ctx) -> Response:
    return _register_page(ctx)


@page(need="start")
def register_post(ctx: Ctx) -> Response:
    from arende.commands.handlers import register

    kind = _start_types().get(ctx.path["type"])
    if kind is None:
        return refuse(ctx, 404, "Det finns ingen sådan ärendetyp.")
    assert ctx.form is not None
    model = kind.start_model
    values = values_from(ctx.form)
    start, errors = validate_all(model, data_from(model, ctx.form))
    if not errors:
        try:
            dnr, _ = register(start, kind.register)
        except ArendeError as exc:
            errors = {exc.field if exc.field in model.model_fields else "__all__": problem_sv(exc)}
    if errors:
        return _register_page(ctx, {"key": kind.name, "values": values, "errors": errors}, status=422)
    return see_other(f"{errand_url(dnr)}?klart=registrerat")
