"""Documents are data plus a template: a pure function from a context to .docx bytes.

Rendering runs in a sandboxed Jinja environment with XML autoescaping, so text typed
by users ("Kvinno- & tjejjouren", "<" in a summary) cannot break the document or
execute anything. The output is byte-for-byte reproducible for the same context
(fixed zip timestamps), so its SHA-256 identifies the content and a rerun of a step
finds the file it already produced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
import zipfile
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from arende.errors import InvalidInput, NotFound
from arende.settings import get_settings

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class TemplateBroken(InvalidInput):
    """A template the municipality edited cannot render: an unknown field, bad Jinja."""


def template_path(kind: str) -> Path:
    path = get_settings().templates_dir / f"{kind}.docx"
    if not path.is_file():
        raise NotFound("template", f"no template {path}")
    return path


class _CompileOnce(SandboxedEnvironment):
    """docxtpl compiles every XML part of the template anew for each render, which was a
    third of the time of a protocol extract. The same source compiles to the same
    template, so it is compiled once per process; an edited template is new source."""

    def __init__(self) -> None:
        # StrictUndefined: a field the template names but the context lacks (an editor's
        # typo, `{{ dnrr }}`) is an error naming it, not a silent blank in a sent decision.
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, Any] = {}
        self._lock = threading.Lock()

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[no-untyped-def, override]
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = super().from_string(source)
            with self._lock:
                if len(self._compiled) > 256:  # a bound, for a long-running server
                    self._compiled.clear()
                self._compiled[source] = compiled
        return compiled


_ENV = _CompileOnce()


def render(kind: str, context: dict[str, Any]) -> bytes:
    """The document, or a TemplateBroken naming the template and what is wrong in it;
    nothing is written until the whole document has rendered."""
    path = template_path(kind)
    try:
        tpl = DocxTemplate(path)
        tpl.render(context, jinja_env=_ENV, autoescape=True)
    except UndefinedError as exc:
        field = exc.message.split("'")[1] if exc.message and exc.message.count("'") >= 2 else str(exc.message)
        raise TemplateBroken(
            "template",
            f"{path.name} uses the field {field!r}, which this document does not have; "
            f"see `arende templates` for its fields",
            sv=f"{path.name} använder fältet {field!r}, som dokumentet inte har",
        ) from None
    except TemplateSyntaxError as exc:
        raise TemplateBroken(
            "template", f"{path.name}: {exc.message} (template line {exc.lineno})", sv=f"{path.name}: {exc.message}"
        ) from None
    except (TemplateError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateBroken("template", f"{path.name} cannot be used: {' '.join(str(exc).split())[:200]}") from None
    if isinstance(context.get("head"), dict):
        _describe(tpl, context["head"])
    return _package(tpl)


def _describe(tpl: DocxTemplate, head: dict[str, Any]) -> None:
    """The file's own description, which Word shows under Egenskaper and LibreOffice
    carries into the PDF/A copy (its XMP): the organ as author, the document type and Dnr
    as title, Swedish as language, the document's date as its time (so the same document
    renders to the same bytes and is registered once)."""
    props = tpl.docx.core_properties
    kind = str(head.get("type", "")).capitalize()
    what = f"Dnr {head['dnr']}" if head.get("dnr") else f"{head.get('organ', '')} {head.get('date', '')}"
    props.author = props.last_modified_by = str(head.get("organ", ""))
    props.title = f"{kind} {what}".strip()
    props.subject = str(head.get("organ", ""))
    props.language = "sv-SE"
    props.comments = ""
    props.keywords = ""
    props.revision = 1
    if head.get("date"):
        when = dt.datetime.fromisoformat(str(head["date"]))
        props.created = props.modified = when


def template_fields(kind: str) -> list[str]:
    """The fields a template uses, as an editor writes them: `dnr`, `p.heading` (the
    attributes used of a field that holds several), sorted."""
    return fields_in(template_path(kind))


def fields_in(path: Path) -> list[str]:
    """template_fields of the Word file at `path` (a new version, before it is used)."""
    from jinja2 import nodes

    try:
        tpl = DocxTemplate(path)
        top = tpl.get_undeclared_template_variables(jinja_env=SandboxedEnvironment())
        xml = tpl.patch_xml(tpl.xml_to_string(tpl.get_docx()._element.body))
        tree = SandboxedEnvironment().parse(xml)
    except (TemplateError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateBroken("template", f"{path.name} cannot be read: {' '.join(str(exc).split())[:200]}") from None
    dotted = {
        f"{node.node.name}.{node.attr}"
        for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name in top
    }
    # A list's items: `{% for i in items %}{{ i.heading }}` is `items[].heading`.
    for loop in tree.find_all(nodes.For):
        if isinstance(loop.iter, nodes.Name) and loop.iter.name in top and isinstance(loop.target, nodes.Name):
            dotted |= {
                f"{loop.iter.name}[].{node.attr}"
                for node in loop.find_all(nodes.Getattr)
                if isinstance(node.node, nodes.Name) and node.node.name == loop.target.name
            }
    return sorted(top - {d.split(".")[0].removesuffix("[]") for d in dotted} | dotted)


class _FixedTimeZip:
    """python-docx's physical package writer, with fixed entry times: the same content
    gives the same bytes, so a document's SHA-256 identifies it."""

    def __init__(self, out: io.BytesIO) -> None:
        # Level 4, not zlib's default 6: a fifth less time per document for a package a
        # quarter larger (an extract 49 KB instead of 38 KB); bench/meeting.py measures.
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=4)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=_FIXED_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        self._zip.writestr(entry, blob, compresslevel=4)

    def close(self) -> None:
        self._zip.close()


def _package(tpl: DocxTemplate) -> bytes:
    """The rendered document as a .docx, compressed once. It was saved by python-docx and
    then re-zipped with fixed times: two compressions, a third of an extract's time.
    Does what `OpcPackage.save` does, with our writer (python-docx is pinned <2; the
    rendering tests read every kind of document back)."""
    from docx.opc.pkgwriter import PackageWriter

    package = tpl.docx.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedTimeZip(out)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)  # type: ignore[arg-type]
    writer.close()
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
        parts += [cell.text for table in section.header.tables for row in table.rows for cell in row.cells]
    parts += [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)
