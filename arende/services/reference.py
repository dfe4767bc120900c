"""Reference data the municipality edits: organs and the classification scheme; the
organs and funds a form offers."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator
from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.commands.choices import code_and_name, code_of
from arende.errors import InvalidInput
from arende.rules.dnr import CLASSIFICATION_CODE
from arende.services.common import audit
from db.models import ClassificationCode, Organ

_ORGAN_FIELDS = (
    "name",
    "kind",
    "office",
    "email",
    "chair",
    "head_of_office",
    "secretary",
    "reminder_email",
    "postal_address",
    "visiting_address",
    "website",
    "contact_email",
    "phone",
)


def read_toml(path: Path) -> dict[str, Any]:
    """A reference or input file the user gave, or a typed error saying what is wrong."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput("file", f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("file", f"{path} is not valid TOML: {exc}") from None


def _offered(table: str) -> list[tuple[str, str]]:
    """(code, name) of the organs or funds in the configured reference file (the one
    `arende init` loads), read when a form's schema is made (at deployment)."""
    from arende.settings import get_settings

    settings = get_settings()
    path = settings.organs_file if table == "organ" else settings.funds_file
    try:
        rows = read_toml(path).get(table, [])
    except InvalidInput:
        return []
    pairs = [
        (str(r.get("code", "")).strip().upper(), str(r.get("name", "")).strip()) for r in rows if isinstance(r, dict)
    ]
    return [(code, name) for code, name in pairs if code]


def _choices(schema: dict[str, Any], table: str) -> None:
    offered = _offered(table)
    if not offered:
        return
    labels = {code: code_and_name(code, name) for code, name in offered}
    schema["enum"] = list(labels.values())
    # The label is longer than a code and is not one: the dropdown is the check.
    schema.pop("maxLength", None)
    schema.pop("pattern", None)
    if schema.get("default") in labels:
        schema["default"] = labels[schema["default"]]


def organ_choices(schema: dict[str, Any]) -> None:
    """A form's organ field as a dropdown of the organs by code and name ("ALN –
    Arbetslivsnämnden"); the field takes that text as the code (OrganChoice). The
    database still decides what is valid."""
    _choices(schema, "organ")


def fund_choices(schema: dict[str, Any]) -> None:
    """A form's fund field as a dropdown of the funds by code and name."""
    _choices(schema, "fund")


def organ_examples(schema: dict[str, Any]) -> None:
    """A field that takes an organ's code or another text: the codes as examples, not as
    the only values (an outside sender is written by name)."""
    codes = [code for code, _ in _offered("organ")]
    if codes:
        schema["examples"] = codes


# An organ or a fund as a form's dropdown sends it ("ALN – Arbetslivsnämnden") or as typed.
OrganChoice = Annotated[str, BeforeValidator(code_of)]
FundChoice = Annotated[str, BeforeValidator(code_of)]


def _read(path: Path, table: str) -> list[dict[str, Any]]:
    rows = read_toml(path).get(table)
    if not isinstance(rows, list) or not rows:
        raise InvalidInput("file", f"{path} has no [[{table}]] entries")
    return rows


def load_organs(session: Session, path: Path) -> int:
    """Insert or update organs by code; an organ missing from the file is kept but
    marked inactive, since old errands still refer to it."""
    rows = _read(path, "organ")
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        code = str(row.get("code", "")).strip().upper()
        if not re.fullmatch(r"[A-ZÅÄÖ]{1,10}", code):
            raise InvalidInput(f"organ[{i}].code", f"{code!r} must be 1-10 capital letters")
        if code in seen:
            raise InvalidInput(f"organ[{i}].code", f"{code} appears twice")
        seen.add(code)
        if not str(row.get("name", "")).strip():
            raise InvalidInput(f"organ[{i}].name", "must not be empty")
        organ = session.scalar(select(Organ).where(Organ.code == code))
        values = {f: (str(row[f]).strip() if row.get(f) else None) for f in _ORGAN_FIELDS}
        values["kind"] = values["kind"] or "nämnd"
        if organ is None:
            session.add(Organ(code=code, active=True, **values))
            audit(session, "organ.added", after={"code": code, **values})
        else:
            before = {f: getattr(organ, f) for f in _ORGAN_FIELDS}
            if before != values or not organ.active:
                for f, v in values.items():
                    setattr(organ, f, v)
                organ.active = True
                audit(session, "organ.updated", before={"code": code, **before}, after={"code": code, **values})
    for organ in session.scalars(select(Organ).where(Organ.code.not_in(seen), Organ.active.is_(True))):
        organ.active = False
        audit(session, "organ.deactivated", after={"code": organ.code})
    return len(rows)


def load_classification(session: Session, path: Path) -> int:
    """Codes are never renumbered or removed: new ones are added, titles and the
    dormant mark updated; a code missing from the file stays as it was."""
    rows = _read(path, "code")
    for i, row in enumerate(rows, start=1):
        code = str(row.get("code", "")).strip()
        if not CLASSIFICATION_CODE.match(code):
            raise InvalidInput(f"code[{i}].code", f"{code!r} must be dotted digits such as 1.2.4.1")
        title = str(row.get("title", "")).strip()
        if not title:
            raise InvalidInput(f"code[{i}].title", "must not be empty")
        existing = session.get(ClassificationCode, code)
        dormant = bool(row.get("dormant", False))
        if existing is None:
            session.add(ClassificationCode(code=code, title=title, dormant=dormant))
        else:
            existing.title, existing.dormant = title, dormant
    return len(rows)
