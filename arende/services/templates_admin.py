"""A new version of a document template, as an administrator uploads it: checked before
it is used, the version it replaces kept beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from arende.documents import TemplateBroken, fields_in, template_path
from arende.errors import InvalidInput
from arende.files import private_folder, write_private
from arende.services.common import audit

MAX_BYTES = 20 * 1024 * 1024


def replace_template(kind: str, data: bytes) -> list[str]:
    """Put `data` in place of the template `kind` if it is a Word document that uses no
    field its document lacks (the fields the version in use has: `arende templates`);
    return its fields. Otherwise TemplateBroken, and the version in use stays."""
    from db.session import session_scope

    current = template_path(kind)
    if len(data) > MAX_BYTES:
        raise InvalidInput("file", f"a template is at most {MAX_BYTES // 2**20} MB", sv="en mall får vara högst 20 MB")
    if not data.startswith(b"PK\x03\x04"):
        raise TemplateBroken("file", "not a Word document (.docx)", sv="filen är inte ett Word-dokument (.docx)")
    trial = current.with_name(f".{kind}.upload-{os.getpid()}.docx")
    write_private(trial, data, "file")
    try:
        new = fields_in(trial)
        known = set(fields_in(current))
        unknown = sorted(set(new) - known)
        if unknown:
            raise TemplateBroken(
                "file",
                f"uses fields the document {kind} does not have: {', '.join(unknown)[:200]}",
                sv=f"använder fält som dokumentet {kind} inte har: {', '.join(unknown)[:200]}",
            )
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        versions = private_folder(current.parent / "versions", "file")
        kept = versions / f"{kind}-{stamp}.docx"
        kept.write_bytes(current.read_bytes())
        os.replace(trial, current)
    finally:
        trial.unlink(missing_ok=True)
    with session_scope() as session:
        audit(
            session,
            "template.replaced",
            after={"template": kind, "sha256": hashlib.sha256(data).hexdigest(), "previous": kept.name},
        )
    return new
