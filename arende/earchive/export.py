"""Delivery to the e-archive: an E-ARK SIP (CSIP 2.1.0 / SIP 2.1.0) of an organ's closed
errands of a year, or of one errand.

The package, a folder (or a .zip of it) named for the delivery:
- `METS.xml`: the package's map (CSIP), every file with its SHA-256 and size;
- `metadata/descriptive/ERMS.xml`: the errands in CITS ERMS v3 (arende.earchive.erms);
- `metadata/preservation/PREMIS.xml`: PREMIS 3 objects and events (the file's creation
  and registration, its migration to PDF/A by LibreOffice, the fixity check made now);
- `representations/rep1/data/<Dnr>_<nr>-<kind>.<ext>`: the original files and their
  PDF/A copies, in one folder, each name beginning with its errand's Dnr so they sort by
  errand. (A folder per errand made each file's creation three to four times dearer on
  ext4, bench/earchive.py: 20 000 new folders cost more than copying the files.)

Only closed errands are delivered; what is left out is said (open errands, files that
are missing or changed since they were registered). Everything is written as a stream,
file by file, so a large delivery needs no more memory than a small one; the same
delivery again writes the same package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.earchive import mets, premis
from arende.earchive.erms import ERMS_NS, ActionEntry, CaseEntry, FileRef, RecordEntry, write_case, write_control
from arende.earchive.xmltext import XmlStream
from arende.errors import InvalidInput
from arende.rules.workflow import ErrandStatus

CHUNK = 1024 * 1024
DATA = "representations/rep1/data"


@dataclass
class PackedFile:
    """One file in the package: for METS and PREMIS."""

    file_id: str
    path: str  # inside the package
    size: int
    sha256: str
    mimetype: str
    created: dt.date
    migrated_from: str | None = None  # the PDF/A copy: the file id of its original


@dataclass
class ExportResult:
    package: Path
    errands: int = 0
    meetings: int = 0
    files: int = 0
    disposals: int = 0  # gallring log rows delivered with it
    left_out: list[str] = field(default_factory=list)


def _copy_hashed(source: str, target: str) -> tuple[int, str]:
    """Copy a file in chunks, computing its SHA-256 as it goes (one read). Plain file
    descriptors: a delivery copies a hundred thousand small files, and the buffered file
    objects around each cost more than the copy."""
    digest, size = hashlib.sha256(), 0
    src = os.open(source, os.O_RDONLY)
    try:
        dst = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            while chunk := os.read(src, CHUNK):
                digest.update(chunk)
                view = memoryview(chunk)
                while view:
                    view = view[os.write(dst, view) :]
                size += len(chunk)
        finally:
            os.close(dst)
    finally:
        os.close(src)
    return size, digest.hexdigest()


def _source(value: str | None, documents: str) -> str | None:
    """A stored file's path from its column (relative to the documents folder), as a string."""
    if not value:
        return None
    return value if value.startswith("/") else f"{documents}/{value}"


def _slug(dnr: str) -> str:
    return dnr.replace(" ", "-")


MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".pdf": "application/pdf"}


def export(
    session: Session,
    *,
    organ: str,
    year: int | None,
    dnr: str | None,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the SIP for the organ's closed errands of `year` (or the one errand `dnr`)
    under `out`; returns what was written and what was left out."""
    from arende.services.common import get_errand, get_organ
    from arende.settings import get_settings
    from db.models import Errand

    organ_row = get_organ(session, organ)
    if dnr:
        errands = [get_errand(session, dnr)]
        if errands[0].organ_id != organ_row.id:
            raise InvalidInput("dnr", f"{dnr} is not an errand of {organ_row.code}")
        name = f"{_slug(errands[0].dnr)}"
    elif year is not None:
        errands = list(
            session.scalars(
                select(Errand).where(Errand.organ_id == organ_row.id, Errand.year == year).order_by(Errand.seq)
            )
        )
        name = f"{organ_row.code}-{year}"
    else:
        raise InvalidInput("year", "give the year to deliver (--year) or one errand (--dnr)")
    package = out / f"SIP-{name}"
    if package.exists():
        shutil.rmtree(package)  # the same delivery again: written anew, the same content
    (package / DATA).mkdir(parents=True, exist_ok=True)
    where = _Where(str(package), str(get_settings().effective_documents_dir))
    result = ExportResult(package=package)
    closed = [e for e in errands if e.status == ErrandStatus.CLOSED.value]
    result.left_out += [
        f"{e.dnr}: inte avslutat ({e.status})" for e in errands if e.status != ErrandStatus.CLOSED.value
    ]
    files: list[PackedFile] = []
    created = dt.datetime.now(dt.UTC)
    municipality = get_settings().municipality
    descriptive = package / "metadata" / "descriptive" / "ERMS.xml"
    descriptive.parent.mkdir(parents=True, exist_ok=True)
    meetings: dict[int, Any] = {}
    if progress:
        progress(0, len(closed))
    with XmlStream(descriptive) as xs:
        xs.raw_open("erms", f' xmlns="{ERMS_NS}"')
        write_control(xs, municipality=municipality, organ=organ_row.name, created=created)
        with xs.element("aggregations"):
            for start in range(0, len(closed), BATCH):
                batch = closed[start : start + BATCH]
                documents, decisions = _load(session, [e.id for e in batch])
                for errand in batch:
                    case = _case(errand, documents, decisions, where, files, result, meetings)
                    write_case(xs, case)
                    result.errands += 1
                session.expunge_all()  # a batch's rows go: memory stays flat however large the year
                if progress:
                    progress(result.errands, len(closed))
            from db.models import Meeting

            for meeting_id in meetings.values():
                meeting = session.get(Meeting, meeting_id)
                write_case(xs, _meeting_case(session, meeting, where, files, result))
                result.meetings += 1
        xs.close_raw("erms")
    result.files = len(files)
    documentation, result.disposals = _disposal_log(session, organ_row.code, package, name, created)
    premis_path = package / "metadata" / "preservation" / "PREMIS.xml"
    premis.write(premis_path, files, created=created)
    mets.write(
        package / "METS.xml",
        name=name,
        organ=organ_row.name,
        files=files,
        metadata=[
            ("descriptive", descriptive, package),
            ("preservation", premis_path, package),
        ],
        created=created,
        documentation=documentation,
    )
    return result


def _disposal_log(
    session: Session, organ: str, package: Path, name: str, created: dt.datetime
) -> tuple[list[PackedFile], int]:
    """The gallring log's rows not yet delivered, as a CSV in the package's documentation;
    each row then names the package it went with (delivered again in it, not in the next)."""
    import csv
    import io

    from arende.earchive.disposal import log_rows

    rows = [r for r in log_rows(session, organ) if r.delivered_in in (None, name)]
    if not rows:
        return [], 0
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(["dnr", "handling", "slag", "regel", "planversion", "beslut", "av", "tid", "sha256"])
    for r in rows:
        writer.writerow([r.dnr, r.document_number, r.kind or "", r.rule, r.plan_version, r.decision, r.who,
                         r.at.isoformat(), r.sha256 or ""])  # fmt: skip
        r.delivered_in = name
    target = package / "documentation" / "gallringslogg.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.getvalue().encode("utf-8")
    target.write_bytes(data)
    log = PackedFile("D1", "documentation/gallringslogg.csv", len(data), hashlib.sha256(data).hexdigest(),
                     "text/csv", created.date())  # fmt: skip
    return [log], len(rows)


def _pack(
    source: str | None,
    digest: str | None,
    rel: str,
    package: str,
    created: dt.date,
    files: list[PackedFile],
    result: ExportResult,
    what: str,
    migrated_from: str | None = None,
) -> PackedFile | None:
    target = f"{package}/{rel}"
    try:
        if source is None:
            raise FileNotFoundError(rel)
        size, sha = _copy_hashed(source, target)  # no stat first: the open says it (one call less per file)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        if os.path.exists(target):  # a folder where the file should be: nothing half-made stays
            os.unlink(target)
        result.left_out.append(f"{what}: filen saknas")
        return None
    if digest and sha != digest and migrated_from is None:
        os.unlink(target)
        result.left_out.append(f"{what}: filen har ändrats sedan den registrerades")
        return None
    packed = PackedFile(
        file_id=f"F{len(files) + 1}",
        path=rel,
        size=size,
        sha256=sha,
        mimetype=MIME.get(rel[rel.rfind(".") :].lower(), "application/octet-stream"),
        created=created,
        migrated_from=migrated_from,
    )
    files.append(packed)
    return packed


@dataclass
class _Where:
    """Where a delivery writes, as strings: the package folder and the documents folder."""

    package: str
    documents: str


def _record(
    doc: Any, owner: str, prefix: str, where: _Where, files: list[PackedFile], result: ExportResult
) -> RecordEntry:
    """A handling and its files; `prefix` is its errand's name in the data folder."""
    what = f"{owner}:{doc.number}"
    refs: list[FileRef] = []
    stem = f"{prefix}_{doc.number:03d}-{doc.kind or 'handling'}"
    original = None
    if doc.storage_path:
        dot, slash = doc.storage_path.rfind("."), doc.storage_path.rfind("/")
        suffix = doc.storage_path[dot:] if dot > slash + 1 else ".docx"
        original = _pack(_source(doc.storage_path, where.documents), doc.sha256, f"{DATA}/{stem}{suffix}",
                         where.package, doc.registered_on, files, result, what)  # fmt: skip
    if original is not None:
        name = doc.file_name or original.path.rsplit("/", 1)[1]
        refs.append(FileRef(original.path, name, suffix[1:]))
    if doc.archive_path:
        copy = _pack(_source(doc.archive_path, where.documents), None, f"{DATA}/{stem}.pdf", where.package,
                     doc.registered_on, files, result, f"{what} (PDF/A)",
                     migrated_from=original.file_id if original else None)  # fmt: skip
        if copy is not None:
            base = os.path.splitext(doc.file_name)[0] if doc.file_name else stem.split("_", 1)[1]
            refs.append(FileRef(copy.path, f"{base}.pdf", "pdf"))
    return RecordEntry(
        object_id=what,
        number=doc.number,
        title=doc.description,
        direction=doc.direction,
        registered_on=doc.registered_on,
        counterpart=doc.counterpart,
        kind=doc.kind or "",
        secrecy=doc.secrecy_provision,
        files=refs,
    )


BATCH = 500


def _load(session: Session, ids: list[int]) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """The batch's handlingar and decisions, two queries for the lot."""
    from db.models import Decision, Document

    documents: dict[int, list[Any]] = {i: [] for i in ids}
    # Plain rows, not mapped objects: the columns a record needs, a third of the cost.
    columns = (Document.errand_id, Document.number, Document.kind, Document.storage_path, Document.archive_path,
               Document.sha256, Document.file_name, Document.registered_on, Document.description, Document.direction,
               Document.counterpart, Document.secrecy_provision)  # fmt: skip
    for doc in session.execute(select(*columns).where(Document.errand_id.in_(ids)).order_by(Document.number)):
        documents[doc.errand_id or 0].append(doc)
    decisions: dict[int, list[Any]] = {i: [] for i in ids}
    for decision in session.scalars(select(Decision).where(Decision.errand_id.in_(ids))):
        decisions[decision.errand_id or 0].append(decision)
    return documents, decisions


def _case(
    errand: Any,
    documents: dict[int, list[Any]],
    decisions: dict[int, list[Any]],
    where: _Where,
    files: list[PackedFile],
    result: ExportResult,
    meetings: dict[int, Any],
) -> CaseEntry:
    dnr = errand.dnr  # a property that parses and formats: once per errand
    prefix = _slug(dnr)
    case = CaseEntry(
        object_id=dnr,
        system_id=f"errand-{errand.id}",
        title=errand.title,
        status="closed",
        classification=errand.classification_code,
        opened=errand.registered_on,
        closed=errand.closed_at.date() if errand.closed_at else None,
        officer=errand.officer,
        counterpart=errand.counterpart,
        kind="caseFile",
    )
    for decision in decisions[errand.id]:
        meeting = decision.meeting
        meetings.setdefault(meeting.id, meeting.id)
        case.actions.append(
            ActionEntry(
                text=f"{meeting.organ.code} {meeting.held_on.isoformat()} § {decision.paragraph}",
                decided_on=meeting.held_on,
                outcome=decision.outcome,
            )
        )
    for doc in documents[errand.id]:
        case.records.append(_record(doc, dnr, prefix, where, files, result))
    return case


def _meeting_case(
    session: Session, meeting: Any, where: _Where, files: list[PackedFile], result: ExportResult
) -> CaseEntry:
    from db.models import Document

    label = f"{meeting.organ.code} {meeting.held_on.isoformat()}"
    prefix = f"sammantrade-{meeting.organ.code}-{meeting.held_on.isoformat()}"
    case = CaseEntry(
        object_id=f"Sammanträde {label}",
        system_id=f"meeting-{meeting.id}",
        title=f"Sammanträde {meeting.organ.name} {meeting.held_on.isoformat()}",
        status="closed" if meeting.justerad_on else "in_progress",
        classification=None,
        opened=meeting.held_on,
        closed=meeting.justerad_on,
        officer=meeting.secretary,
        counterpart=None,
        kind="file",
    )
    for doc in session.scalars(select(Document).where(Document.meeting_id == meeting.id).order_by(Document.number)):
        case.records.append(_record(doc, f"Sammanträde {label}", prefix, where, files, result))
    return case


def zip_package(package: Path) -> Path:
    """The package as one .zip beside it, METS.xml at its root."""
    archive = shutil.make_archive(str(package), "zip", root_dir=package)
    return Path(archive)
