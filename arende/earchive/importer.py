"""Taking a legacy diarium in: E-ARK packages with CITS ERMS (ours, or another system's
export in the standard's shape) become closed errands in the diarium, with their
handlingar and files, keeping their Dnr.

A package is read whole before anything is written: METS's checksums against the files,
the ERMS against ERMS_v3.xsd, every Dnr parsed and its organ known. Then, in one
transaction: each errand new is registered as closed (no flow runs for it), one already
here with the same content is left as it is, one here with other content stops the
import naming its Dnr. The diary numbering continues after the highest imported number
per organ and year. Parsing refuses external entities and the network (XXE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.earchive.erms import ERMS_NS
from arende.earchive.locate import Locator
from arende.errors import Conflict, InvalidInput

SCHEMA = Path(__file__).parent / "schemas" / "ERMS_v3.xsd"
NS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink", "erms": ERMS_NS}
DIRECTION = {"incoming": "incoming", "outgoing": "outgoing"}  # anything else was drawn up here
MAX_MEMBERS = 500_000


@dataclass
class ImportedRecord:
    number: int
    title: str
    direction: str
    registered_on: dt.date
    counterpart: str
    kind: str | None
    secrecy: str | None
    original: Path | None = None
    original_name: str | None = None
    pdf: Path | None = None


@dataclass
class ImportedCase:
    dnr: Any  # arende.rules.dnr.Dnr
    title: str
    classification: str | None
    opened: dt.date
    closed: dt.date | None
    officer: str | None
    counterpart: str | None
    actions: list[str] = field(default_factory=list)
    records: list[ImportedRecord] = field(default_factory=list)


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The package's root folder: the folder itself, or a .zip unpacked to a scratch
    folder (members with absolute or parent paths refused)."""
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise InvalidInput("path", f"{path} is neither a package folder nor a .zip")
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory(prefix="arende-import-") as tmp:
            names = archive.namelist()
            if len(names) > MAX_MEMBERS or any(n.startswith("/") or ".." in Path(n).parts for n in names):
                raise InvalidInput("path", f"{path.name} holds paths outside the package; not imported")
            archive.extractall(tmp)
            yield Path(tmp)
    except zipfile.BadZipFile:
        raise InvalidInput("path", f"{path.name} is not a readable .zip (cut short or damaged)") from None


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise InvalidInput("package", f"{text.strip()[:30]!r} is not a date") from None


def read_package(root: Path) -> list[ImportedCase]:
    """The package's errands, checked: METS checksums, ERMS schema, every Dnr."""
    from lxml import etree

    mets_path = root / "METS.xml"
    if not mets_path.is_file():
        raise InvalidInput("package", "has no METS.xml at its root; not an E-ARK package")
    try:
        mets = etree.parse(str(mets_path), _parser())
    except etree.XMLSyntaxError as exc:
        raise InvalidInput("package", f"METS.xml is not well-formed XML ({exc.msg})") from None
    in_package = Locator(root, root)
    for entry in [*mets.iterfind(".//mets:file", NS), *mets.iterfind(".//mets:mdRef", NS)]:
        _check_file(in_package, entry)
    refs = [r for r in mets.iterfind(".//mets:dmdSec/mets:mdRef", NS) if r.get("OTHERMDTYPE", "").upper() == "ERMS"]
    if not refs:
        raise InvalidInput("package", "METS names no ERMS descriptive metadata (dmdSec mdRef OTHERMDTYPE='ERMS')")
    erms_path = root / refs[0].get(f"{{{NS['xlink']}}}href", "")
    try:
        erms = etree.parse(str(erms_path), _parser())
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InvalidInput("package", f"its ERMS cannot be read ({exc})") from None
    schema = etree.XMLSchema(etree.parse(str(SCHEMA), _parser()))
    if not schema.validate(erms):
        first = schema.error_log[0]
        raise InvalidInput("package", f"its ERMS is not valid CITS ERMS v3 (line {first.line}: {first.message})")
    locate = Locator(root, erms_path.parent)
    return [
        _case(aggregation, locate)
        for aggregation in erms.iterfind(".//erms:aggregation[@aggregationType='caseFile']", NS)
    ]


def _check_file(locate: Locator, entry: Any) -> None:
    href = next((el.get(f"{{{NS['xlink']}}}href") for el in [entry, *entry] if el.get(f"{{{NS['xlink']}}}href")), None)
    if not href:
        return
    path = locate(href)
    if path is None:
        raise InvalidInput("package", f"METS lists {href}, which is not in the package")
    kind = (entry.get("CHECKSUMTYPE") or "").upper().replace("-", "")
    if kind in ("SHA256", "MD5") and entry.get("CHECKSUM"):
        digest = hashlib.new("sha256" if kind == "SHA256" else "md5")
        with path.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
        if digest.hexdigest().lower() != entry.get("CHECKSUM").lower():
            raise InvalidInput("package", f"{href} does not match its checksum in METS; the package is damaged")


def _text(element: Any, path: str) -> str | None:
    found = element.find(path, NS)
    return " ".join(found.text.split()) if found is not None and found.text else None


def _agent(element: Any, types: tuple[str, ...]) -> str | None:
    for agent in element.iterfind("erms:agents/erms:agent", NS):
        if agent.get("agentType") in types:
            return _text(agent, "erms:name")
    return None


def _dated(element: Any, kind: str) -> dt.date | None:
    for date in element.iterfind("erms:dates/erms:date", NS):
        if date.get("dateType") == kind:
            return _date(date.text)
    return None


def _case(aggregation: Any, locate: Locator) -> ImportedCase:
    from arende.rules.dnr import Dnr

    object_id = _text(aggregation, "erms:objectId") or ""
    dnr = Dnr.parse(object_id)
    classification = aggregation.find("erms:classification", NS)
    opened = _dated(aggregation, "created") or _dated(aggregation, "opened")
    if opened is None:
        raise InvalidInput("package", f"{object_id}: the errand has no created (opened) date")
    case = ImportedCase(
        dnr=dnr,
        title=_text(aggregation, "erms:title") or object_id,
        classification=(classification.get("classificationCode") if classification is not None else None) or dnr.code,
        opened=opened,
        closed=_dated(aggregation, "closed"),
        officer=_agent(aggregation, ("responsible_person",)),
        counterpart=_agent(aggregation, ("counterpart",)),
        actions=[a for a in (_text(x, "erms:actionText") for x in aggregation.iterfind("erms:action", NS)) if a],
    )
    for n, record in enumerate(aggregation.iterfind("erms:record", NS), start=1):
        case.records.append(_record(record, n, object_id, locate, opened))
    return case


def _record(record: Any, n: int, owner: str, locate: Locator, opened: dt.date) -> ImportedRecord:
    number_text = _text(record, "erms:runningNumber")
    direction_el = record.find("erms:direction", NS)
    direction = DIRECTION.get(direction_el.get("directionDefinition") if direction_el is not None else "", "drawn_up")
    restriction = record.find("erms:restriction[@restrictionType='confidential']", NS)
    out = ImportedRecord(
        number=int(number_text) if number_text and number_text.isdigit() else n,
        title=_text(record, "erms:title") or f"Handling {n}",
        direction=direction,
        registered_on=_dated(record, "created") or opened,
        counterpart=_agent(record, ("sender", "recipient", "creator", "counterpart")) or "",
        kind=record.get("recordType"),
        secrecy=_text(restriction, "erms:regulation") if restriction is not None else None,
    )
    for appendix in record.iterfind("erms:additionalInformation/erms:appendix", NS):
        href = appendix.get("path") or ""
        path = locate(href)
        if path is None:
            raise InvalidInput("package", f"{owner}: the file {href} of handling {out.number} is not in the package")
        if path.suffix.lower() == ".pdf" and out.original is not None:
            out.pdf = path
        elif out.original is None:
            out.original, out.original_name = path, appendix.get("name") or path.name
        else:
            out.pdf = out.pdf or path
    return out


def fingerprint(title: str, records: list[tuple[int, str | None]]) -> str:
    """What an errand is, to tell a re-import from a different errand under the same Dnr."""
    return hashlib.sha256(repr((title, sorted(records))).encode()).hexdigest()


def import_package(
    session: Session, path: Path, *, who: str | None = None, progress: Callable[[str, int, int], None] | None = None
) -> ImportResult:
    """Import the package at `path` (folder or .zip): all of it, or nothing. `progress`
    hears (phase, done, total): the package checked, then the errands written."""
    with opened(path) as root:
        if progress:
            progress("kontrollerar paketet", 0, 0)
        cases = read_package(root)
        return _write(session, cases, path.name, who, progress)


def _put(documents: Path, folder: str, name: str, data: bytes, made: set[Path]) -> str:
    """An imported file into the documents folder, owner-only. A bulk import writes tens
    of thousands: no fsync each (a crash rolls the transaction back and leaves only files
    no row names, which the next import writes again)."""
    from arende.files import FILE_MODE, FOLDER_MODE

    target = documents / folder / name
    if target.parent not in made:
        target.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        made.add(target.parent)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return f"{folder}/{name}"


def _write(
    session: Session,
    cases: list[ImportedCase],
    source: str,
    who: str | None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    from arende.services.common import get_organ
    from arende.services.diary import continue_sequence
    from arende.settings import get_settings
    from db.models import ClassificationCode, DiarySequence, Document, Errand

    result = ImportResult()
    highest: dict[tuple[str, int], int] = {}
    documents_dir = get_settings().effective_documents_dir
    made: set[Path] = set()
    organs = {prefix: get_organ(session, prefix) for prefix in {c.dnr.prefix for c in cases}}
    codes = set(session.scalars(select(ClassificationCode.code)))
    keys = {(c.dnr.prefix, c.dnr.year) for c in cases}
    present = {
        (e.prefix, e.year, e.seq): e
        for prefix, year in keys
        for e in session.scalars(select(Errand).where(Errand.prefix == prefix, Errand.year == year))
    }
    new: list[tuple[ImportedCase, Errand, list[tuple[ImportedRecord, bytes | None, str | None]]]] = []
    for n, case in enumerate(cases, start=1):
        if progress and (n % 100 == 0 or n == len(cases)):
            progress("ärenden", n, len(cases))
        dnr = case.dnr
        contents = [(r, r.original.read_bytes() if r.original else None) for r in case.records]
        shas = [hashlib.sha256(data).hexdigest() if data is not None else None for _, data in contents]
        mine = fingerprint(case.title, [(r.number, sha) for (r, _), sha in zip(contents, shas, strict=True)])
        existing = present.get((dnr.prefix, dnr.year, dnr.seq))
        if existing is not None:
            documents = session.scalars(select(Document).where(Document.errand_id == existing.id))
            if fingerprint(existing.title, [(d.number, d.sha256) for d in documents]) != mine:
                raise Conflict(
                    "dnr",
                    f"{dnr.base} is already in the diarium with other content; nothing was imported",
                    sv=f"{dnr.base} finns redan i diariet med annat innehåll; inget importerades",
                )
            result.unchanged.append(dnr.base)
            continue
        errand = Errand(
            organ_id=organs[dnr.prefix].id,
            errand_type="imported",
            prefix=dnr.prefix,
            year=dnr.year,
            seq=dnr.seq,
            classification_code=case.classification if case.classification in codes else None,
            title=case.title[:500],
            status="closed",
            registered_on=case.opened,
            officer=case.officer,
            counterpart=case.counterpart,
            closed_at=dt.datetime.combine(case.closed or case.opened, dt.time(12), dt.UTC),
            details={"imported_from": source, "actions": case.actions, "classification": case.classification},
        )
        session.add(errand)
        new.append((case, errand, [(r, data, sha) for (r, data), sha in zip(contents, shas, strict=True)]))
        present[(dnr.prefix, dnr.year, dnr.seq)] = errand
        key = (dnr.prefix, dnr.year)
        highest[key] = max(highest.get(key, 0), dnr.seq)
        if len(new) >= 500:
            _documents(session, new, documents_dir, made, organs, source, who, result)
            new = []
    _documents(session, new, documents_dir, made, organs, source, who, result)
    for (prefix, year), seq in highest.items():
        row = session.get(DiarySequence, (prefix, year))
        if row is None or row.last_seq < seq:
            continue_sequence(session, prefix, year, seq + 1)
    return result


def _documents(
    session: Session,
    batch: list[Any],
    documents_dir: Path,
    made: set[Path],
    organs: dict[str, Any],
    source: str,
    who: str | None,
    result: ImportResult,
) -> None:
    """A batch of new errands flushed at once (their ids), then their handlingar."""
    from arende.services.common import audit
    from db.models import Document

    if not batch:
        return
    session.flush()
    for case, errand, records in batch:
        organ = organs[case.dnr.prefix]
        for record, data, sha in records:
            stored = archive = None
            kind = record.kind or "handling"
            if data is not None and sha is not None:
                suffix = record.original.suffix if record.original is not None else ".bin"
                stored = _put(documents_dir, case.dnr.slug, f"{kind}-{sha[:16]}{suffix}", data, made)
            if record.pdf is not None:
                pdf = record.pdf.read_bytes()
                pdf_sha = hashlib.sha256(pdf).hexdigest()
                archive = _put(documents_dir, case.dnr.slug, f"{kind}-pdfa-{pdf_sha[:16]}.pdf", pdf, made)
            session.add(
                Document(
                    errand_id=errand.id,
                    number=record.number,
                    registered_on=record.registered_on,
                    direction=record.direction,
                    counterpart=record.counterpart or organ.name,
                    description=record.title[:500],
                    secrecy_provision=record.secrecy,
                    secrecy_date=record.registered_on if record.secrecy else None,
                    secrecy_authority=organ.name if record.secrecy else None,
                    kind=record.kind,
                    file_name=record.original_name,
                    storage_path=stored,
                    archive_path=archive,
                    sha256=sha,
                )
            )
        audit(session, "errand.imported", errand_id=errand.id, after={"dnr": case.dnr.base, "from": source}, who=who)
        result.imported.append(case.dnr.base)
    session.flush()
