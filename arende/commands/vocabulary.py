"""The command vocabulary: every fact a person records, as one typed pydantic model.

The CLI (arende.commands.adapter), the Prefect deployment forms (flows/facts.py) and the
web page to come are adapters over these models and declare no field of their own, so
they cannot drift. A field's name is its CLI option (`meeting` → `--meeting`); its
title and description are the Swedish labels of a form; closed sets are enums (a
dropdown in a form, a choice on the command line); validators name the field. The
building blocks are in arende.commands.fields.

Pure: pydantic and the standard library only, strict under mypy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from arende.commands.fields import (
    Appeal,
    Code,
    Command,
    Day,
    Direction,
    DnrText,
    Email,
    FsgKind,
    Line,
    LongText,
    Name,
    NoticeParty,
    OrganCode,
    Outcome,
    Stance,
    Username,
    cli,
    dnr_field,
)
from arende.commands.meeting import MEETING_FACTS


class Assign(Command):
    """Utse handläggare för ett ärende."""

    verb = ("assign",)
    title_sv = "Utse handläggare"
    dnr: DnrText = dnr_field("Ärendets diarienummer, t.ex. ALN 2022-00001")
    officer: Username = Field(title="Handläggare", description="Handläggarens användarnamn (ett konto i Ärende)")
    email: Email | None = Field(default=None, title="E-post", description="E-post för påminnelser (standard: kontots)")
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
    appeal: Appeal | None = Field(
        default=None,
        title="Överklagande",
        description="Hur beslutet överklagas, där det skiljer sig från ärendetypens (tomt: ärendetypens)",
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
    justerare: list[Line] = Field(
        default_factory=list,
        max_length=10,
        title="Justerare",
        description="Justerare (upprepa; tomt: de som valdes vid sammanträdet)",
    )
    chair: Name | None = Field(default=None, title="Ordförande", description="Ordförande (standard: organets)")
    secretary: Name | None = Field(
        default=None, title="Sekreterare", description="Sekreterare som bestyrker utdrag (standard: organets)"
    )
    paragraph: int | None = Field(
        default=None, ge=1, le=9999, title="Paragraf", description="Bara denna §, förklarad omedelbart justerad (OJ)"
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
    paragraph: int | None = Field(
        default=None, ge=1, le=9999, title="Paragraf", description="Anslag för en omedelbart justerad § (OJ)"
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
    secrecy: Code | None = Field(default=None, title="Sekretess", description="Sekretessbestämmelse, t.ex. 'OSL 26:1'")
    secrecy_date: Day | None = Field(
        default=None,
        title="Sekretessdatum",
        description="Datum för sekretessmarkeringen (standard: registreringsdatum)",
    )
    secrecy_authority: Name | None = Field(
        default=None, title="Myndighet", description="Myndigheten som markerar (standard: organet)"
    )
    file: Path | None = Field(
        default=None,
        title="Fil",
        description="Handlingen som fil (lagras med sin SHA-256; filtyper och största storlek enligt inställningarna)",
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


class AnnualFigures(Command):
    """Registrera årets siffror: kommunbidrag, resultat och mått med utfall och budget."""

    verb = ("annual-report", "figures")
    title_sv = "Årets siffror"
    dnr: DnrText = dnr_field("Årsredovisningens diarienummer")
    file: Path = Field(title="Fil", description="TOML: grant_tkr, result_tkr och [[measure]]-rader")


class IopTerms(Command):
    """Registrera överenskommelsens text, avsnitt för avsnitt."""

    verb = ("iop", "terms")
    title_sv = "Överenskommelsens text"
    dnr: DnrText = dnr_field("Överenskommelsens diarienummer")
    file: Path = Field(
        title="Fil",
        description="TOML med avsnitten background, purpose, responsibilities, services, cooperation, "
        "evaluation, economy, renegotiation",
    )


class DonationErase(Command):
    """Gallra sökandes personuppgifter efter bevarandetiden; beslutets summor finns kvar."""

    verb = ("donation", "erase")
    title_sv = "Gallra personuppgifter"
    moves_errands = False
    dnr: DnrText = dnr_field("Utdelningens diarienummer")


class DiaryContinue(Command):
    """Fortsätt numreringen från ett tidigare diarium: nästa nummer blir --next."""

    verb = ("diary-continue",)
    title_sv = "Fortsätt diariets numrering"
    moves_errands = False
    prefix: OrganCode = Field(
        title="Registerprefix", description="Registerprefix, t.ex. ALN", json_schema_extra=cli(argument=True)
    )
    year: int = Field(ge=1900, le=2199, title="År", description="År", json_schema_extra=cli(argument=True))
    next: int = Field(ge=1, le=99999, title="Nästa löpnummer", description="Nästa löpnummer, t.ex. 11")


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
    DonationErase,
    AnnualFigures,
    IopTerms,
    DiaryContinue,
    *MEETING_FACTS,
)
