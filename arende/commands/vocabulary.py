"""The command vocabulary: every fact a person records, as one typed pydantic model.

The CLI (arende.commands.adapter), the Prefect deployment forms (flows/facts.py) and the
web page to come are adapters over these models and declare no field of their own, so
they cannot drift. A field's name is its CLI option (`meeting` → `--meeting`); its
title and description are the Swedish labels of a form; closed sets are enums (a
dropdown in a form, a choice on the command line); validators name the field.

Pure: pydantic and the standard library only, strict under mypy.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from arende.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)

# --- closed sets ----------------------------------------------------------------------


class FsgKind(str, Enum):
    INFORMATION = "information"  # MBL §19
    NEGOTIATION = "negotiation"  # MBL §11


class Outcome(str, Enum):
    PASSED = "passed"
    PASSED_AFTER_VOTE = "passed_after_vote"
    AMENDED = "amended"
    REJECTED = "rejected"
    NOTED = "noted"
    RETURNED = "returned"
    TABLED = "tabled"


class Stance(str, Enum):
    TILLSTYRKER = "tillstyrker"
    AVSTYRKER = "avstyrker"
    AVSTAR = "avstår"


class Direction(str, Enum):
    INCOMING = "incoming"
    DRAWN_UP = "drawn_up"
    OUTGOING = "outgoing"


class NoticeParty(str, Enum):
    PARTNER = "partner"
    MUNICIPALITY = "municipality"


# --- text that reaches terminals, mail subjects and documents ---------------------------

# Control characters, ANSI escapes and bidirectional overrides would reach terminals and
# mail headers; Unicode's "Cc" and "Cf" categories cover them (and zero-width tricks).
_ALLOWED_IN_LONG_TEXT = {"\n", "\t"}


def _no_control(value: str, *, multiline: bool) -> str:
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf") and not (multiline and ch in _ALLOWED_IN_LONG_TEXT):
            raise ValueError(f"contains the control character U+{ord(ch):04X}")
    return value


def _single_line(value: str) -> str:
    value = " ".join(value.replace("\t", " ").split(" ")).strip()
    _no_control(value, multiline=False)
    if not value:
        raise ValueError("must not be empty")
    return value


def _long_text(value: str) -> str:
    value = value.replace("\r\n", "\n").strip()
    return _no_control(value, multiline=True)


def _check_all_text(name: str, value: object) -> None:
    if isinstance(value, str):
        try:
            _no_control(value, multiline=name not in _SINGLE_LINE_NAMES)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_all_text(name, item)
    elif isinstance(value, dict):
        for item in value.values():
            _check_all_text(name, item)
    elif isinstance(value, BaseModel):
        for field, item in value:
            _check_all_text(field, item)


_SINGLE_LINE_NAMES = frozenset(
    {
        "title",
        "organ",
        "sender",
        "sender_dnr",
        "partner_name",
        "partner_orgnr",
        "partner_contact",
        "our_contact",
        "number",
        "classification",
        "parent",
        "agreement_dnr",
        "name",
    }
)


class Form(BaseModel):
    """Base of the start forms: no control, escape or direction characters in any text
    (they reach terminals, mail subjects and documents); names and titles on one line."""

    @model_validator(mode="after")
    def _clean_text(self) -> Form:
        for name, value in self:
            _check_all_text(name, value)
        return self


Line = Annotated[str, Field(max_length=300), AfterValidator(_single_line)]
Title = Annotated[str, Field(min_length=3, max_length=500), AfterValidator(_single_line)]
LongText = Annotated[str, Field(max_length=20000), AfterValidator(_long_text)]
_DNR = re.compile(r"^[A-ZÅÄÖ]{1,10} \d{4}-\d{5}( \d+(\.\d+)*)?$")


def _dnr(value: str) -> str:
    value = " ".join(value.split())
    if not _DNR.match(value):
        raise ValueError(
            f"{value[:40]!r} is not a diary number of the form 'ALN 2022-00011' (optionally followed by a code)"
        )
    return value


DnrText = Annotated[str, Field(max_length=60), AfterValidator(_dnr)]
OrganCode = Annotated[
    str,
    Field(min_length=1, max_length=10, pattern=r"^\s*[A-Za-zÅÄÖåäö]+\s*$"),
    AfterValidator(lambda v: v.strip().upper()),
]
# A date a person records: not before the law on time reckoning, not far in the future.
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2199, 12, 31))]
Email = Annotated[str, Field(max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


def cli(*, argument: bool = False, dnr: bool = False, from_file: bool = False) -> dict[str, Any]:
    """How the CLI adapter shows a field: positional argument, a Dnr typed with or without
    quotes, or text that may also be read from a file (`--text-file`)."""
    return {"cli_argument": argument, "cli_dnr": dnr, "cli_from_file": from_file}


def validate(model: type[M], data: dict[str, Any], *, field_name: Callable[[str], str] | None = None) -> M:
    """Build a model from what a person gave; the first mistake as an InvalidInput that
    names the field (`field_name` renames it as the door shows it, e.g. the CLI option)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) for p in first["loc"] if not isinstance(p, int)]
        message = first["msg"].removeprefix("Value error, ")
        if not loc and ": " in message:  # a rule over several fields names the one at fault
            name, message = message.split(": ", 1)
            loc = [name]
        if loc and field_name is not None and loc[0] in model.model_fields:
            loc[0] = field_name(loc[0])
        raise InvalidInput(".".join(loc) or "input", message) from None


def dnr_field(description: str = "Ärendets diarienummer") -> Any:
    """The Dnr a command concerns: a positional argument, typed with or without quotes."""
    return Field(title="Diarienummer", description=description, json_schema_extra=cli(argument=True, dnr=True))


# --- the commands -----------------------------------------------------------------------


class Command(BaseModel):
    """A fact a person records. `verb` is its place on the command line; `title` its
    Swedish name in forms; `moves_errands` whether recording it moves errands on."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)
    verb: ClassVar[tuple[str, ...]]
    title_sv: ClassVar[str]
    moves_errands: ClassVar[bool] = True


class Assign(Command):
    """Utse handläggare för ett ärende."""

    verb = ("assign",)
    title_sv = "Utse handläggare"
    dnr: DnrText = dnr_field("Ärendets diarienummer, t.ex. ALN 2022-00001")
    officer: Line = Field(title="Handläggare", description="Handläggarens namn")
    email: Email | None = Field(default=None, title="E-post", description="Handläggarens e-post (för påminnelser)")
    date: Day | None = Field(default=None, title="Datum", description="Datum (standard: i dag)")


class Draft(Command):
    """Registrera (eller revidera) tjänsteskrivelsen med förslag till beslut."""

    verb = ("draft",)
    title_sv = "Tjänsteskrivelse"
    dnr: DnrText = dnr_field()
    summary: LongText = Field(
        default="", title="Sammanfattning", description="Sammanfattning", json_schema_extra=cli(from_file=True)
    )
    text: LongText = Field(
        default="",
        title="Ärendet i sin helhet",
        description="Ärendet i sin helhet",
        json_schema_extra=cli(from_file=True),
    )
    stance: Stance | None = Field(
        default=None,
        title="Ställningstagande",
        description="Remissvarets ställningstagande: tillstyrker, avstyrker eller avstår",
    )
    decision: LongText | None = Field(
        default=None,
        title="Förslag till beslut",
        description="Förslag till beslut (standard: utifrån ställningstagandet)",
    )
    attachment: list[Line] = Field(
        default_factory=list, max_length=50, title="Beslutsunderlag", description="Beslutsunderlag, i ordning (upprepa)"
    )
    recipient: list[Line] = Field(
        default_factory=list, max_length=50, title="Expedieras till", description="Beslutet expedieras till (upprepa)"
    )
    response: list[LongText] = Field(
        default_factory=list,
        max_length=100,
        title="Svar på rekommendationer",
        description="Svar på revisionens rekommendation: 'NR: text' (upprepa)",
    )
    date: Day | None = Field(default=None, title="Datum", description="Datum för tjänsteskrivelsen (standard: i dag)")

    @field_validator("response")
    @classmethod
    def _numbered(cls, values: list[str]) -> list[str]:
        for value in values:
            number, sep, _ = value.partition(":")
            if not sep or not number.strip().isdigit() or len(number.strip()) > 4:
                raise ValueError(f"{value[:40]!r}: write it as 'NR: text', e.g. '5: Nämnden ...'")
        return values

    def responses(self) -> dict[int, str] | None:
        if not self.response:
            return None
        return {int(v.partition(":")[0]): v.partition(":")[2].strip() for v in self.response}


class RecordFsg(Command):
    """Registrera att ärendet behandlats i förvaltningens samverkansgrupp (FSG)."""

    verb = ("fsg",)
    title_sv = "FSG"
    dnr: DnrText = dnr_field()
    date: Day = Field(title="Datum", description="Datum för FSG")
    kind: FsgKind = Field(
        default=FsgKind.INFORMATION,
        title="Typ",
        description="information (MBL §19) eller negotiation (förhandling, MBL §11)",
    )
    note: LongText | None = Field(default=None, title="Anteckning", description="Anteckning från FSG")


class Decide(Command):
    """Registrera nämndens beslut som en numrerad paragraf (§) i protokollet."""

    verb = ("decide",)
    title_sv = "Beslut"
    dnr: DnrText = dnr_field()
    meeting: Day = Field(title="Sammanträde", description="Sammanträdesdatum")
    paragraph: int | None = Field(
        default=None, ge=1, le=9999, title="Paragraf", description="Paragrafnummer (tomt: nästa lediga)"
    )
    outcome: Outcome = Field(default=Outcome.PASSED, title="Utfall", description="Beslutets utfall")
    text: LongText | None = Field(
        default=None, title="Beslutstext", description="Beslutstext (tomt: förslaget till beslut)"
    )
    synnerliga_skal: LongText | None = Field(
        default=None, title="Synnerliga skäl", description="Synnerliga skäl för beslut före FSG (MBL §11)"
    )


class Justera(Command):
    """Registrera justering av ett sammanträdes protokoll; alla dess ärenden går vidare."""

    verb = ("justera",)
    title_sv = "Justering"
    organ: OrganCode = Field(
        title="Organ", description="Registerprefix, t.ex. ALN", json_schema_extra=cli(argument=True)
    )
    meeting: Day = Field(title="Sammanträde", description="Sammanträdesdatum", json_schema_extra=cli(argument=True))
    date: Day = Field(title="Justerat", description="Datum för justering")
    justerare: list[Line] = Field(min_length=1, max_length=10, title="Justerare", description="Justerare (upprepa)")
    chair: Line | None = Field(default=None, title="Ordförande", description="Ordförande (standard: organets)")
    secretary: Line | None = Field(
        default=None, title="Sekreterare", description="Sekreterare som bestyrker utdrag (standard: organets)"
    )


class Anslag(Command):
    """Registrera anslag om justering (KL 8:12); överklagandetiden räknas från detta datum."""

    verb = ("anslag",)
    title_sv = "Anslag"
    organ: OrganCode = Field(
        title="Organ", description="Registerprefix, t.ex. ALN", json_schema_extra=cli(argument=True)
    )
    meeting: Day = Field(title="Sammanträde", description="Sammanträdesdatum", json_schema_extra=cli(argument=True))
    date: Day = Field(title="Anslaget", description="Datum då anslaget sattes upp")
    minutes_kept_at: Line | None = Field(
        default=None, title="Protokollet förvaras", description="Var protokollet förvaras (standard: förvaltningen)"
    )


class IopNotice(Command):
    """Registrera uppsägning: överenskommelsen upphör när perioden löper ut."""

    verb = ("iop", "notice")
    title_sv = "Uppsägning av IOP"
    dnr: DnrText = dnr_field("Överenskommelsens diarienummer")
    date: Day = Field(title="Datum", description="Datum för uppsägningen")
    by: NoticeParty = Field(title="Uppsagd av", description="partner (organisationen) eller municipality (kommunen)")


class IopEvaluate(Command):
    """Registrera att utvärderingen inför förlängning är gjord."""

    verb = ("iop", "evaluate")
    title_sv = "Utvärdering av IOP"
    moves_errands = False
    dnr: DnrText = dnr_field("Överenskommelsens diarienummer")
    date: Day = Field(title="Datum", description="Datum för utvärderingen")
    note: LongText | None = Field(default=None, title="Anteckning", description="Anteckning")


class DocumentAdd(Command):
    """Registrera en handling i ett ärende (OSL 5 kap: datum, avsändare eller mottagare,
    kort beskrivning; för en hemlig handling sekretessmarkeringen enligt OSL 5:5)."""

    verb = ("document", "add")
    title_sv = "Registrera handling"
    moves_errands = False
    dnr: DnrText = dnr_field()
    direction: Direction = Field(title="Riktning", description="Inkommen, upprättad eller utgående handling")
    counterpart: Line = Field(title="Avsändare/mottagare", description="Avsändare eller mottagare")
    description: Line = Field(title="Beskrivning", description="Kort beskrivning")
    date: Day | None = Field(default=None, title="Datum", description="Registreringsdatum (standard: i dag)")
    secrecy: Line | None = Field(default=None, title="Sekretess", description="Sekretessbestämmelse, t.ex. 'OSL 26:1'")
    secrecy_date: Day | None = Field(
        default=None,
        title="Sekretessdatum",
        description="Datum för sekretessmarkeringen (standard: registreringsdatum)",
    )
    secrecy_authority: Line | None = Field(
        default=None, title="Myndighet", description="Myndigheten som markerar (standard: organet)"
    )


class DonationImport(Command):
    """Importera ansökningar ur e-tjänstens CSV-export. En felaktig rad stoppar hela filen,
    om inte --skip-invalid (då skrivs en avvisningslista med rad och orsak)."""

    verb = ("donation", "import")
    title_sv = "Importera ansökningar"
    moves_errands = False
    dnr: DnrText = dnr_field("Utdelningens diarienummer")
    file: Path = Field(title="Fil", description="CSV-export från e-tjänsten (UTF-8, ; eller ,)")
    skip_invalid: bool = Field(
        default=False,
        title="Hoppa över felaktiga rader",
        description="Importera giltiga rader och skriv en avvisningslista",
    )
    rejections: Path | None = Field(
        default=None, title="Avvisningslista", description="Avvisningslista (rad;orsak) med --skip-invalid"
    )


class DonationAllocate(Command):
    """Föreslå fördelning: varje beviljad ansökan ur en fond vars villkor den uppfyller."""

    verb = ("donation", "allocate")
    title_sv = "Föreslå fördelning"
    moves_errands = False
    dnr: DnrText = dnr_field("Utdelningens diarienummer")


class DonationAdjust(Command):
    """Ändra förslaget för en ansökan före beslutet."""

    verb = ("donation", "adjust")
    title_sv = "Justera förslaget"
    moves_errands = False
    dnr: DnrText = dnr_field("Utdelningens diarienummer")
    application: int = Field(ge=1, le=2_000_000_000, title="Ansökan", description="Ansökans id (ur proposal)")
    amount: int = Field(ge=0, le=1_000_000, title="Belopp", description="Belopp, kronor (0 = avslag)")
    reason: Line = Field(title="Skäl", description="Varför förslaget ändras")
    fund: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,20}$")] | None = Field(
        default=None, title="Fond", description="Fondkod (standard: samma fond)"
    )


FACTS: tuple[type[Command], ...] = (
    Assign,
    Draft,
    RecordFsg,
    Decide,
    Justera,
    Anslag,
    IopNotice,
    IopEvaluate,
    DocumentAdd,
    DonationImport,
    DonationAllocate,
    DonationAdjust,
)
