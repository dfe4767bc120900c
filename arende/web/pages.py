"""The pages every day starts with: login, Mina ärenden and the Diarium. The errand's own
pages are in arende.web.errands, the Anslagstavla, Tidsfrister and IOP in arende.web.board."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import and_, func, or_, select
from starlette.responses import Response

from arende.errors import ArendeError
from arende.rules.access import sees_secrets
from arende.rules.dnr import external_ref_key
from arende.rules.workflow import STATUS_SV
from arende.web.app import Ctx, page, problem_sv, refuse, render, see_other
from arende.web.common import (
    DIRECTION_SV,
    MINE,
    PAGE_SIZE,
    choices,
    errand_row,
    errand_url,
    meeting_row,
    safe_next,
)

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
