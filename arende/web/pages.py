"""The pages of the registry and the errand: login, Mina ärenden, Diarium, Ärende,
Registrera, Tidsfrister, IOP and the public Anslagstavla."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, func, or_, select
from starlette.responses import Response

from arende.errors import ArendeError
from arende.rules.access import may, sees_secrets
from arende.rules.dnr import external_ref_key
from arende.rules.workflow import STATUS_SV, STEP_LABELS_SV, Step
from arende.web.app import Ctx, page, problem_sv, refuse, render, see_other
from arende.web.common import (
    COMMANDS,
    DIRECTION_SV,
    ERRAND_COMMANDS,
    HIDDEN,
    MEETING_STATUS_SV,
    MINE,
    PAGE_SIZE,
    action_sv,
    apply_posted,
    choices,
    command_form,
    dnr_from_path,
    document_file,
    download,
    errand_row,
    errand_url,
    file_ref,
    meeting_row,
    meeting_url,
    safe_next,
    verb_of,
)
from arende.web.forms import data_from, validate_all, values_from

# --- login ------------------------------------------------------------------------------


@page(public=True)
def login_page(ctx: Ctx) -> Response:
    if ctx.account is not None:
        return see_other(safe_next(ctx.query.get("next")))
    from arende.web import oidc

    return render(
        ctx, "login.html", next=safe_next(ctx.query.get("next")), username="", error=None, oidc=oidc.enabled()
    )


def _login(username: str, password: str, address: str) -> str:
    """A new session's token; a refused login is recorded (for the rate limit) all the same."""
    from arende.services.accounts import authenticate, open_session
    from db.session import session_scope

    refused = None
    with session_scope() as session:  # committed either way: the failure counts
        try:
            token = open_session(session, authenticate(session, username, password, address))
        except ArendeError as exc:
            refused = exc
    if refused is not None:
        raise refused
    return token


@page(public=True)
def login_post(ctx: Ctx) -> Response:
    from arende.services.accounts import RateLimited

    assert ctx.form is not None
    username = str(ctx.form.get("username", ""))[:60]
    password = str(ctx.form.get("password", ""))[:1000]
    target = safe_next(str(ctx.form.get("next", "")))
    address = ctx.request.client.host if ctx.request.client else "-"
    try:
        token = _login(username, password, address)
    except ArendeError as refused:
        status = 429 if isinstance(refused, RateLimited) else 401
        from arende.web import oidc

        return render(
            ctx,
            "login.html",
            status=status,
            next=target,
            username=username,
            error=problem_sv(refused),
            oidc=oidc.enabled(),
        )
    from arende.settings import get_settings

    ctx.cookies_to_set.append(("arende_session", token, get_settings().web_session_hours * 3600))
    return see_other(target)


def _redirect_uri(ctx: Ctx) -> str:
    return str(ctx.request.base_url).rstrip("/") + "/login/oidc/callback"


@page(public=True)
def oidc_start(ctx: Ctx) -> Response:
    """Off to the municipality's login; back at oidc_callback."""
    from arende.web import oidc

    if not oidc.enabled():
        return refuse(ctx, 404, "Inloggning med kommunens konto är inte inställd.")
    try:
        address, flow = oidc.start(_redirect_uri(ctx), safe_next(ctx.query.get("next")))
    except ArendeError as exc:
        return refuse(ctx, 502, problem_sv(exc))
    ctx.cookies_to_set.append((oidc.COOKIE, flow, oidc.COOKIE_SECONDS))
    return see_other(address)


@page(public=True)
def oidc_callback(ctx: Ctx) -> Response:
    """The provider's answer: a session for the local account it names, or why not."""
    from arende.services.accounts import account_named, open_session
    from arende.settings import get_settings
    from arende.web import oidc
    from db.session import session_scope

    if not oidc.enabled():
        return refuse(ctx, 404, "Inloggning med kommunens konto är inte inställd.")
    ctx.cookies_to_set.append((oidc.COOKIE, "", None))  # used once, whatever comes of it
    if ctx.query.get("error"):
        return refuse(ctx, 401, "Inloggningstjänsten loggade inte in dig.")
    try:
        username, target = oidc.finish(
            ctx.request.cookies.get(oidc.COOKIE, ""),
            ctx.query.get("state", ""),
            ctx.query.get("code", ""),
            _redirect_uri(ctx),
        )
        with session_scope() as session:
            token = open_session(session, account_named(session, username))
    except ArendeError as exc:
        return refuse(ctx, 403, problem_sv(exc))
    ctx.cookies_to_set.append(("arende_session", token, get_settings().web_session_hours * 3600))
    return see_other(safe_next(target))


@page()
def logout(ctx: Ctx) -> Response:
    from arende.services.accounts import close_session
    from db.session import session_scope

    with session_scope() as session:
        close_session(session, ctx.request.cookies.get("arende_session", ""))
    ctx.cookies_to_set.append(("arende_session", "", None))
    return see_other("/login")


# --- Mina ärenden -------------------------------------------------------------------------


@page()
def home(ctx: Ctx) -> Response:
    from arende.services.common import today
    from db.models import Deadline, Errand, Meeting
    from db.session import read_scope

    assert ctx.account is not None
    now = today()
    with read_scope() as session:
        # The oldest open errands first (they wait longest); all of them are one click
        # away in the diarium.
        open_mine = select(Errand).where(Errand.officer_user_id == ctx.account.id, Errand.status != "closed")
        mine = session.scalars(open_mine.order_by(Errand.year, Errand.seq).limit(MINE)).all()
        mine_total = _count(session, open_mine)
        deadlines = session.execute(
            select(Deadline, Errand)
            .join(Errand, Errand.id == Deadline.errand_id)
            .where(Deadline.status == "open", Errand.officer_user_id == ctx.account.id)
            .order_by(Deadline.due_on)
            .limit(MINE)
        ).all()
        unassigned: Any = []
        if ctx.may("assign"):
            unassigned = session.scalars(
                select(Errand).where(Errand.status == "registered").order_by(Errand.year, Errand.seq).limit(50)
            ).all()
        meetings = session.scalars(
            select(Meeting)
            .where(Meeting.held_on >= now, Meeting.status != "cancelled")
            .order_by(Meeting.held_on)
            .limit(8)
        ).all()
        return render(
            ctx,
            "home.html",
            today=now,
            mine=[errand_row(e) for e in mine],
            mine_total=mine_total,
            mine_url="/diarium?" + urlencode({"handlaggare": ctx.account.username, "oppna": "1"}),
            deadlines=[
                {
                    "dnr": e.dnr,
                    "url": errand_url(e.dnr),
                    "title": e.title,
                    "description": d.description,
                    "due_on": d.due_on,
                    "days_left": (d.due_on - now).days,
                }
                for d, e in deadlines
            ],
            unassigned=[errand_row(e) for e in unassigned],
            meetings=[meeting_row(m) for m in meetings],
        )


# --- Diarium ------------------------------------------------------------------------------


def _contains(word: str) -> str:
    """A LIKE pattern for the word as typed: % and _ are characters a person searches for
    ("100%", "dnr_2021"), not wildcards."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_DNR_QUERY = re.compile(r"^(?:([A-Za-zÅÄÖåäö]{1,10})\s+)?(\d{4})-(\d{1,5})$")


def _secret_filter(ctx: Ctx) -> Any:
    """Which secret handlings this person may find: all, their own errands', or none."""
    from db.models import Document, Errand

    assert ctx.account is not None
    role = ctx.account.role
    if sees_secrets(role, own_errand=False):
        return True
    if sees_secrets(role, own_errand=True):
        return or_(Document.secrecy_provision.is_(None), Errand.officer_user_id == ctx.account.id)
    return Document.secrecy_provision.is_(None)


# Counted exactly up to here; beyond, "över 1000 träffar": a search that wide is refined,
# not paged through, and counting every match of a common word costs more than the page.
COUNT_CAP = 1000


def _count(session: Any, stmt: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.limit(COUNT_CAP + 1).subquery())) or 0)


def _paged(session: Any, stmt: Any, order: tuple[Any, ...], number: int) -> tuple[int, list[Any]]:
    """(the matches counted up to the cap, page `number` of them in `order`)."""
    found = session.execute(stmt.order_by(*order).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    return _count(session, stmt), list(found)


@page()
def diarium(ctx: Ctx) -> Response:
    from arende.services.catalogue import TYPES
    from db.models import Document, Errand, User
    from db.session import read_scope

    q = ctx.query.get("q", "").strip()[:200]
    organ = ctx.query.get("organ", "").strip().upper()[:10]
    status = ctx.query.get("status", "")
    kind = ctx.query.get("typ", "")
    what = "handlingar" if ctx.query.get("i") == "handlingar" else "arenden"
    officer = ctx.query.get("handlaggare", "").strip()[:200]
    only_open = ctx.query.get("oppna") == "1"
    errors: dict[str, str] = {}
    start = end = None
    for name in ("fran", "till"):
        value = ctx.query.get(name, "")
        if value:
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                errors[name] = "är inte ett datum (ÅÅÅÅ-MM-DD)"
                continue
            start, end = (day, end) if name == "fran" else (start, day)
    try:
        number = max(1, min(10_000, int(ctx.query.get("sida", "1"))))
    except ValueError:
        number = 1
    words = [w for w in q.split() if w][:8]
    with read_scope() as session:
        organs = [(code, label) for code, label in choices()["organ"]]
        rows: list[dict[str, Any]] = []
        total = 0
        if not errors:
            if what == "arenden":
                stmt = select(Errand)
                match = _DNR_QUERY.match(q)
                if match:
                    prefix, year, seq = match.groups()
                    ours = and_(Errand.year == int(year), Errand.seq == int(seq))
                    if prefix:
                        ours = and_(ours, Errand.prefix == prefix.upper())
                    # Our Dnr, or the sender's ("KS 2021-00907" finds the reply to that remiss).
                    stmt = stmt.where(or_(ours, Errand.external_ref_key == external_ref_key(q)))
                else:
                    for word in words:
                        like = _contains(word)
                        stmt = stmt.where(
                            or_(
                                Errand.title.ilike(like, escape="\\"),
                                Errand.counterpart.ilike(like, escape="\\"),
                                Errand.external_ref.ilike(like, escape="\\"),
                            )
                        )
                if organ:
                    stmt = stmt.where(Errand.prefix == organ)
                if status:
                    stmt = stmt.where(Errand.status == status)
                if officer:
                    # A user name is the account itself; otherwise the name as printed.
                    account = session.scalar(select(User.id).where(User.username == officer.lower()))
                    stmt = stmt.where(
                        Errand.officer_user_id == account if account is not None else Errand.officer == officer
                    )
                if only_open:
                    stmt = stmt.where(Errand.status != "closed")
                if kind:
                    stmt = stmt.where(Errand.errand_type == kind)
                if start:
                    stmt = stmt.where(Errand.registered_on >= start)
                if end:
                    stmt = stmt.where(Errand.registered_on <= end)
                total, found = _paged(session, stmt, (Errand.year.desc(), Errand.seq.desc()), number)
                rows = [errand_row(e) for (e,) in found]
            else:
                doc_stmt = (
                    select(Document, Errand).join(Errand, Errand.id == Document.errand_id).where(_secret_filter(ctx))
                )
                for word in words:
                    like = _contains(word)
                    doc_stmt = doc_stmt.where(
                        or_(
                            Document.description.ilike(like, escape="\\"), Document.counterpart.ilike(like, escape="\\")
                        )
                    )
                if organ:
                    doc_stmt = doc_stmt.where(Errand.prefix == organ)
                if start:
                    doc_stmt = doc_stmt.where(Document.registered_on >= start)
                if end:
                    doc_stmt = doc_stmt.where(Document.registered_on <= end)
                total, found_docs = _paged(
                    session, doc_stmt, (Document.registered_on.desc(), Document.id.desc()), number
                )
                rows = [
                    {
                        "dnr": e.dnr,
                        "url": errand_url(e.dnr),
                        "number": d.number,
                        "registered_on": d.registered_on,
                        "direction": DIRECTION_SV.get(d.direction, d.direction),
                        "counterpart": d.counterpart,
                        "description": d.description,
                        "secret": d.secrecy_provision,
                    }
                    for d, e in found_docs
                ]
        pages = max(1, (min(total, COUNT_CAP) + PAGE_SIZE - 1) // PAGE_SIZE)
        params = {k: v for k, v in ctx.query.items() if k != "sida"}
        return render(
            ctx,
            "diarium.html",
            status=422 if errors else 200,
            q=q,
            organ=organ,
            status_value=status,
            officer=officer,
            only_open=only_open,
            typ=kind,
            what=what,
            fran=ctx.query.get("fran", ""),
            till=ctx.query.get("till", ""),
            errors=errors,
            organs=organs,
            statuses=STATUS_SV,
            types=[(t.name, t.label_sv) for t in TYPES.values()],
            rows=rows,
            total=total,
            capped=total > COUNT_CAP,
            number=number,
            pages=pages,
            params=params,
        )


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
            doc, _ = protocol_extract(session, errand, who=ctx.account.username)
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
        return render(
            ctx,
            "board.html",
            today=now,
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
