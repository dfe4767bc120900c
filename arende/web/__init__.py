"""The web page: `arende web` serves it with uvicorn; `create_app()` is the ASGI app."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from arende.web.app import STATIC, SecurityHeaders


def create_app() -> SecurityHeaders:
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
        Route(dnr, p.errand),
        Route(dnr + "/handling/{number:str}", p.errand_document),
        Route(dnr + "/utdrag", p.errand_extract, methods=["POST"]),
        Route(dnr + "/kor", p.errand_run, methods=["POST"]),
        Route(dnr + "/utbetalningsfil", p.donation_payout),
        Route(dnr + "/{verb:str}", p.errand_command, methods=["POST"]),
        Route("/registrera", p.register_index),
        Route("/registrera/{type:str}", p.register_form, methods=["GET"]),
        Route("/registrera/{type:str}", p.register_post, methods=["POST"]),
        Route("/sammantraden", p.meetings),
        Route("/sammantraden/{verb:str}", p.organ_command, methods=["POST"]),
        Route(meeting, p.meeting),
        Route(meeting + "/dokument/{ident:str}", p.meeting_document),
        Route(meeting + "/skriv/{paper:str}", p.meeting_paper, methods=["POST"]),
        Route(meeting + "/narvaro", p.meeting_attendance, methods=["POST"]),
        Route(meeting + "/votering", p.meeting_vote, methods=["POST"]),
        Route(meeting + "/{verb:str}", p.meeting_command, methods=["POST"]),
        Route("/tidsfrister", p.deadlines),
        Route("/iop", p.agreements),
        Route("/organ/{organ:str}", p.organ_page),
        Route("/organ/{organ:str}/plan", p.organ_plan_upload, methods=["POST"]),
        Route("/arkivera", p.archive_now, methods=["POST"]),
        Route("/anslagstavla", p.board),
        Route("/anslagstavla/protokoll/{ident:str}", p.board_protocol),
        Route("/admin", p.admin),
        Route("/admin/anvandare", p.admin_user_create, methods=["POST"]),
        Route("/admin/anvandare/{username:str}", p.admin_user_update, methods=["POST"]),
        Route("/admin/diary-continue", p.admin_diary_continue, methods=["POST"]),
        Route("/admin/mallar/{name:str}", p.admin_template, methods=["GET"]),
        Route("/admin/mallar/{name:str}", p.admin_template_upload, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return SecurityHeaders(Starlette(routes=routes))
