"""Documents are data plus a template: a pure function from a context to .docx bytes.

Rendering runs in a sandboxed Jinja environment with XML autoescaping, so text typed
by users ("Kvinno- & tjejjouren", "<" in a summary) cannot break the document or
execute anything. The output is byte-for-byte reproducible for the same context
(fixed zip timestamps), so its SHA-256 identifies the content and a rerun of a step
finds the file it already produced.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from arende.errors import NotFound
from arende.settings import get_settings

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def template_path(kind: str) -> Path:
    path = get_settings().templates_dir / f"{kind}.docx"
    if not path.is_file():
        raise NotFound("template", f"no template {path}")
    return path


def render(kind: str, context: dict[str, Any]) -> bytes:
    tpl = DocxTemplate(template_path(kind))
    tpl.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    raw = io.BytesIO()
    tpl.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry times and order: same content, same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def paragraphs(text: str | None) -> list[str]:
    """Split user text on blank lines into the paragraphs a template loops over."""
    if not text:
        return []
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


def docx_text(data: bytes) -> str:
    """All text of a .docx (body, tables, headers, footers), for checks and tests."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts: list[str] = []
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
    parts += [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)
