"""The package's preservation metadata: PREMIS 3, streamed. Each file an object with
its SHA-256, size and format; per file the events that made it what it is: its creation
(registration in the diarium), the migration of a PDF/A copy from its original by
LibreOffice, and the fixity check made when the package was written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FORMAT = {
    "application/pdf": "PDF/A-2b",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
}


def _el(xf: Any, name: str, text: str | None = None, children: list[tuple[str, str]] | None = None) -> None:
    from lxml import etree

    element = etree.Element(f"{{{PREMIS_NS}}}{name}")
    if text is not None:
        element.text = text
    for child, value in children or []:
        etree.SubElement(element, f"{{{PREMIS_NS}}}{child}").text = value
    xf.write(element)


def _event(xf: Any, event_id: str, kind: str, when: str, detail: str, outcome: str, objects: list[str]) -> None:
    with xf.element(f"{{{PREMIS_NS}}}event"):
        _el(xf, "eventIdentifier", children=[("eventIdentifierType", "local"), ("eventIdentifierValue", event_id)])
        _el(xf, "eventType", kind)
        _el(xf, "eventDateTime", when)
        _el(xf, "eventDetailInformation", children=[("eventDetail", detail)])
        _el(xf, "eventOutcomeInformation", children=[("eventOutcome", outcome)])
        _el(xf, "linkingAgentIdentifier", children=[("linkingAgentIdentifierType", "local"),
                                                     ("linkingAgentIdentifierValue", "arende")])  # fmt: skip
        for object_id in objects:
            _el(xf, "linkingObjectIdentifier", children=[("linkingObjectIdentifierType", "local"),
                                                          ("linkingObjectIdentifierValue", object_id)])  # fmt: skip


def write(path: Path, files: list[Any], *, created: dt.datetime) -> None:
    from lxml import etree

    path.parent.mkdir(parents=True, exist_ok=True)
    now = created.replace(microsecond=0).isoformat()
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{PREMIS_NS}}}premis", nsmap={"premis": PREMIS_NS, "xsi": XSI}, attrib={"version": "3.0"}):
            for f in files:
                with xf.element(f"{{{PREMIS_NS}}}object", attrib={f"{{{XSI}}}type": "premis:file"}):
                    _el(xf, "objectIdentifier", children=[("objectIdentifierType", "local"),
                                                          ("objectIdentifierValue", f.file_id)])  # fmt: skip
                    with xf.element(f"{{{PREMIS_NS}}}objectCharacteristics"):
                        _el(xf, "compositionLevel", "0")
                        _el(xf, "fixity", children=[("messageDigestAlgorithm", "SHA-256"), ("messageDigest", f.sha256)])
                        _el(xf, "size", str(f.size))
                        with xf.element(f"{{{PREMIS_NS}}}format"):
                            _el(xf, "formatDesignation", children=[("formatName", FORMAT.get(f.mimetype, f.mimetype))])
                    _el(xf, "originalName", f.path)
                xf.flush()
            for f in files:
                day = f.created.isoformat()
                if f.migrated_from:
                    _event(xf, f"E-{f.file_id}-migration", "migration", day,
                           "PDF/A-2b by LibreOffice (headless, arende archive)", "success",
                           [f.migrated_from, f.file_id])  # fmt: skip
                else:
                    _event(xf, f"E-{f.file_id}-creation", "creation", day,
                           "Registered in the diarium by Ärende", "success", [f.file_id])  # fmt: skip
                _event(xf, f"E-{f.file_id}-fixity", "fixity check", now,
                       "SHA-256 computed when the package was written", "success", [f.file_id])  # fmt: skip
                xf.flush()
            with xf.element(f"{{{PREMIS_NS}}}agent"):
                _el(
                    xf,
                    "agentIdentifier",
                    children=[("agentIdentifierType", "local"), ("agentIdentifierValue", "arende")],
                )
                _el(xf, "agentName", "Ärende")
                _el(xf, "agentType", "software")
