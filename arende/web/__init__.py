"""The web page: `arende web` serves it with uvicorn; `create_app()` is the ASGI app."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from arende.web.app import STATIC, SecurityHeaders


def create_app() -> SecurityHeaders:
    from arende.web import admin as a
    from arende.web import board as b
    from arende.web import earchive as ea
    from arende.web import errands as e
    from arende.web import justering as j
    from arende.web import meetings as m
    from arende.web import organs as o
    from arende.web import pages as p

    dnr = "/arende/{prefix:str}/{year:int}/{seq:int}"
    meeting = "/sammantrade/{organ:str}/{date:str}"
    routes = [
        Route("/", p.home),
        Route("/login", p.login_page, methods=["GET"]),
        Route("/login", p.login_post, methods=["POST"]),
        Route("/login/oidc", p.oidc_start),
        Route("/login/oidc/callback", p.oidc_callback),
        Route("/logout", p.logout, methods=["POST"]),
        Route("/diarium", p.diarium),
        Route(dnr, e.errand),
        Route(dnr + "/handling/{number:str}", e.errand_document),
        Route(dnr + "/utdrag", e.errand_extract, methods=["POST"]),
        Route(dnr + "/kor", e.errand_run, methods=["POST"]),
        Route(dnr + "/utbetalningsfil", e.donation_payout),
        Route(dnr + "/{verb:str}", e.errand_command, methods=["POST"]),
        Route("/registrera", e.register_index),
        Route("/registrera/{type:str}", e.register_form, methods=["GET"]),
        Route("/registrera/{type:str}", e.register_post, methods=["POST"]),
        Route("/sammantraden", o.meetings),
        Route("/sammantraden/{verb:str}", o.organ_command, methods=["POST"]),
        Route(meeting, m.meeting),
        Route(meeting + "/dokument/{ident:str}", m.meeting_document),
        Route(meeting + "/skriv/{paper:str}", m.meeting_paper, methods=["POST"]),
        Route(meeting + "/narvaro", m.meeting_attendance, methods=["POST"]),
        Route(meeting + "/votering", m.meeting_vote, methods=["POST"]),
        Route(meeting + "/justering", j.justering),
        Route(meeting + "/justering/protokoll.pdf", j.justering_pdf),
        Route(meeting + "/justering/{action:str}", j.justering_action, methods=["POST"]),
        Route(meeting + "/{verb:str}", m.meeting_command, methods=["POST"]),
        Route("/tidsfrister", b.deadlines),
        Route("/iop", b.agreements),
        Route("/organ/{organ:str}", o.organ_page),
        Route("/organ/{organ:str}/plan", o.organ_plan_upload, methods=["POST"]),
        Route("/arkivera", m.archive_now, methods=["POST"]),
        Route("/anslagstavla", b.board),
        Route("/verifiera", j.verify_page),
        Route("/verifiera", j.verify_upload, methods=["POST"]),
        Route("/anslagstavla/protokoll/{ident:str}", b.board_protocol),
        Route("/admin", a.admin),
        Route("/admin/earkiv", ea.earchive),
        Route("/admin/earkiv/leverans", ea.earchive_deliver, methods=["POST"]),
        Route("/admin/earkiv/gallra", ea.earchive_dispose, methods=["POST"]),
        Route("/admin/anvandare", a.admin_user_create, methods=["POST"]),
        Route("/admin/anvandare/{username:str}", a.admin_user_update, methods=["POST"]),
        Route("/admin/diary-continue", a.admin_diary_continue, methods=["POST"]),
        Route("/admin/mallar/{name:str}", a.admin_template, methods=["GET"]),
        Route("/admin/mallar/{name:str}", a.admin_template_upload, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return SecurityHeaders(Starlette(routes=routes, exception_handlers={404: _not_found, 405: _not_allowed}))


async def _not_found(request: Request, exc: Exception) -> Response:
    """An address the site does not have: the site's own page, in Swedish."""
    return _plain_page(request, 404, "Sidan finns inte. Kontrollera adressen, eller gå till Mina ärenden.")


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return _plain_page(request, 405, "Sidan kan inte användas så. Gå tillbaka och använd sidans knappar.")


def _plain_page(request: Request, status: int, message: str) -> Response:
    from arende.web.app import Ctx, refuse

    return refuse(Ctx(request, None, ""), status, message)
