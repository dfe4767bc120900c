"""Administration: users and roles, organs, the diary's numbering, the outbox and the
document templates."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import Response

from arende.errors import ArendeError
from arende.rules.access import ROLE_LABELS_SV, WebRole
from arende.web.app import Ctx, page, problem_sv, refuse, render, see_other
from arende.web.common import (
    COMMANDS,
    apply_posted,
    command_form,
    download,
)

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
            {
                "id": m.id,
                "status": OUTBOX_SV.get(m.status, m.status),
                "to": m.to_address,
                "subject": m.subject,
                "error": m.last_error,
            }
            for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.status != "sent").order_by(OutboxMessage.id).limit(100)
            )
        ]
    folder = get_settings().templates_dir
    return render(
        ctx,
        "admin.html",
        outbox=outbox,
        diary_form=command_form(
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
        templates=[(p.stem, TEMPLATE_SV.get(p.stem, p.stem)) for p in sorted(folder.glob("*.docx"))],
        template_error=template_error,
        done=ctx.query.get("klart"),
    )


OUTBOX_SV = {"pending": "väntar", "sending": "skickas", "sent": "skickat"}
# The templates as the people who edit them call them; a template not listed shows its file name.
TEMPLATE_SV = {
    "anslag": "Anslag om justering",
    "arsredovisning": "Årsredovisning",
    "donation_beslut": "Beslut om utdelning ur donationsfonder",
    "donation_bilaga": "Bilaga till utdelningsbeslut (sekretess)",
    "iop_overenskommelse": "IOP-överenskommelse",
    "iop_tillagg": "Tillägg till IOP-överenskommelse",
    "kallelse": "Kallelse med föredragningslista",
    "missiv": "Missiv",
    "protokoll": "Protokoll",
    "protokollsutdrag": "Protokollsutdrag",
    "remissvar": "Remissvar",
    "revisionssvar": "Svar till revisionen",
    "tjansteskrivelse": "Tjänsteskrivelse",
}


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
    try:  # the e-mail is checked by create_user, as on the command line
        with session_scope() as session:
            create_user(session, values["username"], values["name"], values["role"], values["password"], email=email)
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
    _, failed = apply_posted(ctx, COMMANDS["diary-continue"], {})
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
    return download(get_settings().templates_dir / f"{name}.docx", f"{name}.docx")


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
