"""Arbetslivsnämnden's meeting of 2022-02-15 (seed 003) as commands of the vocabulary,
each with its day: the plan, the members, the anmälningsärenden and the
delegationsbeslut of the seed's last pages, the föredragningslista in the seed's order,
the kallelse, the närvaro and a § per item.

From the seed: the chair (Lars-Åke Johansson), the six anmälningsärenden and the
delegationsbeslut, the order of the errands. Invented because the seed does not say:
the other members and their parties, the plan's dates, times and place, the received
days, the point of the delegationsordning, the närvaro, the secretary, and a second
received day for the KF § 11 decision that the seed lists twice.
"""

from __future__ import annotations

from arende.commands import meeting as m
from arende.commands.fields import Outcome
from arende.rules.workflow import ROLE_SV, Role
from arende.scenarios import CHAIR, JUSTERARE, D, Fact

ORGAN = "ALN"
MEETING = "2022-02-15"
SECRETARY = "Karin Nilsson"
# The members who sign the protocol digitally, with accounts of their own (the demo's).
SIGNING_ACCOUNTS = [("lars", CHAIR), ("holm", JUSTERARE[0])]
PLACE = "Sammanträdesrum Viskan, Stadshuset"
# The plan for 2022: the donation round is decided on 2022-05-17.
PLAN = [
    "2022-02-15",
    "2022-03-22",
    "2022-04-19",
    "2022-05-17",
    "2022-06-14",
    "2022-09-20",
    "2022-10-18",
    "2022-11-15",
    "2022-12-13",
]

MEMBERS: list[tuple[str, Role, str, str | None]] = [
    (CHAIR, Role.ORDFORANDE, "S", "lars-ake.johansson@example.boras.se"),
    ("Maria Svensson", Role.VICE_ORDFORANDE, "M", "maria.svensson@example.boras.se"),
    ("Per Ek", Role.LEDAMOT, "C", None),  # no address: the kallelse goes by post
    (JUSTERARE[0], Role.LEDAMOT, "V", "sara.holm@example.boras.se"),
    ("Ahmed Karimi", Role.LEDAMOT, "S", "ahmed.karimi@example.boras.se"),
    ("Eva Lund", Role.LEDAMOT, "L", "eva.lund@example.boras.se"),
    ("Johan Ström", Role.LEDAMOT, "SD", "johan.strom@example.boras.se"),
    ("Ola Berg", Role.ERSATTARE, "S", "ola.berg@example.boras.se"),
    ("Lina Ahmadi", Role.ERSATTARE, "M", "lina.ahmadi@example.boras.se"),
]

ANMALAN: list[tuple[str, str, str]] = [
    ("Redovisning Länsstyrelsen Personligt ombud 2021", "Dnr 2021-00128", "2022-01-12"),
    (
        "Skrivelse Uppdaterad rekommendation om närvaro för ledamöter i Kommunstyrelsen, övriga nämnder samt i "
        "bolagsstyrelser i Borås Stad med anledning av Coronapandemin",
        "Dnr 2022-00006",
        "2022-01-14",
    ),
    ("Hantering av inköpskostnader för skyddsmaterial", "Kommunfullmäktiges beslut 2022-01-20 § 10", "2022-01-24"),
    ("Riktlinjer för god ekonomisk hushållning", "Kommunfullmäktiges beslut 2022-01-20 § 11", "2022-01-24"),
    ("Riktlinjer för god ekonomisk hushållning", "Kommunfullmäktiges beslut 2022-01-20 § 11", "2022-01-27"),
    (
        "Handbok för trygghet i offentlig miljö, Borås Stad",
        "Fritids- och folkhälsonämndens beslut 2022-01-25 § 8",
        "2022-01-28",
    ),
]


def preparation_facts() -> list[Fact]:
    """The plan, the members, and what is reported at the next meeting."""
    facts = [
        Fact(D("2021-12-01"), f"{ORGAN} sammanträdesplan: {day}", m.MeetingPlan(
            organ=ORGAN, date=D(day), time="13:15", place=PLACE,
            # The plan's rule, "tre dagar efter sammanträdet", made a day (18 februari 2022).
            justering_days=3 if day == MEETING else None,
            justering_place="Arbetslivsförvaltningen" if day == MEETING else None,
        ))
        for day in PLAN
    ]  # fmt: skip
    facts += [
        Fact(D("2021-12-01"), f"{ORGAN} {ROLE_SV[role]}: {name}", m.MemberAdd(
            organ=ORGAN, name=name, role=role, party=party, email=email, valid_from=D("2019-01-01"),
        ))
        for name, role, party, email in MEMBERS
    ]  # fmt: skip
    facts += [
        Fact(D(day), f"anmälningsärende: {reference}", m.ReportItemAdd(
            organ=ORGAN, heading=heading, reference=reference, received=D(day),
        ))
        for heading, reference, day in ANMALAN
    ]  # fmt: skip
    facts.append(
        Fact(D("2021-12-01"), "delegationsordningen punkt 2.1", m.DelegationPointAdd(
            organ=ORGAN, code="2.1", text="Beslut i ärenden om ekonomiskt bistånd enligt 4 kap. 1 § socialtjänstlagen",
            delegate="Socialutskottet", valid_from=D("2021-01-01"),
        ))
    )  # fmt: skip
    facts.append(
        Fact(D("2022-01-26"), "delegationsbeslut: Socialutskottet 2022-01-25", m.DelegatedDecisionAdd(
            organ=ORGAN, point="2.1", delegate="Socialutskottet", decided=D("2022-01-25"),
            summary="Socialutskott Försörjningsenheten Protokoll 2022-01-25 § 1-2",
        ))
    )  # fmt: skip
    return facts


def agenda_facts() -> list[Fact]:
    """The föredragningslista built from what is ready, the integration follow-up (a 2021
    errand, so first by Dnr) moved to its place in the seed's order, and the kallelse."""
    day = D("2022-02-08")
    return [
        Fact(day, f"föredragningslistan till {MEETING} upprättad", m.AgendaBuild(organ=ORGAN, date=D(MEETING))),
        Fact(
            day,
            "uppföljningen av integrationsprogrammet flyttad till punkt 6",
            m.AgendaMove(organ=ORGAN, date=D(MEETING), item=1, to=6),
        ),
        Fact(day, f"kallelse till {MEETING} skickad", m.SendKallelse(organ=ORGAN, date=D(MEETING), sent=day)),
    ]


def meeting_facts(items: int) -> list[Fact]:
    """The närvaro and a § for each of the agenda's items; the first is § 11."""
    day = D(MEETING)
    facts = [
        Fact(day, "närvaron registrerad", m.RecordAttendance(
            organ=ORGAN, date=day,
            present=[CHAIR, "Maria Svensson", JUSTERARE[0], "Ahmed Karimi", "Eva Lund", "Johan Ström"],
            serving=["Ola Berg=Per Ek"], ersattare=["Lina Ahmadi"],
            other=["Tina Arekvist Lundell, förvaltningschef", f"{SECRETARY}, nämndsekreterare"],
        ))
    ]  # fmt: skip
    # Val av justerare at the meeting; the föredragningslista approved (the seed gives no
    # end time or adjournment: none is invented).
    facts.append(Fact(day, "justerare utsedd", m.MeetingHeld(
        organ=ORGAN, date=day, justerare=list(JUSTERARE), agenda_approved=True,
    )))  # fmt: skip
    for item in range(1, items + 1):
        facts.append(
            Fact(day, f"punkt {item} protokollförd som § {10 + item}", m.RecordParagraph(
                organ=ORGAN, date=day, item=item, paragraph=11 if item == 1 else None,
                outcome=Outcome.NOTED if item > items - 2 else None,
            ))
        )  # fmt: skip
    return facts
