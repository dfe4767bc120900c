"""The web page's frame: who is logged in, the CSRF check, the security headers, and the
one way a page is rendered or refused. The pages themselves are in arende.web.pages.

Every page is a plain function of a `Ctx`, run in a worker thread (the database and the
command vocabulary are synchronous). The decorator `page` does, in order: reads a posted
form (refusing one over the upload limit before it is parsed), checks its CSRF token
against the cookie (double submit; the cookie is HttpOnly and SameSite=Lax), finds the
account of the session cookie, refuses what the role may not do, and runs the page as
that person, so the audit log names them.

No JavaScript: the Content-Security-Policy allows scripts from nowhere, styles only from
our own stylesheet; every action is a form that works by keyboard alone.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from arende.errors import ArendeError, DatabaseUnavailable
from arende.rules.access import ROLE_LABELS_SV, WebRole, may
from arende.services.accounts import Account

SESSION_COOKIE = "arende_session"
CSRF_COOKIE = "arende_csrf"
CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
STATIC = Path(__file__).resolve().parent / "static"

templates = Environment(
    loader=PackageLoader("arende.web", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _local(value: dt.datetime) -> str:
    """A stored UTC time as the clerk reads it: Swedish local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M")


templates.filters["local"] = _local


class SecurityHeaders:
    """Every response, static files and errors included, carries the headers."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                headers.extend(
                    [
                        (b"content-security-policy", CSP.encode()),
                        (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"same-origin"),
                        (b"x-frame-options", b"DENY"),
                    ]
                )
            await send(message)

        await self.app(scope, receive, with_headers)


@dataclass
class Ctx:
    request: Request
    account: Account | None
    csrf: str
    form: FormData | None = None
    cookies_to_set: list[tuple[str, str, int | None]] = field(default_factory=list)

    @property
    def query(self) -> QueryParams:
        return self.request.query_params

    @property
    def path(self) -> dict[str, Any]:
        return self.request.path_params

    @property
    def role(self) -> WebRole | None:
        return self.account.role if self.account else None

    def may(self, verb: str) -> bool:
        return self.account is not None and may(self.account.role, verb)


def render(ctx: Ctx, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = templates.get_template(name).render(
        account=ctx.account,
        csrf=ctx.csrf,
        may=ctx.may,
        path=ctx.request.url.path,
        roles=ROLE_LABELS_SV,
        pinned_today=_pinned_today(),
        **values,
    )
    response = HTMLResponse(html, status_code=status)
    # Pages show what only a logged-in person may see: never kept by the browser or a proxy.
    response.headers["cache-control"] = "no-store"
    return response


def _pinned_today() -> Any:
    """The day the installation is set to (ARENDE_TODAY: the demo's replay), to say so on
    every page; None on a real clock."""
    from arende.settings import get_settings

    return get_settings().today


def refuse(ctx: Ctx, status: int, message: str) -> HTMLResponse:
    return render(ctx, "error.html", status=status, status_code=status, message=message)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# A field as a person reads it on a page that shows a mistake without its form.
FIELD_SV = {
    "dnr": "Diarienummer",
    "organ": "Organ",
    "date": "Datum",
    "meeting": "Sammanträde",
    "paragraph": "Paragraf",
    "item": "Punkt",
    "file": "Fil",
    "username": "Användarnamn",
    "password": "Lösenord",
    "email": "E-post",
    "role": "Roll",
    "name": "Namn",
    "officer": "Handläggare",
}


def problem_sv(exc: ArendeError) -> str:
    return exc.problem_sv or exc.problem


def upload_limit() -> int:
    from arende.settings import get_settings

    return get_settings().web_upload_max_mb * 1024 * 1024


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


def page(*, public: bool = False, need: str | None = None) -> Callable[[Callable[[Ctx], Response]], Any]:
    """An endpoint from a page function; `need` is the verb the role must be allowed."""

    def decorate(fn: Callable[[Ctx], Response]) -> Any:
        async def endpoint(request: Request) -> Response:
            csrf = request.cookies.get(CSRF_COOKIE, "")
            fresh = None
            if len(csrf) != 43:  # secrets.token_urlsafe(32)
                fresh = csrf = secrets.token_urlsafe(32)
            ctx = Ctx(request, None, csrf)
            if _has_control(request):
                # A NUL or another control character in the address: no page has such a
                # value (PostgreSQL cannot even compare one), so one message, nothing read.
                return _finish(refuse(ctx, 400, "Adressen innehåller ett otillåtet tecken (styrtecken)."), fresh)
            form = None
            if request.method == "POST":
                length = request.headers.get("content-length")
                # Refused before a byte is parsed or stored: 64 KB for the fields beside the file.
                if length is not None and length.isdigit() and int(length) > upload_limit() + 65536:
                    response: Response = refuse(ctx, 413, "Filen är större än vad som får laddas upp.")
                    return _finish(response, fresh)
                if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                    if not _utf8_form(await request.body()):
                        response = refuse(ctx, 400, "Formuläret kom inte som UTF-8-text. Skicka det igen från sidan.")
                        return _finish(response, fresh)
                form = await request.form(max_files=1, max_fields=300, max_part_size=1024 * 1024)
                sent = form.get("csrf_token")
                if fresh or not isinstance(sent, str) or not hmac.compare_digest(sent, csrf):
                    await form.close()
                    response = refuse(
                        ctx, 403, "Formuläret saknar en giltig säkerhetskod (CSRF). Ladda om sidan och försök igen."
                    )
                    return _finish(response, fresh)
                # Starlette decodes bytes that are not UTF-8 as U+FFFD; such a form is
                # refused whole rather than stored with the characters lost.
                if any(isinstance(v, str) and "\x00" in v for _, v in form.multi_items()):
                    await form.close()
                    response = refuse(ctx, 400, "Formuläret innehåller ett otillåtet tecken (NUL).")
                    return _finish(response, fresh)
                if any(isinstance(v, str) and "\ufffd" in v for _, v in form.multi_items()):
                    await form.close()
                    response = refuse(ctx, 400, "Formuläret kom inte som UTF-8-text. Skicka det igen från sidan.")
                    return _finish(response, fresh)
            ctx.form = form
            try:
                response = await run_in_threadpool(_run, fn, ctx, public, need)
            finally:
                if form is not None:
                    await form.close()
            for name, value, max_age in ctx.cookies_to_set:
                _cookie(response, name, value, max_age)
            return _finish(response, fresh)

        endpoint.__name__ = fn.__name__
        endpoint.__doc__ = fn.__doc__
        return endpoint

    return decorate


def _has_control(request: Request) -> bool:
    texts = [*request.query_params.keys(), *request.query_params.values(), *map(str, request.path_params.values())]
    return any(unicodedata.category(ch) == "Cc" for text in texts for ch in text)


def _utf8_form(body: bytes) -> bool:
    """A browser sends a form as percent-encoded UTF-8; anything else is refused, not
    decoded into replacement characters."""
    from urllib.parse import unquote_to_bytes

    if not body.isascii():
        return False
    try:
        for part in body.split(b"&"):
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _secure() -> bool:
    from arende.settings import get_settings

    return get_settings().web_secure_cookies


def _cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
    if value:
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", secure=_secure(), path="/")
    else:
        response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=_secure())


def _finish(response: Response, fresh: str | None) -> Response:
    if fresh:
        _cookie(response, CSRF_COOKIE, fresh, None)
    return response


def _run(fn: Callable[[Ctx], Response], ctx: Ctx, public: bool, need: str | None) -> Response:
    from arende.services.accounts import account_for
    from arende.services.common import acting_as

    try:
        token = ctx.request.cookies.get(SESSION_COOKIE, "")
        if token:
            ctx.account = account_for(token)
        if ctx.account is None and not public:
            target = ctx.request.url.path
            if ctx.request.url.query:
                target += "?" + ctx.request.url.query
            return see_other("/login?next=" + quote(target, safe=""))
        if need is not None and not ctx.may(need):
            return refuse(ctx, 403, "Din roll får inte göra detta.")
        if ctx.account is None:
            return fn(ctx)
        with acting_as(ctx.account.username):
            return fn(ctx)
    except DatabaseUnavailable as exc:
        return refuse(ctx, 503, f"Databasen svarar inte: {problem_sv(exc)}")
    except ArendeError as exc:
        # A mistake a page did not catch beside a field (a Dnr in the address that does
        # not exist): one message, nothing written.
        status = 404 if type(exc).__name__ == "NotFound" else 400
        return refuse(ctx, status, f"{FIELD_SV.get(exc.field, exc.field)}: {problem_sv(exc)}")
