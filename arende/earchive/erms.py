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
from dataclasses import dataclass, field

from arende.earchive.xmltext import XmlStream, esc

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


def _dates(xs: XmlStream, pairs: list[tuple[str, dt.date | None]], tag: str = "date") -> None:
    present = [(t, d) for t, d in pairs if d is not None]
    if not present:
        return
    with xs.element("dates"):
        for date_type, day in present:
            # xs:dateTime: a day is its start, in Swedish time as the diarium keeps it.
            xs.leaf(tag, f"{day.isoformat()}T00:00:00", dateType=date_type)  # type: ignore[union-attr]


def _agent(xs: XmlStream, agent_type: str, name: str) -> None:
    with xs.element("agent", agentType=agent_type):
        xs.leaf("name", name)


def write_control(xs: XmlStream, *, municipality: str, organ: str, created: dt.datetime) -> None:
    with xs.element("control"):
        xs.leaf("identification", municipality, identificationType="archivalCreator")
        xs.leaf("identification", organ, identificationType="organisationalUnit")
        with xs.element("classificationSchema", classificationSchemaId=SCHEME_ID, classificationSchemaStatus="current"):
            with xs.element("textualDescriptionOfClassificationSchema"):
                xs.leaf("p", "KLASSA, SKR:s klassificeringsstruktur för kommunal verksamhet (processbaserad)")
        with xs.element("maintenanceInformation"):
            xs.leaf("maintenanceStatus", value="new")
            with xs.element("maintenanceAgency"):
                xs.leaf("agencyName", municipality)
            with xs.element("maintenanceHistory"):
                with xs.element("maintenanceEvent"):
                    xs.leaf("eventType", value="created")
                    xs.leaf("eventDateTime", created.replace(microsecond=0).isoformat())
                    _agent(xs, "creator", "Ärende")


def write_case(xs: XmlStream, case: CaseEntry) -> None:
    with xs.element("aggregation", systemIdentifier=case.system_id, aggregationType=case.kind):
        xs.leaf("objectId", case.object_id)
        if case.classification:
            xs.leaf("classification", classificationCode=case.classification)
        xs.leaf("title", case.title)
        xs.leaf("status", value=case.status)
        agents = [("responsible_person", case.officer), ("counterpart", case.counterpart)]
        if any(name for _, name in agents):
            with xs.element("agents"):
                for agent_type, name in agents:
                    if name:
                        _agent(xs, agent_type, name)
        _dates(xs, [("created", case.opened), ("closed", case.closed)])
        for action in case.actions:
            with xs.element("action"):
                xs.leaf("actionText", action.text)
                xs.leaf("actionType", action.outcome)
                _dates(xs, [("decision_date", action.decided_on)], tag="actionDate")
        for record in case.records:
            write_record(xs, record)


def write_record(xs: XmlStream, record: RecordEntry) -> None:
    """One handling, built as one string (there is one per handling, a hundred thousand in
    a large delivery): the same elements, in the schema's order, as the helpers write."""
    oid = esc(record.object_id)
    parts = [
        f'<record systemIdentifier="{oid}" recordType="{esc(record.kind or "document")}">',
        f"<objectId>{oid}</objectId><title>{esc(record.title)}</title>",
        f"<runningNumber>{record.number}</runningNumber>",
    ]
    if record.secrecy:
        parts.append(
            '<restriction restrictionType="confidential"><explanatoryText>Sekretess enligt offentlighets- och '
            f"sekretesslagen</explanatoryText><regulation>{esc(record.secrecy)}</regulation></restriction>"
        )
    parts.append(f'<direction directionDefinition="{DIRECTION.get(record.direction, "other")}"/>')
    if record.counterpart:
        agent_type = "sender" if record.direction == "incoming" else "recipient"
        if record.direction == "drawn_up":
            agent_type = "creator"
        parts.append(f'<agents><agent agentType="{agent_type}"><name>{esc(record.counterpart)}</name></agent></agents>')
    if record.registered_on is not None:
        parts.append(f'<dates><date dateType="created">{record.registered_on.isoformat()}T00:00:00</date></dates>')
    if record.files:
        parts.append("<additionalInformation>")
        for f in record.files:
            parts.append(f'<appendix name="{esc(f.name)}" path="{esc(f.path)}" fileFormat="{esc(f.fmt)}"/>')
        parts.append("</additionalInformation>")
    parts.append("</record>")
    xs.raw("".join(parts))
