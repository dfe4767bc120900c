"""What the web page's modules share: the commands by their place in the address, the
Swedish words of the pages, and the form of a command with its post applied (a form
post is a command of the vocabulary, applied by the same `apply` the command line
uses; its mistakes come back beside the fields)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, Response

from arende.commands.fields import Command
from arende.commands.vocabulary import FACTS, DocumentAdd
from arende.errors import ArendeError, InvalidInput, NotFound
from arende.rules.workflow import STATUS_SV, STEP_LABELS_SV, Step
from arende.web.app import Ctx, problem_sv, refuse, upload_limit
from arende.web.forms import data_from, validate_all, values_from, widgets

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
    from arende.rules.dnr import Dnr

    parsed = Dnr.parse(dnr) if isinstance(dnr, str) else dnr
    return f"/arende/{parsed.prefix}/{parsed.year}/{parsed.seq}"


def meeting_url(organ: str, held_on: dt.date) -> str:
    return f"/sammantrade/{organ}/{held_on.isoformat()}"


def dnr_from_path(ctx: Ctx) -> str:
    try:
        year, seq = str(ctx.path["year"]), str(ctx.path["seq"])
        if not (year.isascii() and seq.isascii() and len(year) <= 4 and len(seq) <= 5):
            raise ValueError(year)  # no Dnr has it; beyond the database's integers too
        return f"{ctx.path['prefix'].upper()} {int(year):04d}-{int(seq):05d}"
    except (ValueError, KeyError):
        raise NotFound("dnr", "no such errand", sv="det finns inget sådant ärende") from None


def day_of(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"{value[:20]!r} is not a date", sv=f"{value[:20]!r} är inte ett datum") from None


def command_form(
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
    picks = choices() if "organ" in model.model_fields else {}
    if model.model_fields.get("officer") is not None and model.model_fields["officer"].title == "Handläggare":
        picks = picks | {"officer": officers()}
    shown = widgets(model, failed.get("values"), errors, fixed, picks or None)
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


def officers() -> list[tuple[str, str]]:
    """The accounts an errand's officer is chosen from: active, and doing casework; each
    shown with its user name, so two people of one name are told apart."""
    from arende.rules.access import WebRole, may
    from db.models import User
    from db.session import read_scope

    with read_scope() as session:
        rows = session.execute(
            select(User.username, User.name, User.role).where(User.active.is_(True)).order_by(User.name, User.username)
        ).all()
    return [(u, f"{n} ({u})") for u, n, r in rows if may(WebRole(r), "draft")]


_ORGANS: tuple[float, str, list[tuple[str, str]]] | None = None


def choices() -> dict[str, list[tuple[str, str]]]:
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


def save_uploads(ctx: Ctx, model: type[BaseModel], data: dict[str, Any], folder: Path) -> dict[str, str]:
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


def apply_posted(ctx: Ctx, model: type[Command], fixed: dict[str, str]) -> tuple[Any, dict[str, Any] | None]:
    """Build and apply the posted command: (result, None), or (None, what to show again)."""
    from arende.commands.handlers import apply

    assert ctx.form is not None
    key = "-".join(model.verb)
    values = values_from(ctx.form)
    data = data_from(model, ctx.form, fixed)
    with tempfile.TemporaryDirectory(prefix="arende-upload-") as folder:
        upload_errors = save_uploads(ctx, model, data, Path(folder))
        command, errors = validate_all(model, data)
        errors = upload_errors | errors
        if errors:
            return None, {"key": key, "values": values, "errors": errors}
        try:
            return apply(command), None
        except ArendeError as exc:
            field = exc.field if exc.field in model.model_fields and exc.field not in fixed else "__all__"
            return None, {"key": key, "values": values, "errors": {field: problem_sv(exc)}}


def safe_next(target: str | None) -> str:
    # Only a path of this site: never an address elsewhere (an open redirect).
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def errand_row(e: Any) -> dict[str, Any]:
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


def meeting_row(m: Any) -> dict[str, Any]:
    return {
        "organ": m.organ.name,
        "code": m.organ.code,
        "held_on": m.held_on,
        "time": m.starts_at.strftime("%H.%M") if m.starts_at else "",
        "place": m.place or "",
        "status": MEETING_STATUS_SV.get(m.status, m.status),
        "url": meeting_url(m.organ.code, m.held_on),
    }


def download(path: str | Path, name: str, media: str | None = None) -> Response:
    """A file to save, never kept by the browser or a proxy (it may be secret)."""
    response = FileResponse(path, filename=name, media_type=media)
    response.headers["cache-control"] = "no-store"
    return response


def file_ref(value: str) -> tuple[int, bool] | None:
    """A handling's address part: "3" is its file, "3.pdf" its PDF/A copy; else None."""
    number, _, suffix = value.partition(".")
    # Beyond the database's integers there is no such handling (PostgreSQL would refuse
    # the query itself).
    if not number.isascii() or not number.isdigit() or len(number) > 9 or suffix not in ("", "pdf"):
        return None
    return int(number), suffix == "pdf"


def document_file(ctx: Ctx, doc: Any, pdf: bool) -> Response:
    path = doc.archive_file if pdf else doc.file
    if path is None or not path.is_file():
        return refuse(ctx, 404, "Handlingen har ingen fil.")
    name = doc.file_name or Path(path).name
    if pdf:
        name = Path(name).with_suffix(".pdf").name
    return download(path, name, "application/pdf" if pdf or name.endswith(".pdf") else None)
