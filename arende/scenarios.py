"""The seed errands of Arbetslivsnämnden (seeds/001 and seeds/003) as commands of the
vocabulary, each with the day a person records it: one source for the demo, the tests
and the benchmarks, so all three exercise the same errands.

From the seeds: titles, diary numbers, the 30 consultees and the reply deadline of
KS 2021-00907, the decision texts, the stance, the report texts, the annual figures, the
IOP's parties, terms and amounts, the meeting of 2022-02-15, the chair, the auditors'
recommendations. Chosen here because the seeds do not say: received and registration
dates, the case officer, FSG dates, the § numbers, the justerare, the dates of justering
and anslag.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arende.commands import vocabulary as v
from arende.commands.fields import Command, FsgKind

if TYPE_CHECKING:
    from arende.services.remiss import RemissStart

D = dt.date.fromisoformat

# The seed's own texts (tjänsteskrivelser, the IOP's terms), word for word.
SEED_003: dict[str, Any] = tomllib.loads((Path(__file__).parent / "demo_data" / "seed003.toml").read_text("utf-8"))
_DRAFTS: dict[str, dict[str, Any]] = SEED_003["draft"]

OFFICER = "anna"  # Anna Lind: invented, the seed names no handläggare for most errands
INTEGRATION_OFFICER = "hans"  # Hans Johansson, the seed's handläggare of ALN 2021-00124
CHAIR = "Lars-Åke Johansson"
JUSTERARE = ["Sara Holm"]


@dataclass(frozen=True)
class Fact:
    """One command of the vocabulary and the day it is recorded."""

    day: dt.date
    label: str
    command: Command


CONSULTEES = [
    "Arbetslivsnämnden",
    "Fritids- och folkhälsonämnden",
    "Förskolenämnden",
    "Grundskolenämnden",
    "Gymnasie- och vuxenutbildningsnämnden",
    "Individ- och familjeomsorgsnämnden",
    "Kulturnämnden",
    "Lokalförsörjningsnämnden",
    "Miljö- och konsumentnämnden",
    "Samhällsbyggnadsnämnden",
    "Servicenämnden",
    "Sociala omsorgsnämnden",
    "Stadsrevisionen",
    "Tekniska nämnden",
    "Vård- och äldrenämnden",
    "Överförmyndarnämnden",
    "Borås Energi och Miljö AB",
    "Borås Elnät AB",
    "Borås Kommuns Parkerings AB",
    "Borås Stadshus AB",
    "Borås Djurpark & Camping AB",
    "AB Bostäder i Borås",
    "Fristadbostäder AB",
    "AB Sandhultsbostäder",
    "AB Toarpshus",
    "Viskaforshem AB",
    "Industribyggnader i Borås AB",
    "Inkubatorn i Borås AB",
    "Akademiplatsen AB",
    "Borås TME AB",
]


ANNUAL_FIGURES = {
    "grant_tkr": 243_250,
    "result_tkr": -2_547,
    "measures": [
        {
            "name": "Antal hushåll med försörjningsstöd",
            "earlier": {2019: 708, 2020: 705},
            "budget": 700,
            "outcome": 719,
        },
        {
            "name": "Andelen barn och unga som inte lever i hushåll med försörjningsstöd, %",
            "earlier": {2019: 99, 2020: 99},
            "outcome": 98,
        },
        {"name": "Växla bidrag mot lön, antal personer", "earlier": {2019: 78, 2020: 75}, "budget": 75, "outcome": 53},
        {"name": "Andel sjukfrånvaro av ordinarie arbetstid, %", "earlier": {2019: 3.5, 2020: 7.9}, "outcome": 5.5},
    ],
    # The report's own parts, from seed 003 (shortened).
    "sections": [
        {
            "heading": "Inledning",
            "text": "Arbetslivsnämndens uppdrag är att fullgöra kommunens arbetsmarknads- och "
            "sysselsättningspolitiska insatser, ekonomiskt bistånd, relationsvåld, bostadsanskaffning av sociala "
            "bostäder, flyktingmottagning, feriearbeten, trygghetsinsatser, personlig ombud. Nämnden har även ett "
            "samordningsansvar för hedersrelaterat våld, integration samt nationella minoriteter.\n\n"
            "Arbetslivsnämnden gjorde ett underskott med 2 547 tkr. Kommunbidraget för år 2021 är 243 250 tkr. "
            "Kommunbidraget innefattar tilläggsbudget för feriearbeten med 2 000 tkr samt stadsdelsvärdar med "
            "1 300 tkr.",
        },
        {
            "heading": "Viktiga händelser under året",
            "text": "Under år 2021 har Arbetslivsnämnden haft 7 skrivna IOP (Idéburet offentligt partnerskap): "
            "IF Elfsborg Jobb Tillsammans, Norrby IF Norrby för Norrby, Kvinnojouren, Studieförbundet Vuxenskolan "
            "Spira, Föreningen Guldkanten, Borås Basket Funkis till Jobb och IF Elfsborg en arena för alla.\n\n"
            "Årets Integrationsdag genomfördes i samarbete med Länsstyrelsen den 28 september på temat "
            "integration och invandring i en historisk tillbakablick, nutid och framtid.",
        },
        {
            "heading": "Strategiska målområden – indikatorer och uppdrag",
            "text": "Andelen barn och unga som inte lever i hushåll med försörjningsstöd ska öka. Andel barn som "
            "inte lever i hushåll med ekonomiskt bistånd var 2021-12-31 98 %, jämfört med 99 % 2020 och 2019. "
            "Ökningen bör inte ses som ett trendbrott.",
        },
    ],
}

IOP_TERMS: dict[str, str] = SEED_003["iop_terms"]

AUDIT_RECOMMENDATIONS = [
    ("KS", "Tydliggöra vad Arbetslivsnämndens roll som samordnande nämnd för integrationsarbetet innebär."),
    ("KS", "Utveckla uppföljningsprocessen av Program för ett integrerat samhälle."),
    ("KS", "Utveckla spridningen av uppföljningen av Program för ett integrerat samhälle."),
    ("KS", "Utveckla den stadsövergripande analysen av integrationsarbetet."),
    (
        "ALN",
        "Fullgöra sitt uppdrag att årligen följa upp bolagens och nämndernas insatser och resultat inom "
        "integrationsområdet.",
    ),
]


DONATION_AVAILABLE = {
    "SAMFOND1": 120_000,
    "BJORNSSON": 60_000,
    "SVENSSON": 40_000,
    "RIEMAN": 30_000,
    "PALMQVIST": 40_000,
    "SAMFONDA": 70_000,
    "WASSBERG": 20_000,
    "SAMFOND2": 90_000,
}


def remiss_start(**overrides: Any) -> RemissStart:
    """Kommunstyrelsen's remiss KS 2021-00907 as Arbetslivsnämnden registers it."""
    from arende.services.remiss import RemissStart

    data: dict[str, Any] = dict(
        organ="ALN",
        sender="KS",
        sender_dnr="KS 2021-00907",
        title="Yttrande över Remiss – Riktlinjer beställar-/utförarmodellen",
        received_on=D("2022-01-19"),
        reply_due=D("2022-02-28"),
        registered_on=D("2022-01-19"),
        consultees=CONSULTEES,
        recipients=["Kommunstyrelsen"],
        classification="1.1.7.1",
    )
    data.update(overrides)
    return RemissStart(**data)


REMISS_DRAFT: dict[str, Any] = _DRAFTS["remiss"]
SUMMARY: str = REMISS_DRAFT["summary"]
BODY: str = REMISS_DRAFT["text"]


# The reports (tjänsteskrivelser) of the other seed errands, as the officer drafts them.

AUDIT_DRAFT: dict[str, Any] = {
    "summary": "Stadsrevisionen har granskat om Borås Stad bedriver integrationsarbetet på ett ändamålsenligt "
    "sätt. Revisionen rekommenderar Arbetslivsnämnden att årligen följa upp bolagens och nämndernas "
    "insatser och resultat inom integrationsområdet.",
    "text": "Arbetslivsnämnden delar revisionens bedömning att uppföljningen behöver utvecklas.",
    "response": [
        "5: Arbetslivsnämnden återupptar den årliga uppföljningen av Program för ett integrerat "
        "samhälle och redovisar uppföljningen för 2021 under 2022."
    ],
    "attachment": ["Rapport – Granskning av integration och etablering"],
    "date": "2021-03-01",
}

IOP_DRAFT: dict[str, Any] = _DRAFTS["iop"]

ANNUAL_REPORT_DRAFT: dict[str, Any] = _DRAFTS["annual_report"]

INTERNAL_CONTROL_DRAFT: dict[str, Any] = _DRAFTS["internal_control"]

COMPLAINTS_DRAFT: dict[str, Any] = _DRAFTS["complaints"]

SUPPLEMENT_DRAFT: dict[str, Any] = _DRAFTS["supplement"]


MINORITIES_DRAFT: dict[str, Any] = _DRAFTS["minorities"]
MINORITIES_RECIPIENTS = [
    "Fritids- och folkhälsonämnden",
    "Förskolenämnden",
    "Grundskolenämnden",
    "Gymnasie- och vuxenutbildningsnämnden",
    "Individ- och familjeomsorgsnämnden",
    "Kulturnämnden",
    "Sociala omsorgsnämnden",
    "Vård- och äldrenämnden",
    "Arbetslivsnämnden",
]

INTEGRATION_DRAFT: dict[str, Any] = _DRAFTS["integration"]

DONATION_POLICY_DRAFT: dict[str, Any] = _DRAFTS["donation_policy"]


def decision_facts(
    dnr: str,
    *,
    assigned: str,
    draft: dict[str, Any],
    fsg: str | None,
    meeting: str | None,
    paragraph: int | None,
    officer: str = OFFICER,
) -> list[Fact]:
    """Case officer, report, FSG (when held) and the committee's decision as a § (the
    meeting's next free one when `paragraph` is None); without a meeting, the errand is
    ready for the agenda and its § is recorded at the meeting."""
    facts = [
        Fact(D(assigned), f"{dnr}: handläggare utsedd", v.Assign(dnr=dnr, officer=officer, date=D(assigned))),
        Fact(D(draft["date"]), f"{dnr}: tjänsteskrivelse upprättad", v.Draft.model_validate({"dnr": dnr, **draft})),
    ]
    if fsg:
        facts.append(
            Fact(D(fsg), f"{dnr}: behandlad i FSG", v.RecordFsg(dnr=dnr, date=D(fsg), kind=FsgKind.INFORMATION))
        )
    if meeting is not None:
        decided = f"{dnr}: beslutat" + (f" som § {paragraph}" if paragraph else "")
        facts.append(Fact(D(meeting), decided, v.Decide(dnr=dnr, meeting=D(meeting), paragraph=paragraph)))
    return facts


def signing_facts(
    meeting: str, signed: str, posted: str, organ: str = "ALN", secretary: str | None = None
) -> list[Fact]:
    """The protocol justerad, and the notice of it posted."""
    return [
        Fact(
            D(signed),
            f"protokollet från {meeting} justerat",
            v.Justera(
                organ=organ,
                meeting=D(meeting),
                date=D(signed),
                chair=CHAIR,
                justerare=JUSTERARE,
                secretary=secretary,
            ),
        ),
        Fact(
            D(posted),
            f"anslag om justering av {meeting} uppsatt",
            v.Anslag(organ=organ, meeting=D(meeting), date=D(posted)),
        ),
    ]


def remiss_facts(
    dnr: str,
    *,
    meeting: str = "2022-02-15",
    paragraph: int | None = 14,
    signed: str = "2022-02-18",
    posted: str = "2022-02-21",
) -> list[Fact]:
    """The remiss from assignment to the notice: assign, draft, fsg, decide, justera, anslag."""
    return decision_facts(
        dnr, assigned="2022-01-20", draft=REMISS_DRAFT, fsg="2022-02-03", meeting=meeting, paragraph=paragraph
    ) + signing_facts(meeting, signed, posted)


# The e-service's export of the 2022 round: 400 generated applicants (fake names, valid
# personnummer), 8 of them late, 10 from outside Borås, and 8 applying twice; made by
# tests/samples.py, which a test keeps it equal to.
APPLICATIONS_2022 = Path(__file__).parent / "demo_data" / "ansokningar-2022.csv"

DONATION_DRAFT: dict[str, Any] = {
    "summary": "Ansökningsperioden var mars; nämnden beslutar om utdelning i maj och utbetalning sker i juni.",
    "text": "Merparten av ansökningarna kommer från personer med låg eller ingen inkomst och gäller bidrag till "
    "glasögon, tandvård, kläder och skor.",
    "date": "2022-04-20",
}


def donation_round_facts(dnr: str) -> list[Fact]:
    """The applications imported after the window closed, and the allocation proposed."""
    return [
        Fact(D("2022-04-01"), f"{dnr}: ansökningarna importerade", v.DonationImport(dnr=dnr, file=APPLICATIONS_2022)),
        Fact(D("2022-04-05"), f"{dnr}: förslag till fördelning", v.DonationAllocate(dnr=dnr)),
    ]
