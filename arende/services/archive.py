"""PDF/A archive copies of the documents that are kept for good: the protokoll, the
extracts, the decisions' documents, the replies and the agreements. LibreOffice, running
headless, converts them all in one process (starting it once costs about a second; a
process per document was most of the time), as PDF/A-2b. Each copy is checked for its
PDF/A identification before it is registered on its document.

Where LibreOffice is not installed, nothing is converted and the caller is told so; the
.docx documents are unaffected.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from arende.files import pid_alive, private_folder, write_private
from arende.settings import get_settings
from db.models import Document
from db.models.base import stored_name, stored_path
from db.session import session_scope

# The kinds kept for good (issue 14): the rest (reports, kallelser, notices) are working
# documents whose .docx is enough.
ARCHIVED_KINDS = (
    "protokoll",
    "protokollsutdrag",
    "remissvar",
    "revisionssvar",
    "missiv",
    "arsredovisning",
    "iop_overenskommelse",
    "iop_tillagg",
    "donation_beslut",
)
_PDFA_2B = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


@dataclass
class ArchiveResult:
    converted: int = 0
    seconds: float = 0.0
    missing_libreoffice: bool = False
    failed: list[str] = field(default_factory=list)
    # Stored files that are gone, or whose SHA-256 is no longer the registered one: named
    # and left out (never archived as if they were the record); the rest go on.
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


FONTS_CONF = Path(__file__).resolve().parents[1] / "fonts.conf"


def libreoffice_env() -> dict[str, str]:
    """The environment LibreOffice converts in: our fontconfig file, so the templates'
    Garamond is set in EB Garamond (fonts-ebgaramond) and embedded in the archive copy,
    not replaced by the first serif the machine has."""
    return os.environ | {"FONTCONFIG_FILE": str(FONTS_CONF)}


def is_pdfa(data: bytes) -> bool:
    """The PDF/A-2 identification in the file's XMP metadata (what a validator reads first)."""
    return data.startswith(b"%PDF") and b"<pdfaid:part>2</pdfaid:part>" in data


def convert_to_pdfa(docx: bytes) -> bytes:
    """One document to PDF/A-2b, now (the protocol sent for digital justering); Conflict
    when LibreOffice is missing or the result is not PDF/A."""
    from arende.errors import Conflict

    program = libreoffice()
    if program is None:
        raise Conflict(
            "libreoffice",
            "LibreOffice is not installed: the protocol cannot be made a PDF/A to sign "
            "(apt-get install libreoffice-writer-nogui)",
        )
    with _scratch() as work:
        source = work / "protokoll.docx"
        source.write_bytes(docx)
        profile = get_settings().var_dir / "libreoffice-profile"
        subprocess.run(
            [program, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", _PDFA_2B]
            + ["--outdir", str(work / "pdf"), str(source)],
            capture_output=True,
            timeout=300,
            check=False,
            env=libreoffice_env(),
        )
        pdf = work / "pdf" / "protokoll.pdf"
        data = pdf.read_bytes() if pdf.is_file() else b""
    if not is_pdfa(data):
        raise Conflict("libreoffice", "LibreOffice did not make a PDF/A of the protocol")
    return data


@contextmanager
def _scratch() -> Iterator[Path]:
    """The conversion's scratch folder, under var/ with this process's id; one a killed
    run left behind (its process gone) is removed first."""
    var = get_settings().var_dir
    for old in var.glob("pdfa-scratch-*"):
        pid = old.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    work = private_folder(var / f"pdfa-scratch-{os.getpid()}", "ARENDE_VAR_DIR")
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def archive_pending(limit: int | None = None) -> ArchiveResult:
    """Convert every document of an archived kind that has no PDF/A copy yet."""
    result = ArchiveResult()
    with session_scope() as session:
        stmt = (
            select(Document.id, Document.storage_path, Document.sha256, Document.file_name)
            .where(
                Document.kind.in_(ARCHIVED_KINDS),
                Document.storage_path.is_not(None),
                Document.archive_path.is_(None),
                Document.secrecy_provision.is_(None),
            )
            .order_by(Document.id)
        )
        candidates = session.execute(stmt.limit(limit) if limit else stmt).all()
    pending = []
    for doc_id, column, digest, name in candidates:
        path = stored_path(column)
        if path is None:  # selected with a stored file
            continue
        data = path.read_bytes() if path.is_file() else None
        if data is None:
            result.missing.append(f"{name or path} (handling {doc_id})")
        elif digest and hashlib.sha256(data).hexdigest() != digest:
            result.altered.append(f"{name or path} (handling {doc_id})")
        else:
            pending.append((doc_id, path))
    if not pending:
        return result
    program = libreoffice()
    if program is None:
        result.missing_libreoffice = True
        return result
    started = time.perf_counter()
    with _scratch() as work:
        sources = []
        for doc_id, path in pending:
            source = work / f"{doc_id}.docx"
            shutil.copyfile(str(path), source)
            sources.append(source)
        profile = get_settings().var_dir / "libreoffice-profile"
        # One process for the lot, with a profile of its own: a LibreOffice the user has
        # open does not take the conversion over (or block it).
        subprocess.run(
            [program, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", _PDFA_2B]
            + ["--outdir", str(work / "pdf"), *map(str, sources)],
            capture_output=True,
            timeout=600,
            check=False,
            env=libreoffice_env(),
        )
        for doc_id, path in pending:
            assert path is not None  # selected with a stored file
            pdf = work / "pdf" / f"{doc_id}.pdf"
            data = pdf.read_bytes() if pdf.is_file() else b""
            if not is_pdfa(data):
                result.failed.append(str(path))
                continue
            target = write_private(Path(path).with_suffix(".pdf"), data, "ARENDE_DOCUMENTS_DIR")
            with session_scope() as session:  # the file first, then the row that names it
                doc = session.get(Document, doc_id)
                if doc is not None and doc.archive_path is None:
                    doc.archive_path = stored_name(target)
                    result.converted += 1
    result.seconds = time.perf_counter() - started
    return result
