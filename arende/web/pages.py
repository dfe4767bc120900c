"""The pages: Mina ärenden, Diarium, Ärende, Registrera, Sammanträden, Anslagstavla,
Administration. A form post is a command of the vocabulary (arende.commands), applied
by the same `apply` the command line uses; its mistakes come back beside the fields.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel
from sqlalchemy import func, or_, select
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, Response

from arende.access import ROLE_LABELS_SV, WebRole, may, sees_secrets
from arende.commands.fields import Command
from arende.commands.vocabulary import FACTS, DocumentAdd
from arende.errors import ArendeError, InvalidInput, NotFound
from arende.web.app import Ctx, page, problem_sv, refuse, render, see_other, upload_limit
from arende.web.forms import data_from, validate_all, values_from, widgets
from arende.workflow import STATUS_SV, STEP_LABELS_SV, Step

PAGE_SIZE = 25
MINE = PAGE_SIZE  # errands and deadlines on Mina ärenden
COMMANDS: dict[str, type[Command]] = {"-".join(m.verb): m for m in FACTS}
# Commands whose subject is one errand: the Dnr comes from the page.
ERRAND_COMMANDS = {
    slug: m for slug, m in COMMANDS.items() if "dnr" in m.model_fields and m.model_fields["dnr"].is_required()
}
# Commands whose subject is one meeting: the organ and date come from the page.
MEETING_COMMANDS = {
    slug: m
    for slug, m in COMMANDS.items()
    if "organ" in m.model_fields
    and ("date" in m.model_fields or "meeting" in m.model_fields)
    and slug != "meeting-plan"
}
# Commands of an organ, given on the meetings page.
ORGAN_COMMANDS = {
    slug: COMMANDS[slug]
    for slug in ("meeting-plan", "member-add", "anmalan-add", "delegation-point", "delegation-decision")
}
DIRECTION_SV = {"incoming": "Inkommen", "drawn_up": "Upprättad", "outgoing": "Utgående"}
MEETING_STATUS_SV = {
    "planned": "planerat",
    "kallad": "kallat",
    "held": "hållet",
    "justerad": "justerat",
    "anslagen": "anslaget",
    "cancelled": "inställt",
}
HIDDEN = "(sekretess)"
# The audit log's actions as the clerk reads them; one not listed is shown as written.
AUDIT_SV = {
    "errand.registered": "Ärendet registrerat",
    "document.registered": "Handling registrerad",
    "document.drawn_up": "Handling upprättad",
    "document.read": "Sekretessbelagd handling läst",
    "deadline.set": "Frist satt",
    "deadline.met": "Frist klar",
    "fact.assigned": "Handläggare utsedd",
    "fact.report_drafted": "Tjänsteskrivelse registrerad",
    "fact.fsg": "FSG registrerad",
    "fact.decided": "Beslut registrerat",
    "fact.justerad": "Justering registrerad",
    "fact.anslag": "Anslag registrerat",
    "fact.paragraph": "Paragraf registrerad",
    "fact.figures": "Årets siffror registrerade",
    "fact.agreement_terms": "Överenskommelsens text registrerad",
    "agenda.added": "Förd upp på föredragningslistan",
    "agenda.moved": "Flyttad på föredragningslistan",
    "meeting.created": "Sammanträde skapat",
    "agreement.proposed": "Överenskommelse föreslagen",
    "agreement.active": "Överenskommelsen gäller",
    "agreement.renewed": "Överenskommelsen förlängd",
    "donation.round": "Utdelning öppnad",
    "donation.imported": "Ansökningar importerade",
    "donation.allocated": "Fördelning föreslagen",
    "donation.payout": "Utbetalningsfil skapad",
    "payout.read": "Utbetalningsfilen hämtad",
}


def action_sv(action: str) -> str:
    if action in AUDIT_SV:
        return AUDIT_SV[action]
    parts = action.split(".")
    if len(parts) == 3 and parts[0] == "step" and parts[1] in Step._value2member_map_:
        label = STEP_LABELS_SV[Step(parts[1])]
        return f"Steg {label.lower()}: " + {"done": "klart", "skipped": "hoppades över"}.get(parts[2], parts[2])
    return action


PRESENCE_SV = {
    "ledamot": "Ledamot",
    "tjanstgorande": "Tjänstgörande ersättare",
    "ersattare": "Ersättare",
    "ovrig": "Övriga närvarande",
    "franvarande": "Frånvarande",
}


def verb_of(model: type[Command]) -> str:
    return " ".join(model.verb)


def errand_url(dnr: Any) -> str:
    from arende.dnr import Dnr

    parsed = Dnr.parse(dnr) if isinstance(dnr, str) else dnr
    return f"/arende/{parsed.prefix}/{parsed.year}/{parsed.seq}"


def meeting_url(organ: str, held_on: dt.date) -> str:
    return f"/sammantrade/{organ}/{held_on.isoformat()}"


def _dnr_from_path(ctx: Ctx) -> str:
    try:
        return f"{ctx.path['prefix'].upper()} {int(ctx.path['year']):04d}-{int(ctx.path['seq']):05d}"
    except (ValueError, KeyError):
        raise NotFound("dnr", "no such errand", sv="det finns inget sådant ärende") from None


def _day(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"{value[:20]!r} is not a date", sv=f"{value[:20]!r} är inte ett datum") from None


def _form(
    model: type[BaseModel],
    action: str,
    *,
    fixed: dict[str, str] | None = None,
    failed: dict[str, Any] | None = None,
    submit: str | None = None,
    key: str = "",
) -> dict[str, Any]:
    """A command's form for a template; `failed` is this form's values and errors after
    a refused post."""
    failed = failed if failed and failed.get("key") == key else {}
    errors = failed.get("errors", {})
    shown = widgets(model, failed.get("values"), errors, fixed, _choices() if "organ" in model.model_fields else None)
    return {
        "key": key,
        "title": getattr(model, "title_sv", None) or (model.__doc__ or "").strip().split("\n")[0],
        "doc": (model.__doc__ or "").strip().split("\n")[0],
        "action": action,
        "widgets": shown,
        "error": errors.get("__all__"),
        "submit": submit or "Registrera",
        "open": bool(failed),
        "multipart": any(w.kind == "file" for w in shown),
    }


_ORGANS: tuple[float, str, list[tuple[str, str]]] | None = None


def _choices() -> dict[str, list[tuple[str, str]]]:
    """The organs to pick from where a form asks for one: read at most once a minute per
    database (they change with `arende init`, not from page to page)."""
    global _ORGANS
    from arende.settings import get_settings
    from db.models import Organ
    from db.session import read_scope

    url = get_settings().effective_database_url
    if _ORGANS is not None and _ORGANS[1] == url and time.monotonic() - _ORGANS[0] < 60:
        return {"organ": _ORGANS[2]}
    with read_scope() as session:
        organs = [
            (code, f"{name} ({code})")
            for code, name in session.execute(select(Organ.code, Organ.name).order_by(Organ.name))
        ]
    _ORGANS = (time.monotonic(), url, organs)
    return {"organ": organs}


def _save_uploads(ctx: Ctx, model: type[BaseModel], data: dict[str, Any], folder: Path) -> dict[str, str]:
    """Uploaded files into a private temporary folder, each under its own (cleaned)
    name, for the command to read; too large or of a refused type: not kept."""
    from arende.services.diary import check_upload

    errors: dict[str, str] = {}
    assert ctx.form is not None
    for name in model.model_fields:
        upload = ctx.form.get(name)
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        clean = re.sub(r"[^\w.\- ]", "_", Path(upload.filename).name).strip() or "fil"
        target = folder / clean[-200:]
        upload.file.seek(0, 2)
        size = upload.file.tell()
        upload.file.seek(0)
        try:
            if model is DocumentAdd:  # a handling: the allowed types, its content that type
                check_upload(clean, size, upload.file.read(16))
            elif size > upload_limit():  # a data file (CSV, TOML): its command reads and checks it
                raise InvalidInput("file", "too large", sv="filen är större än vad som får laddas upp")
        except ArendeError as exc:
            errors[name] = problem_sv(exc)
            continue
        upload.file.seek(0)
        with target.open("wb") as out:
            while chunk := upload.file.read(1 << 20):
                out.write(chunk)
        data[name] = str(target)
    return errors


def _apply(ctx: Ctx, model: type[Command], fixed: dict[str, str]) -> tuple[Any, dict[str, Any] | None]:
    """Build and apply the posted command: (result, None), or (None, what to show again)."""
    from arende.commands.handlers import apply

    assert ctx.form is not None
    key = "-".join(model.verb)
    values = values_from(ctx.form)
    data = data_from(model, ctx.form, fixed)
    with tempfile.TemporaryDirectory(prefix="arende-upload-") as folder:
        upload_errors = _save_uploads(ctx, model, data, Path(folder))
        command, errors = validate_all(model, data)
        errors = upload_errors | errors
        if errors:
            return None, {"key": key, "values": values, "errors": errors}
        try:
            return apply(command), None
        except ArendeError as exc:
            field = exc.field if exc.field in model.model_fields and exc.field not in fixed else "__all__"
            return None, {"key": key, "values": values, "errors": {field: problem_sv(exc)}}


# --- login ------------------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    # Only a path of this site: never an address elsewhere (an open redirect).
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@page(public=True)
def login_page(ctx: Ctx) -> Response:
    if ctx.account is not None:
        return see_other(_safe_next(ctx.query.get("next")))
    from arende.web import oidc

    return render(
        ctx, "login.html", next=_safe_next(ctx.query.get("next")), username="", error=None, oidc=oidc.enabled()
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
    target = _safe_next(str(ctx.form.get("next", "")))
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
        address, flow = oidc.start(_redirect_uri(ctx), _safe_next(ctx.query.get("next")))
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
    return see_other(_safe_next(target))


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
        open_mine = select(Errand).where(Errand.officer == ctx.account.name, Errand.status != "closed")
        mine = session.scalars(open_mine.order_by(Errand.year, Errand.seq).limit(MINE)).all()
        mine_total = _count(session, open_mine)
        deadlines = session.execute(
            select(Deadline, Errand)
            .join(Errand, Errand.id == Deadline.errand_id)
            .where(Deadline.status == "open", Errand.officer == ctx.account.name)
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
            mine=[_errand_row(e) for e in mine],
            mine_total=mine_total,
            mine_url="/diarium?" + urlencode({"handlaggare": ctx.account.name, "oppna": "1"}),
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
            unassigned=[_errand_row(e) for e in unassigned],
            meetings=[_meeting_row(m) for m in meetings],
        )


def _errand_row(e: Any) -> dict[str, Any]:
    return {
        "dnr": e.dnr,
        "url": errand_url(e.dnr),
        "title": e.title,
        "status": STATUS_SV.get(e.status, e.status),
        "registered_on": e.registered_on,
        "officer": e.officer,
        "organ": e.prefix,
        "counterpart": e.counterpart,
    }


def _meeting_row(m: Any) -> dict[str, Any]:
    return {
        "organ": m.organ.name,
        "code": m.organ.code,
        "held_on": m.held_on,
        "time": m.starts_at.strftime("%H.%M") if m.starts_at else "",
        "place": m.place or "",
        "status": MEETING_STATUS_SV.get(m.status, m.status),
        "url": meeting_url(m.organ.code, m.held_on),
    }


# --- Diarium ------------------------------------------------------------------------------

_DNR_QUERY = re.compile(r"^(?:([A-Za-zÅÄÖåäö]{1,10})\s+)?(\d{4})-(\d{1,5})$")


def _secret_filter(ctx: Ctx) -> Any:
    """Which secret handlings this person may find: all, their own errands', or none."""
    from db.models import Document, Errand

    assert ctx.account is not None
    role = ctx.account.role
    if sees_secrets(role, own_errand=False):
        return True
    if sees_secrets(role, own_errand=True):
        return or_(Document.secrecy_provision.is_(None), Errand.officer == ctx.account.name)
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
    from db.models import Document, Errand
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
        organs = [(code, label) for code, label in _choices()["organ"]]
        rows: list[dict[str, Any]] = []
        total = 0
        if not errors:
            if what == "arenden":
                stmt = select(Errand)
                match = _DNR_QUERY.match(q)
                if match:
                    prefix, year, seq = match.groups()
                    stmt = stmt.where(Errand.year == int(year), Errand.seq == int(seq))
                    if prefix:
                        stmt = stmt.where(Errand.prefix == prefix.upper())
                else:
                    for word in words:
                        like = f"%{word}%"
                        stmt = stmt.where(
                            or_(
                                Errand.title.ilike(like),
                                Errand.counterpart.ilike(like),
                                Errand.external_ref.ilike(like),
                            )
                        )
                if organ:
                    stmt = stmt.where(Errand.prefix == organ)
                if status:
                    stmt = stmt.where(Errand.status == status)
                if officer:
                    stmt = stmt.where(Errand.officer == officer)
                if only_open:
                    stmt = stmt.where(Errand.status != "closed")
                if kind:
                    stmt = stmt.where(Errand.errand_type == kind)
                if start:
                    stmt = stmt.where(Errand.registered_on >= start)
                if end:
                    stmt = stmt.where(Errand.registered_on <= end)
                total, found = _paged(session, stmt, (Errand.year.desc(), Errand.seq.desc()), number)
                rows = [_errand_row(e) for (e,) in found]
            else:
                doc_stmt = (
                    select(Document, Errand).join(Errand, Errand.id == Document.errand_id).where(_secret_filter(ctx))
                )
                for word in words:
                    like = f"%{word}%"
                    doc_stmt = doc_stmt.where(or_(Document.description.ilike(like), Document.counterpart.ilike(like)))
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
    dnr = _dnr_from_path(ctx)
    with read_scope() as session:
        errand = get_errand(session, dnr)
        own = errand.officer == ctx.account.name
        secret_ok = sees_secrets(ctx.account.role, own_errand=own)
        view = errand_view(session, errand.dnr, show_secret=secret_ok, errand=errand)
        decided_meeting = view.decided_at[:2] if view.decided_at else None
        meeting_status = MEETING_STATUS_SV.get(view.decided_at[2], view.decided_at[2]) if view.decided_at else None
        slugs = [s for s in _actions(errand, decided_meeting) if may(ctx.account.role, verb_of(COMMANDS[s]))]
        base = errand_url(dnr)
        forms = [
            _form(
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
            upload = _form(
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
    dnr = _dnr_from_path(ctx)
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
    dnr = _dnr_from_path(ctx)
    with session_scope() as session:
        errand = get_errand(session, dnr)
        if not sees_secrets(ctx.account.role, own_errand=errand.officer == ctx.account.name):
            return refuse(ctx, 403, "Utbetalningsfilen innehåller personuppgifter som din roll inte får läsa.")
        rnd = round_of(session, errand)
        if not rnd.payout_path or not Path(rnd.payout_path).is_file():
            return refuse(
                ctx, 404, "Utbetalningsfilen finns inte: beslutet är inte expedierat, eller uppgifterna är gallrade."
            )
        audit(session, "payout.read", errand_id=errand.id, after={"sha256": rnd.payout_sha256})
        path = rnd.payout_path
    response = FileResponse(path, filename=Path(path).name)
    response.headers["cache-control"] = "no-store"
    return response


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
    dnr = _dnr_from_path(ctx)
    with read_scope() as session:
        errand = get_errand(session, dnr)
        decision = decision_of(session, errand.id)
        decided = (errand.organ.code, decision.meeting.held_on) if decision else None
        dnr = errand.dnr
    if slug in ("justera", "anslag") and decided is None:
        return refuse(ctx, 409, "Ärendet har inget beslut än.")
    _, failed = _apply(ctx, model, _fixed_for(slug, dnr, decided))
    if failed:
        return _errand_page(ctx, failed, status=422)
    return see_other(f"{errand_url(dnr)}?klart={slug}")


def _document_file(ctx: Ctx, doc: Any, pdf: bool, errand_id: int | None) -> Response:
    path = doc.archive_path if pdf else doc.storage_path
    if not path or not Path(path).is_file():
        return refuse(ctx, 404, "Handlingen har ingen fil.")
    name = doc.file_name or Path(path).name
    if pdf:
        name = Path(name).with_suffix(".pdf").name
    media = "application/pdf" if pdf or name.endswith(".pdf") else None
    response = FileResponse(path, filename=name, media_type=media)
    response.headers["cache-control"] = "no-store"
    return response


@page()
def errand_document(ctx: Ctx) -> Response:
    from arende.services.common import audit, get_errand
    from db.models import Document
    from db.session import session_scope

    assert ctx.account is not None
    dnr = _dnr_from_path(ctx)
    number, _, suffix = str(ctx.path["number"]).partition(".")
    if not number.isdigit() or suffix not in ("", "pdf"):
        return refuse(ctx, 404, "Det finns ingen sådan handling.")
    with session_scope() as session:
        errand = get_errand(session, dnr)
        doc = session.scalar(select(Document).where(Document.errand_id == errand.id, Document.number == int(number)))
        if doc is None:
            return refuse(ctx, 404, "Det finns ingen sådan handling.")
        if doc.secrecy_provision is not None:
            if not sees_secrets(ctx.account.role, own_errand=errand.officer == ctx.account.name):
                return refuse(ctx, 403, "Handlingen omfattas av sekretess och din roll får inte läsa den.")
            # Who read a secret handling is itself on record.
            audit(session, "document.read", errand_id=errand.id, after={"number": doc.number})
        return _document_file(ctx, doc, suffix == "pdf", errand.id)


@page(need="extract")
def errand_extract(ctx: Ctx) -> Response:
    """Make (or find) the protocol extract of the errand's § as it stands now, then open it."""
    from arende.services.common import get_errand
    from arende.services.documents import protocol_extract
    from db.session import session_scope

    assert ctx.account is not None
    dnr = _dnr_from_path(ctx)
    try:
        with session_scope() as session:
            errand = get_errand(session, dnr)
            doc, _ = protocol_extract(session, errand, who=ctx.account.name)
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
    form = _form(
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
            _form(model, f"/sammantraden/{slug}", failed=failed, key=slug, submit=model.title_sv)
            for slug, model in ORGAN_COMMANDS.items()
            if ctx.may(verb_of(model))
        ]
        return render(
            ctx,
            "meetings.html",
            status=status,
            year=year,
            meetings=[_meeting_row(m) for m in rows],
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
    _, failed = _apply(ctx, model, {})
    if failed:
        return _meetings_page(ctx, failed, status=422)
    return see_other(f"/sammantraden?klart={slug}")


# What a secretary does with a meeting, in the order of its life.
_MEETING_ORDER = (
    "meeting-agenda",
    "meeting-item",
    "meeting-move",
    "meeting-kallelse",
    "meeting-attendance",
    "meeting-paragraph",
    "meeting-entry",
    "meeting-vote",
    "justera",
    "anslag",
    "meeting-correct",
    "meeting-cancel",
)


# What can be recorded at each point of the meeting's life (arende.lifecycles.MeetingState):
# the services refuse the rest anyway; the page does not offer it.
_MEETING_NOW: dict[str, tuple[str, ...]] = {
    # A § recorded at a planned meeting holds it (the `decide` shortcut).
    "planned": (
        "meeting-agenda",
        "meeting-item",
        "meeting-move",
        "meeting-kallelse",
        "meeting-attendance",
        "meeting-paragraph",
        "meeting-entry",
        "meeting-vote",
        "meeting-cancel",
    ),
    "kallad": (
        "meeting-agenda",
        "meeting-item",
        "meeting-move",
        "meeting-kallelse",
        "meeting-attendance",
        "meeting-paragraph",
        "meeting-entry",
        "meeting-vote",
        "meeting-cancel",
    ),
    # anslag: of a § declared omedelbart justerad, before the whole protocol is.
    "held": ("meeting-attendance", "meeting-paragraph", "meeting-entry", "meeting-vote", "justera", "anslag"),
    "justerad": ("anslag", "meeting-correct"),
    "anslagen": ("meeting-correct",),
}


def _meeting_fixed(model: type[Command], organ: str, held_on: dt.date) -> dict[str, str]:
    return {"organ": organ, ("meeting" if "meeting" in model.model_fields else "date"): held_on.isoformat()}


def _meeting_page(ctx: Ctx, failed: dict[str, Any] | None = None, status: int = 200) -> Response:
    from arende.services.meeting.agenda import items_of
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.proceedings import attendance_of, paragraphs_of
    from db.models import Document, Errand
    from db.session import read_scope

    organ = str(ctx.path["organ"]).upper()
    held_on = _day(str(ctx.path["date"]), "date")
    base = meeting_url(organ, held_on)
    with read_scope() as session:
        meeting = find_meeting(session, organ, held_on)
        by_item = {d.agenda_item_id: d for d in paragraphs_of(session, meeting) if d.agenda_item_id}
        items = []
        for item in items_of(session, meeting):
            e = session.get(Errand, item.errand_id) if item.errand_id else None
            done = by_item.get(item.id)
            items.append(
                {
                    "position": item.position,
                    "heading": item.heading,
                    "dnr": e.dnr if e else None,
                    "url": errand_url(e.dnr) if e else None,
                    "paragraph": done.paragraph if done else None,
                    "outcome": done.outcome if done else None,
                }
            )
        attendance = [
            {"function": PRESENCE_SV.get(a.function, a.function), "name": a.name, "title": a.title}
            for a in attendance_of(session, meeting)
        ]
        paragraphs = [
            {"paragraph": d.paragraph, "text": d.text, "immediate": d.immediate}
            for d in paragraphs_of(session, meeting)
        ]
        documents = [
            {
                "number": d.number,
                "description": d.description,
                "registered_on": d.registered_on,
                "url": f"{base}/dokument/{d.id}",
                "pdf": f"{base}/dokument/{d.id}.pdf" if d.archive_path else None,
            }
            for d in session.scalars(
                select(Document).where(Document.meeting_id == meeting.id).order_by(Document.number)
            )
        ]
        forms = [
            _form(
                COMMANDS[s],
                f"{base}/{s}",
                fixed=_meeting_fixed(COMMANDS[s], organ, held_on),
                failed=failed,
                key=s,
                submit=COMMANDS[s].title_sv,
            )
            for s in _MEETING_ORDER
            if ctx.may(verb_of(COMMANDS[s]))
            and s in _MEETING_NOW.get(meeting.status, ())
            and s not in ("meeting-attendance", "meeting-vote")  # their own forms, below
        ]
        now = _MEETING_NOW.get(meeting.status, ())
        attendance_form = (
            _attendance_form(session, meeting)
            if "meeting-attendance" in now and ctx.may("meeting attendance")
            else None
        )
        vote_form = None
        if "meeting-vote" in now and ctx.may("meeting vote") and paragraphs:
            from arende.services.meeting.proceedings import serving

            vote_form = {
                "paragraphs": [p["paragraph"] for p in paragraphs],
                "voters": [a.name for a in serving(session, meeting)],
            }
        failed = failed or {}
        info = _meeting_row(meeting) | {
            "justering_at": meeting.justering_at,
            "justerad_on": meeting.justerad_on,
            "anslag_posted_on": meeting.anslag_posted_on,
            "anslag_removed_on": meeting.anslag_removed_on,
            "appeal_ends_on": meeting.appeal_ends_on,
            "chair": meeting.chair,
            "justerare": ", ".join(meeting.justerare or []),
            "secretary": meeting.secretary,
        }
        return render(
            ctx,
            "meeting.html",
            status=status,
            meeting=info,
            items=items,
            attendance=attendance,
            paragraphs=paragraphs,
            documents=documents,
            forms=forms,
            attendance_form=attendance_form,
            vote_form=vote_form,
            form_error=(failed.get("key"), failed.get("errors", {}).get("__all__")),
            base=base,
            can_write=ctx.may("meeting paragraph"),
            # The protokoll follows a held meeting with its §; the notice, its posting.
            can_protocol=meeting.status in ("held", "justerad", "anslagen") and bool(paragraphs),
            can_notice=meeting.anslag_posted_on is not None,
            done=ctx.query.get("klart"),
        )


@page()
def meeting(ctx: Ctx) -> Response:
    return _meeting_page(ctx)


@page()
def meeting_command(ctx: Ctx) -> Response:
    slug = ctx.path["verb"]
    model = MEETING_COMMANDS.get(slug)
    if model is None:
        return refuse(ctx, 404, "Det finns ingen sådan åtgärd.")
    if not ctx.may(verb_of(model)):
        return refuse(ctx, 403, "Din roll får inte göra detta.")
    organ = str(ctx.path["organ"]).upper()
    held_on = _day(str(ctx.path["date"]), "date")
    _, failed = _apply(ctx, model, _meeting_fixed(model, organ, held_on))
    if failed:
        return _meeting_page(ctx, failed, status=422)
    return see_other(f"{meeting_url(organ, held_on)}?klart={slug}")


@page(need="meeting paragraph")
def meeting_paper(ctx: Ctx) -> Response:
    """Write the protokoll or the notice as it stands now, then open it."""
    from arende.services.common import today
    from arende.services.meeting.papers import write_notice, write_protocol
    from db.session import session_scope

    organ = str(ctx.path["organ"]).upper()
    held_on = _day(str(ctx.path["date"]), "date")
    which = ctx.path["paper"]
    if which not in ("protokoll", "anslag"):
        return refuse(ctx, 404, "Det finns ingen sådan handling.")
    try:
        with session_scope() as session:
            if which == "protokoll":
                doc, _ = write_protocol(session, organ, held_on, on=today())
            else:
                doc, _, _ = write_notice(session, organ, held_on)
            doc_id = doc.id
    except ArendeError as exc:
        return refuse(ctx, 409, problem_sv(exc))
    return see_other(f"{meeting_url(organ, held_on)}/dokument/{doc_id}")


@page()
def meeting_document(ctx: Ctx) -> Response:
    from db.models import Document
    from db.session import read_scope

    ident, _, suffix = str(ctx.path["ident"]).partition(".")
    if not ident.isdigit() or suffix not in ("", "pdf"):
        return refuse(ctx, 404, "Det finns ingen sådan handling.")
    with read_scope() as session:
        doc = session.get(Document, int(ident))
        if doc is None or doc.meeting_id is None:
            return refuse(ctx, 404, "Det finns ingen sådan handling.")
        return _document_file(ctx, doc, suffix == "pdf", None)


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
            .where(Meeting.anslag_posted_on.is_not(None))
            .order_by(Meeting.anslag_posted_on.desc())
            .limit(100)
        ).all()
        oj = session.scalars(
            select(Decision)
            .where(Decision.immediate.is_(True), Decision.anslag_posted_on.is_not(None))
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
    from db.models import Document, Meeting
    from db.session import read_scope

    ident, _, suffix = str(ctx.path["ident"]).partition(".")
    if not ident.isdigit() or suffix not in ("", "pdf"):
        return refuse(ctx, 404, "Det finns inget sådant protokoll.")
    with read_scope() as session:
        doc = session.get(Document, int(ident))
        meeting = session.get(Meeting, doc.meeting_id) if doc is not None and doc.meeting_id else None
        if doc is None or meeting is None or doc.kind != "protokoll" or meeting.anslag_posted_on is None:
            return refuse(ctx, 404, "Det finns inget sådant protokoll.")
        return _document_file(ctx, doc, suffix == "pdf", None)


# --- Administration ------------------------------------------------------------------------

_USER_FIELDS = ("username", "name", "email", "role", "password")


def _admin_page(
    ctx: Ctx,
    failed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    template_error: tuple[str, str] | None = None,
) -> Response:
    from arende.services.accounts import list_users
    from arende.settings import get_settings
    from db.models import Organ
    from db.session import read_scope

    with read_scope() as session:
        users = list_users(session)
        organs = session.scalars(select(Organ).order_by(Organ.code)).all()
        organ_rows = [
            {
                "code": o.code,
                "name": o.name,
                "chair": o.chair,
                "secretary": o.secretary,
                "office": o.office,
                "email": o.contact_email,
                "phone": o.phone,
            }
            for o in organs
        ]
    from db.models import OutboxMessage

    with read_scope() as session:
        outbox = [
            {"id": m.id, "status": m.status, "to": m.to_address, "subject": m.subject, "error": m.last_error}
            for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.status != "sent").order_by(OutboxMessage.id).limit(100)
            )
        ]
    folder = get_settings().templates_dir
    return render(
        ctx,
        "admin.html",
        outbox=outbox,
        diary_form=_form(
            COMMANDS["diary-continue"], "/admin/diary-continue", failed=failed, key="diary-continue", submit="Spara"
        ),
        archived=ctx.query.get("antal"),
        status=status,
        users=[
            {
                "username": a.username,
                "name": a.name,
                "role": a.role.value,
                "role_sv": a.role_sv,
                "active": active,
                "email": email,
            }
            for a, active, email in users
        ],
        role_options=[(r.value, ROLE_LABELS_SV[r]) for r in WebRole],
        errors=errors or {},
        values=values or {},
        organs=organ_rows,
        templates=sorted(p.stem for p in folder.glob("*.docx")),
        template_error=template_error,
        done=ctx.query.get("klart"),
    )


@page(need="users")
def admin(ctx: Ctx) -> Response:
    return _admin_page(ctx)


@page(need="users")
def admin_user_create(ctx: Ctx) -> Response:
    from arende.services.accounts import create_user
    from db.session import session_scope

    assert ctx.form is not None
    values = {k: str(ctx.form.get(k, "")) for k in _USER_FIELDS}
    email = values["email"].strip() or None
    errors: dict[str, str] = {}
    if email is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        errors["email"] = "är inte en e-postadress"
    if not errors:
        try:
            with session_scope() as session:
                create_user(
                    session, values["username"], values["name"], values["role"], values["password"], email=email
                )
        except ArendeError as exc:
            errors[exc.field] = problem_sv(exc)
    if errors:
        values.pop("password")
        return _admin_page(ctx, errors=errors, values=values, status=422)
    return see_other("/admin?klart=anvandare")


@page(need="users")
def admin_user_update(ctx: Ctx) -> Response:
    from arende.services.accounts import set_active, set_password, set_role
    from db.session import session_scope

    assert ctx.form is not None
    username = str(ctx.path["username"])
    role = str(ctx.form.get("role", ""))
    password = str(ctx.form.get("password", ""))
    active = ctx.form.get("active") is not None
    try:
        with session_scope() as session:
            if role:
                set_role(session, username, role)
            set_active(session, username, active)
            if password:
                set_password(session, username, password)
    except ArendeError as exc:
        return _admin_page(ctx, errors={f"{username}.{exc.field}": problem_sv(exc)}, status=422)
    return see_other("/admin?klart=anvandare")


@page(need="diary-continue")
def admin_diary_continue(ctx: Ctx) -> Response:
    """Continue a register's numbering from an earlier diary (`arende diary-continue`)."""
    _, failed = _apply(ctx, COMMANDS["diary-continue"], {})
    if failed:
        return _admin_page(ctx, failed=failed, status=422)
    return see_other("/admin?klart=diarium")


def _template_name(ctx: Ctx) -> str | None:
    from arende.settings import get_settings

    name = str(ctx.path["name"])
    if not re.fullmatch(r"[a-z_]{1,40}", name) or not (get_settings().templates_dir / f"{name}.docx").is_file():
        return None
    return name


@page(need="templates")
def admin_template(ctx: Ctx) -> Response:
    from arende.settings import get_settings

    name = _template_name(ctx)
    if name is None:
        return refuse(ctx, 404, "Det finns ingen sådan mall.")
    response = FileResponse(get_settings().templates_dir / f"{name}.docx", filename=f"{name}.docx")
    response.headers["cache-control"] = "no-store"
    return response


@page(need="templates")
def admin_template_upload(ctx: Ctx) -> Response:
    """A new version of a template: used only if it opens and names no field the document
    does not have; the version it replaces is kept beside it."""
    from arende.services.templates_admin import replace_template

    name = _template_name(ctx)
    if name is None:
        return refuse(ctx, 404, "Det finns ingen sådan mall.")
    assert ctx.form is not None
    upload = ctx.form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _admin_page(ctx, status=422, template_error=(name, "välj en .docx-fil"))
    data = upload.file.read(20 * 1024 * 1024 + 1)
    try:
        replace_template(name, data)
    except ArendeError as exc:
        return _admin_page(ctx, status=422, template_error=(name, problem_sv(exc)))
    return see_other("/admin?klart=mall")


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
        organs=_choices()["organ"],
        calc=calc,
    )


_UNITS = {"dagar": ("days", 36_600), "veckor": ("weeks", 5_300), "manader": ("months", 1_200), "ar": ("years", 100)}


def _period(ctx: Ctx) -> dict[str, Any]:
    """The calculator: from a day, a number of days, weeks, months or years, by Lag
    (1930:173); its mistakes beside its fields."""
    from arende.legalcalendar import deadline

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


@page()
def organ_page(ctx: Ctx) -> Response:
    """An organ's members today and its delegationsbeslut (`member list`, `delegation list`)."""
    from arende.services.common import get_organ, today
    from arende.services.meeting.members import seats_on
    from arende.workflow import ROLE_SV, Role
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


@page(need="meeting paragraph")
def archive_now(ctx: Ctx) -> Response:
    """PDF/A copies of what is not archived yet (`arende archive`), in one LibreOffice run."""
    from arende.services.archive import archive_pending

    result = archive_pending()
    if result.missing_libreoffice:
        return refuse(ctx, 503, "LibreOffice finns inte på servern; inga PDF/A-exemplar kunde skrivas.")
    back = _safe_next(str(ctx.form.get("next", "")) if ctx.form else "/")
    return see_other(back + ("&" if "?" in back else "?") + f"klart=arkiv&antal={result.converted}")


# --- Närvaro and omröstning as a secretary fills them in ---------------------------------------
# The generic forms of RecordAttendance and RecordVote take names typed one per line; at the
# meeting the secretary has the organ's members in front of them. These two forms list
# them, and build the same commands of the vocabulary from the choices.

_ABSENT, _PRESENT, _SUBSTITUTE = "franvarande", "narvarande", "ersattare"


def _attendance_form(session: Any, meeting: Any) -> dict[str, Any]:
    from arende.services.meeting.members import seats_on
    from arende.services.meeting.proceedings import attendance_of
    from arende.workflow import ROLE_SV, Role
    from db.models import Person

    recorded = {a.name: a for a in attendance_of(session, meeting)}
    names = {p.id: p.name for p in session.scalars(select(Person))} if recorded else {}
    seats = seats_on(session, meeting.organ, meeting.held_on)
    members = [s.person.name for s in seats if s.serving]
    rows = []
    for i, seat in enumerate(seats):
        row = recorded.get(seat.person.name)
        if seat.serving:
            options = [(_PRESENT, "Närvarande"), (_ABSENT, "Frånvarande")]
            chosen = _ABSENT if row is not None and row.function == "franvarande" else _PRESENT
        else:
            options = [(_ABSENT, "Inte närvarande"), (_SUBSTITUTE, "Närvarande ersättare")]
            options += [(f"for:{m}", f"Tjänstgör för {m}") for m in members]
            chosen = _ABSENT
            if row is not None and row.function == "tjanstgorande" and row.replaces_person_id in names:
                chosen = f"for:{names[row.replaces_person_id]}"
            elif row is not None and row.function == "ersattare":
                chosen = _SUBSTITUTE
        rows.append(
            {
                "key": f"p{i}",
                "name": seat.person.name,
                "role": ROLE_SV[Role(seat.role)].capitalize(),
                "party": seat.person.party,
                "options": options,
                "chosen": chosen,
            }
        )
    others = "\n".join(
        f"{a.name}, {a.title}" if a.title else a.name for a in recorded.values() if a.function == "ovrig"
    )
    return {"rows": rows, "others": others}


@page(need="meeting attendance")
def meeting_attendance(ctx: Ctx) -> Response:
    """The närvaro from the members' list: one RecordAttendance command."""
    from arende.commands.handlers import apply
    from arende.commands.meeting import RecordAttendance
    from arende.services.meeting.members import seats_on
    from arende.services.meeting.plan import find_meeting
    from db.session import read_scope

    assert ctx.form is not None
    organ = str(ctx.path["organ"]).upper()
    held_on = _day(str(ctx.path["date"]), "date")
    with read_scope() as session:
        meeting = find_meeting(session, organ, held_on)
        # In the order the form lists them (p0, p1, ...).
        seats = [(s.person.name, s.serving) for s in seats_on(session, meeting.organ, held_on)]
    data: dict[str, Any] = {"organ": organ, "date": held_on.isoformat(), "present": [], "serving": [], "ersattare": []}
    for i, (name, member) in enumerate(seats):
        choice = str(ctx.form.get(f"p{i}", _ABSENT))
        if choice == _PRESENT and member:
            data["present"].append(name)
        elif choice == _SUBSTITUTE and not member:
            data["ersattare"].append(name)
        elif choice.startswith("for:") and not member:
            data["serving"].append(f"{name}={choice[4:]}")
    data["other"] = [x.strip() for x in str(ctx.form.get("other", "")).splitlines() if x.strip()]
    command, errors = validate_all(RecordAttendance, data)
    if not errors:
        try:
            apply(command)
        except ArendeError as exc:
            errors = {"__all__": problem_sv(exc)}
    if errors:
        message = "; ".join(f"{k}: {v}" if k != "__all__" else v for k, v in errors.items())
        return _meeting_page(ctx, {"key": "narvaro", "values": {}, "errors": {"__all__": message}}, status=422)
    return see_other(f"{meeting_url(organ, held_on)}?klart=narvaro")


@page(need="meeting vote")
def meeting_vote(ctx: Ctx) -> Response:
    """An open vote on a §: each serving member's ja, nej or avstår, as one RecordVote."""
    from arende.commands.handlers import apply
    from arende.commands.meeting import RecordVote
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.proceedings import serving
    from db.session import read_scope

    assert ctx.form is not None
    organ = str(ctx.path["organ"]).upper()
    held_on = _day(str(ctx.path["date"]), "date")
    with read_scope() as session:
        voters = [a.name for a in serving(session, find_meeting(session, organ, held_on))]
    votes: dict[str, list[str]] = {"ja": [], "nej": [], "avstar": []}
    for i, name in enumerate(voters):
        choice = str(ctx.form.get(f"v{i}", ""))
        if choice in votes:
            votes[choice].append(name)
    data = {"organ": organ, "date": held_on.isoformat(), "paragraph": ctx.form.get("paragraph") or None, **votes}
    command, errors = validate_all(RecordVote, data)
    if not errors:
        try:
            apply(command)
        except ArendeError as exc:
            errors = {"__all__": problem_sv(exc)}
    if errors:
        message = "; ".join(f"{k}: {v}" if k != "__all__" else v for k, v in errors.items())
        return _meeting_page(ctx, {"key": "votering", "values": {}, "errors": {"__all__": message}}, status=422)
    return see_other(f"{meeting_url(organ, held_on)}?klart=votering")
