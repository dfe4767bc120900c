"""The errands of a delivery as one CITS ERMS v3 document (the package's descriptive
metadata), written as a stream so a year of a large organ's errands never sits in
memory at once.

The mapping (measured against ERMS_v3.xsd, see ../shared/standards/README.md):
- `control`: the municipality and the organ as archival creator, the classification
  scheme (KLASSA) declared once;
- each errand an `aggregation` of type caseFile: the Dnr as `objectId`, title, status,
  its classification code, the officer and the counterpart as agents, opened (registered)
  and closed dates, each decision as an `action` ("ALN 2022-02-15 § 14", decision date,
  outcome), each handling a `record`;
- each handling a `record`: its Dnr and number, direction, date, counterpart, the file
  (and its PDF/A copy) as `appendix` in additionalInformation, secrecy as `restriction`
  of type confidential with its provision ("OSL 26 kap. 1 §");
- each meeting of the organ in the delivery its own aggregation (type file): the
  protokoll, kallelse and anslag concern every errand decided there, so they are kept
  once, with the meeting, and each errand's action names the meeting's §.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

ERMS_NS = "https://DILCIS.eu/XML/ERMS"
SCHEME_ID = "KLASSA"

DIRECTION = {"incoming": "incoming", "outgoing": "outgoing", "drawn_up": "internal_memo_without_follow-up"}


@dataclass
class FileRef:
    """A file as the package holds it: its path inside the package and its name."""

    path: str
    name: str
    fmt: str  # "docx", "pdf"


@dataclass
class RecordEntry:
    object_id: str  # "ALN 2022-00014:3"
    number: int
    title: str
    direction: str
    registered_on: dt.date
    counterpart: str
    kind: str
    secrecy: str | None
    files: list[FileRef] = field(default_factory=list)


@dataclass
class ActionEntry:
    text: str  # "ALN 2022-02-15 § 14"
    decided_on: dt.date
    outcome: str


@dataclass
class CaseEntry:
    object_id: str  # the Dnr
    system_id: str
    title: str
    status: str
    classification: str | None
    opened: dt.date
    closed: dt.date | None
    officer: str | None
    counterpart: str | None
    kind: str  # "caseFile" or "file" (a meeting)
    actions: list[ActionEntry] = field(default_factory=list)
    records: list[RecordEntry] = field(default_factory=list)


def _el(xf: Any, tag: str, text: str | None = None, **attrs: str) -> None:
    from lxml import etree

    element = etree.Element(f"{{{ERMS_NS}}}{tag}", attrib={k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    xf.write(element)


@contextmanager
def _open(xf: Any, tag: str, **attrs: str) -> Iterator[None]:
    with xf.element(f"{{{ERMS_NS}}}{tag}", attrib={k: v for k, v in attrs.items() if v is not None}):
        yield


def _dates(xf: Any, pairs: list[tuple[str, dt.date | None]], tag: str = "date") -> None:
    present = [(t, d) for t, d in pairs if d is not None]
    if not present:
        return
    with _open(xf, "dates"):
        for date_type, day in present:
            # xs:dateTime: a day is its start, in Swedish time as the diarium keeps it.
            _el(xf, tag, f"{day.isoformat()}T00:00:00", dateType=date_type)  # type: ignore[union-attr]


def _agent(xf: Any, agent_type: str, name: str) -> None:
    with _open(xf, "agent", agentType=agent_type):
        _el(xf, "name", name)


def write_control(xf: Any, *, municipality: str, organ: str, created: dt.datetime) -> None:
    with _open(xf, "control"):
        _el(xf, "identification", municipality, identificationType="archivalCreator")
        _el(xf, "identification", organ, identificationType="organisationalUnit")
        with _open(xf, "classificationSchema", classificationSchemaId=SCHEME_ID, classificationSchemaStatus="current"):
            with _open(xf, "textualDescriptionOfClassificationSchema"):
                _el(xf, "p", "KLASSA, SKR:s klassificeringsstruktur för kommunal verksamhet (processbaserad)")
        with _open(xf, "maintenanceInformation"):
            _el(xf, "maintenanceStatus", value="new")
            with _open(xf, "maintenanceAgency"):
                _el(xf, "agencyName", municipality)
            with _open(xf, "maintenanceHistory"):
                with _open(xf, "maintenanceEvent"):
                    _el(xf, "eventType", value="created")
                    _el(xf, "eventDateTime", created.replace(microsecond=0).isoformat())
                    _agent(xf, "creator", "Ärende")


def write_case(xf: Any, case: CaseEntry) -> None:
    with _open(xf, "aggregation", systemIdentifier=case.system_id, aggregationType=case.kind):
        _el(xf, "objectId", case.object_id)
        if case.classification:
            _el(xf, "classification", classificationCode=case.classification)
        _el(xf, "title", case.title)
        _el(xf, "status", value=case.status)
        agents = [("responsible_person", case.officer), ("counterpart", case.counterpart)]
        if any(name for _, name in agents):
            with _open(xf, "agents"):
                for agent_type, name in agents:
                    if name:
                        _agent(xf, agent_type, name)
        _dates(xf, [("created", case.opened), ("closed", case.closed)])
        for action in case.actions:
            with _open(xf, "action"):
                _el(xf, "actionText", action.text)
                _el(xf, "actionType", action.outcome)
                _dates(xf, [("decision_date", action.decided_on)], tag="actionDate")
        for record in case.records:
            write_record(xf, record)


def write_record(xf: Any, record: RecordEntry) -> None:
    with _open(xf, "record", systemIdentifier=record.object_id, recordType=record.kind or "document"):
        _el(xf, "objectId", record.object_id)
        _el(xf, "title", record.title)
        _el(xf, "runningNumber", str(record.number))
        if record.secrecy:
            with _open(xf, "restriction", restrictionType="confidential"):
                _el(xf, "explanatoryText", "Sekretess enligt offentlighets- och sekretesslagen")
                _el(xf, "regulation", record.secrecy)
        _el(xf, "direction", directionDefinition=DIRECTION.get(record.direction, "other"))
        if record.counterpart:
            with _open(xf, "agents"):
                agent_type = "sender" if record.direction == "incoming" else "recipient"
                if record.direction == "drawn_up":
                    agent_type = "creator"
                _agent(xf, agent_type, record.counterpart)
        _dates(xf, [("created", record.registered_on)])
        if record.files:
            with _open(xf, "additionalInformation"):
                for f in record.files:
                    _el(xf, "appendix", name=f.name, path=f.path, fileFormat=f.fmt)
