"""The package's preservation metadata: PREMIS 3, streamed. Each file an object with
its SHA-256, size and format; the events that made the files what they are: their
creation (registration in the diarium, one event per day), the migration of each PDF/A
copy from its original by LibreOffice, and the fixity check made when the package was
written (one event over every file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from arende.earchive.xmltext import XmlStream, esc

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FORMAT = {
    "application/pdf": "PDF/A-2b",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
}


# Each file's object and the events have one fixed shape: written from a template, the
# values escaped, rather than element by element (a third of the export's time before).
# Elements in the default namespace; the prefix is declared too, for xsi:type's value.
_OBJECT = (
    '<object xsi:type="premis:file"><objectIdentifier><objectIdentifierType>local</objectIdentifierType>'
    "<objectIdentifierValue>{id}</objectIdentifierValue></objectIdentifier>"
    "<objectCharacteristics><compositionLevel>0</compositionLevel>"
    "<fixity><messageDigestAlgorithm>SHA-256</messageDigestAlgorithm><messageDigest>{sha}</messageDigest></fixity>"
    "<size>{size}</size><format><formatDesignation><formatName>{fmt}</formatName></formatDesignation></format>"
    "</objectCharacteristics><originalName>{name}</originalName></object>"
)
_EVENT = (
    "<event><eventIdentifier><eventIdentifierType>local</eventIdentifierType>"
    "<eventIdentifierValue>{id}</eventIdentifierValue></eventIdentifier>"
    "<eventType>{kind}</eventType><eventDateTime>{when}</eventDateTime>"
    "<eventDetailInformation><eventDetail>{detail}</eventDetail></eventDetailInformation>"
    "<eventOutcomeInformation><eventOutcome>success</eventOutcome></eventOutcomeInformation>"
    "<linkingAgentIdentifier><linkingAgentIdentifierType>local</linkingAgentIdentifierType>"
    "<linkingAgentIdentifierValue>arende</linkingAgentIdentifierValue></linkingAgentIdentifier>"
)
_LINK = (
    "<linkingObjectIdentifier><linkingObjectIdentifierType>local</linkingObjectIdentifierType>"
    "<linkingObjectIdentifierValue>{}</linkingObjectIdentifierValue></linkingObjectIdentifier>"
)


def _event(xs: XmlStream, event_id: str, kind: str, when: str, detail: str, objects: list[str]) -> None:
    """One event and the objects it concerns; the links are written as they come, so an
    event over a hundred thousand files is never one string in memory."""
    xs.raw(_EVENT.format(id=esc(event_id), kind=kind, when=when, detail=detail))
    for start in range(0, len(objects), 1000):
        xs.raw("".join(_LINK.format(esc(o)) for o in objects[start : start + 1000]))
    xs.raw("</event>")


def write(path: Path, files: list[Any], *, created: dt.datetime) -> None:
    """The objects, then the events: a file's registration in the diarium (one event per
    day, linking the files registered that day), the migration of each PDF/A copy from its
    original, and the one fixity check of the whole package as it was written. (An event
    per file and kind made this document larger than the files it describes.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    now = created.replace(microsecond=0).isoformat()
    by_day: dict[dt.date, list[str]] = {}
    with XmlStream(path) as xs:
        xs.raw_open("premis", f' xmlns="{PREMIS_NS}" xmlns:premis="{PREMIS_NS}" xmlns:xsi="{XSI}" version="3.0"')
        for f in files:
            fmt = esc(FORMAT.get(f.mimetype, f.mimetype))
            xs.raw(_OBJECT.format(id=esc(f.file_id), sha=f.sha256, size=f.size, fmt=fmt, name=esc(f.path)))
            if not f.migrated_from:
                by_day.setdefault(f.created, []).append(f.file_id)
        for day in sorted(by_day):
            _event(xs, f"E-creation-{day.isoformat()}", "creation", day.isoformat(),
                   "Registered in the diarium by Ärende", by_day[day])  # fmt: skip
        for f in files:
            if f.migrated_from:
                _event(xs, f"E-{f.file_id}-migration", "migration", f.created.isoformat(),
                       "PDF/A-2b by LibreOffice (headless, arende archive)", [f.migrated_from, f.file_id])  # fmt: skip
        _event(xs, "E-fixity", "fixity check", now, "SHA-256 computed when the package was written",
               [f.file_id for f in files])  # fmt: skip
        with xs.element("agent"):
            xs.children("agentIdentifier", [("agentIdentifierType", "local"), ("agentIdentifierValue", "arende")])
            xs.leaf("agentName", "Ärende")
            xs.leaf("agentType", "software")
        xs.close_raw("premis")
