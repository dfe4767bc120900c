"""The meeting's commands of the vocabulary: what the secretary records about a
sammanträde, from the plan to corrections after justering. Same rules as
arende.commands.vocabulary: one typed model per fact, the doors adapt them.

Pure: pydantic and the standard library only, strict under mypy.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import Field, field_validator

from arende.commands.fields import (
    Appeal,
    Code,
    Command,
    Day,
    DnrText,
    Email,
    Line,
    LongText,
    Name,
    OrganCode,
    Outcome,
    Title,
    cli,
    rule,
)
from arende.rules.workflow import Choice, EntryKind, ItemKind, Role

_ORGAN = Field(title="Organ", description="Registerprefix, t.ex. ALN", json_schema_extra=cli(argument=True))
_DATE = Field(title="Sammanträde", description="Sammanträdesdatum", json_schema_extra=cli(argument=True))
_PEOPLE = 60  # more than any committee seats


def _time(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value.strip().replace(".", ":"), "%H:%M").strftime("%H:%M")
    except ValueError:
        raise rule(f"{value[:20]!r} is not a time such as 13:15", f"{value[:20]!r} är inte en tid som 13.15") from None


class MeetingPlan(Command):
    """Lägg in ett sammanträde i sammanträdesplanen (eller ändra tid och plats före det)."""

    verb = ("meeting", "plan")
    title_sv = "Planera sammanträde"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    time: Code | None = Field(default=None, title="Tid", description="Klockslag, t.ex. 13.15")
    place: Line | None = Field(default=None, title="Plats", description="Plats, t.ex. Sessionssalen")
    justering: Line | None = Field(
        default=None, title="Justering", description="Justeringens tid och plats som fri text (hellre dag och plats)"
    )
    justering_days: int | None = Field(
        default=None, ge=0, le=14, title="Justering dagar efter", description="Regeln: justering så många dagar efter"
    )
    justering_date: Day | None = Field(default=None, title="Justeringsdag", description="Dagen för justering")
    justering_time: Code | None = Field(default=None, title="Justeringstid", description="Klockslag, t.ex. 10.00")
    justering_place: Line | None = Field(
        default=None, title="Justeringsplats", description="Var protokollet justeras, t.ex. Arbetslivsförvaltningen"
    )

    _valid_time = field_validator("time", "justering_time")(_time)


class MeetingHeld(Command):
    """Registrera sammanträdets gång: val av justerare, godkänd föredragningslista, sluttid och ajourneringar."""

    verb = ("meeting", "held")
    title_sv = "Sammanträdets gång"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    justerare: list[Name] = Field(
        default_factory=list, max_length=10, title="Justerare", description="Utsedda att justera (upprepa)"
    )
    agenda_approved: bool = Field(
        default=False, title="Föredragningslistan godkänd", description="Föredragningslistan godkändes"
    )
    ends: Code | None = Field(default=None, title="Sluttid", description="När sammanträdet avslutades, t.ex. 15.40")
    adjourned: list[Code] = Field(
        default_factory=list, max_length=10, title="Ajournering", description="Ajournering, t.ex. 14.30-14.45 (upprepa)"
    )

    _valid_time = field_validator("ends")(_time)


class MeetingCancel(Command):
    """Ställ in ett planerat eller kallat sammanträde."""

    verb = ("meeting", "cancel")
    title_sv = "Ställ in sammanträde"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    reason: Line = Field(title="Skäl", description="Varför sammanträdet ställs in")


class MemberAdd(Command):
    """Registrera en ledamot eller ersättare i ett organ, med parti och roll, från ett datum."""

    verb = ("member", "add")
    title_sv = "Ledamot eller ersättare"
    moves_errands = False
    organ: OrganCode = _ORGAN
    name: Name = Field(title="Namn", description="För- och efternamn")
    role: Role = Field(title="Roll", description="Roll i organet")
    party: Code | None = Field(default=None, max_length=20, title="Parti", description="Partibeteckning, t.ex. S")
    email: Email | None = Field(default=None, title="E-post", description="E-post för kallelser")
    valid_from: Day = Field(title="Från", description="Första dag", json_schema_extra={"cli_name": "from"})
    valid_to: Day | None = Field(
        default=None, title="Till", description="Sista dag (tomt: tills vidare)", json_schema_extra={"cli_name": "to"}
    )
    order: int | None = Field(
        default=None,
        ge=1,
        le=999,
        title="Tjänstgöringsordning",
        description="En ersättares plats i tjänstgöringsordningen (1 först), efter partiets egna",
    )


class AgendaBuild(Command):
    """Bygg föredragningslistan: ärenden som är klara för beslut, anmälningsärenden och delegationsbeslut."""

    verb = ("meeting", "agenda")
    title_sv = "Föredragningslista"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE


class AgendaAdd(Command):
    """Lägg till en punkt på föredragningslistan: ett ärende, information eller val."""

    verb = ("meeting", "item")
    title_sv = "Punkt på föredragningslistan"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    kind: ItemKind = Field(default=ItemKind.BESLUT, title="Slag", description="Slag av punkt")
    dnr: DnrText | None = Field(default=None, title="Dnr", description="Ärendets Dnr (för beslutsärenden)")
    heading: Title | None = Field(default=None, title="Rubrik", description="Rubrik (standard: ärendemeningen)")
    proposed: LongText | None = Field(default=None, title="Förslag till beslut", description="Förslag till beslut")


class AgendaMove(Command):
    """Flytta en punkt på föredragningslistan."""

    verb = ("meeting", "move")
    title_sv = "Flytta punkt"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    item: int = Field(ge=1, le=999, title="Punkt", description="Punktens nummer")
    to: int = Field(ge=1, le=999, title="Till", description="Ny plats")


class SendKallelse(Command):
    """Skicka kallelsen med föredragningslistan till ledamöter och ersättare (en gång per version)."""

    verb = ("meeting", "kallelse")
    title_sv = "Kallelse"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    sent: Day | None = Field(default=None, title="Skickas", description="Datum (standard: i dag)")
    out: Path | None = Field(default=None, title="Fil", description="Skriv också kallelsen till denna fil")


class RecordAttendance(Command):
    """Registrera närvaron: ledamöter, tjänstgörande ersättare, ersättare och övriga (ersätter listan)."""

    verb = ("meeting", "attendance")
    title_sv = "Närvaro"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    present: list[Name] = Field(
        default_factory=list, max_length=_PEOPLE, title="Ledamöter", description="Närvarande ledamot (upprepa)"
    )
    serving: list[Line] = Field(
        default_factory=list,
        max_length=_PEOPLE,
        title="Tjänstgörande ersättare",
        description="Tjänstgörande ersättare, som 'Ersättare=Ledamot' (upprepa)",
    )
    ersattare: list[Name] = Field(
        default_factory=list,
        max_length=_PEOPLE,
        title="Ersättare",
        description="Närvarande ersättare som inte tjänstgör (upprepa)",
    )
    other: list[Line] = Field(
        default_factory=list,
        max_length=_PEOPLE,
        title="Övriga",
        description="Övrig närvarande, som 'Namn, titel' (upprepa)",
    )

    @field_validator("serving")
    @classmethod
    def _pairs(cls, value: list[str]) -> list[str]:
        for pair in value:
            substitute, sep, member = pair.partition("=")
            if not sep or not substitute.strip() or not member.strip():
                raise rule(
                    f"{pair[:60]!r}: write it as Ersättare=Ledamot",
                    f"{pair[:60]!r}: skriv som Ersättare=Ledamot",
                )
        return value


class RecordParagraph(Command):
    """Registrera en punkts paragraf (§): ett ärende beslutas som med `decide`, listor och information får sin §."""

    verb = ("meeting", "paragraph")
    title_sv = "Paragraf"
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    item: int = Field(ge=1, le=999, title="Punkt", description="Punktens nummer på föredragningslistan")
    paragraph: int | None = Field(
        default=None, ge=1, le=9999, title="Paragraf", description="Paragrafnummer (tomt: nästa)"
    )
    outcome: Outcome | None = Field(default=None, title="Utfall", description="Beslutets utfall")
    text: LongText | None = Field(default=None, title="Beslutstext", description="Beslutstext (tomt: förslaget)")
    proposition_order: LongText | None = Field(
        default=None, title="Propositionsordning", description="Propositionsordning"
    )
    immediate: bool = Field(
        default=False, title="Omedelbar justering", description="Paragrafen justeras omedelbart (OJ)"
    )


class RecordEntry(Command):
    """Registrera ett yrkande, en reservation, en protokollsanteckning, ett särskilt yttrande eller jäv på en §."""

    verb = ("meeting", "entry")
    title_sv = "Yrkande, reservation, anteckning eller jäv"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    paragraph: int = Field(ge=1, le=9999, title="Paragraf", description="Paragrafnummer")
    kind: EntryKind = Field(title="Slag", description="Vad som registreras")
    by: Name | None = Field(default=None, title="Av", description="Vem (ledamot eller ersättare)")
    text: LongText | None = Field(default=None, title="Text", description="Yrkandet, anteckningen eller yttrandet")


class RecordVote(Command):
    """Registrera en öppen omröstning: varje tjänstgörande ledamot röstar ja, nej eller avstår."""

    verb = ("meeting", "vote")
    title_sv = "Omröstning"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    paragraph: int = Field(ge=1, le=9999, title="Paragraf", description="Paragrafnummer")
    ja: list[Name] = Field(default_factory=list, max_length=_PEOPLE, title="Ja", description="Röstar ja (upprepa)")
    nej: list[Name] = Field(default_factory=list, max_length=_PEOPLE, title="Nej", description="Röstar nej (upprepa)")
    avstar: list[Name] = Field(default_factory=list, max_length=_PEOPLE, title="Avstår", description="Avstår (upprepa)")
    ja_for: Line = Field(
        title="Ja för", description="Voteringspropositionen: vad ja står för, t.ex. förvaltningens förslag"
    )
    nej_for: Line = Field(
        title="Nej för", description="Voteringspropositionen: vad nej står för, t.ex. Sara Holms yrkande"
    )
    lot: Choice | None = Field(
        default=None, title="Lotten", description="Vid lika röstetal i ett val: sidan lotten föll på (ja eller nej)"
    )


class RecordCorrection(Command):
    """Rätta en uppenbar felskrivning i ett justerat protokoll med en daterad anteckning (FL 36 §)."""

    verb = ("meeting", "correct")
    title_sv = "Rättelse"
    moves_errands = False
    organ: OrganCode = _ORGAN
    date: Day = _DATE
    paragraph: int | None = Field(default=None, ge=1, le=9999, title="Paragraf", description="Paragrafen som rättas")
    by: Name = Field(title="Av", description="Vem som rättar")
    text: LongText = Field(title="Rättelse", description="Vad som rättas och hur")
    corrected: Day | None = Field(default=None, title="Datum", description="Datum (standard: i dag)")


class ReportItemAdd(Command):
    """Registrera ett anmälningsärende till organets nästa sammanträde."""

    verb = ("anmalan", "add")
    title_sv = "Anmälningsärende"
    moves_errands = False
    organ: OrganCode = _ORGAN
    heading: Title = Field(title="Rubrik", description="Vad som anmäls")
    reference: Line | None = Field(
        default=None, max_length=200, title="Referens", description="T.ex. Dnr 2021-00128 eller KF 2022-01-20 § 10"
    )
    received: Day = Field(title="Inkom", description="Datum då det kom in")


class DelegationPointAdd(Command):
    """Lägg in en punkt i delegationsordningen från ett datum (en ny version avslutar den förra)."""

    verb = ("delegation", "point")
    title_sv = "Delegationsordning"
    moves_errands = False
    organ: OrganCode = _ORGAN
    code: Code = Field(max_length=20, title="Punkt", description="Punktens nummer, t.ex. 3.2.1")
    text: Title = Field(title="Ärendetyp", description="Vad delegaten får besluta om")
    delegate: Name = Field(title="Delegat", description="Delegat, t.ex. Enhetschef")
    valid_from: Day = Field(title="Gäller från", description="Första dag", json_schema_extra={"cli_name": "from"})
    appeal: Appeal = Field(
        default=Appeal.LAGLIGHETSPROVNING,
        title="Överklagande",
        description="Hur besluten överklagas: förvaltningsbesvär för enskilda beslut enligt speciallag (t.ex. SoL)",
    )


class DelegatedDecisionAdd(Command):
    """Registrera ett delegationsbeslut; det anmäls vid nästa sammanträde."""

    verb = ("delegation", "decision")
    title_sv = "Delegationsbeslut"
    moves_errands = False
    organ: OrganCode = _ORGAN
    point: Code = Field(max_length=20, title="Punkt", description="Punkt i delegationsordningen")
    delegate: Name = Field(title="Delegat", description="Vem som beslutade")
    decided: Day = Field(title="Beslutsdatum", description="Datum för beslutet")
    summary: Title = Field(title="Beslut", description="Vad som beslutades")
    dnr: Line | None = Field(default=None, max_length=60, title="Dnr", description="Ärendets Dnr, om något")
    notified: Day | None = Field(
        default=None,
        title="Delgivet",
        description="Dagen parten fick del av beslutet (förvaltningsbesvär räknas därifrån)",
    )


MEETING_FACTS: tuple[type[Command], ...] = (
    MeetingPlan,
    MeetingCancel,
    MeetingHeld,
    MemberAdd,
    AgendaBuild,
    AgendaAdd,
    AgendaMove,
    SendKallelse,
    RecordAttendance,
    RecordParagraph,
    RecordEntry,
    RecordVote,
    RecordCorrection,
    ReportItemAdd,
    DelegationPointAdd,
    DelegatedDecisionAdd,
)
