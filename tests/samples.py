"""Generated donation applications in the e-service's CSV shape: fake names, valid
(Luhn-correct) personnummer, addresses on made-up streets. For the demo, the tests and
the benchmark; deterministic for a given seed."""

from __future__ import annotations

import datetime as dt
import random

from stdnum import luhn

FIRST = [
    "Anna",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Aisha",
    "Fatima",
    "Elin",
    "Ida",
    "Erik",
    "Lars",
    "Karl",
    "Johan",
    "Ahmed",
    "Mohammed",
    "Anders",
    "Per",
    "Nils",
    "Omar",
    "Sofia",
    "Linnea",
    "Hassan",
    "Eva",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Ali",
    "Hussein",
    "Lindberg",
    "Berg",
    "Holm",
    "Ek",
    "Lund",
    "Strand",
    "Sandberg",
    "Nyström",
]
STREETS = [
    "Allégatan",
    "Sandwalls plats",
    "Österlånggatan",
    "Västerlånggatan",
    "Hulta torg",
    "Norrby långgata",
    "Sjöbo torg",
    "Hässleholmsvägen",
    "Trandögatan",
    "Kristineberg",
]
PURPOSES = {
    "glasögon": (1200, 2500),
    "tandvård": (1500, 3000),
    "kläder": (600, 1500),
    "skor": (500, 1000),
    "hemutrustning": (800, 3000),
    "fritid": (400, 1200),
    "övrigt": (500, 1500),
}
HEADER = "inkommen;namn;personnummer;adress;postnummer;ort;kommun;hushall;inkomst;syfte;belopp;konto"


def personnummer(rng: random.Random, *, min_age: int = 18, max_age: int = 85, on: dt.date) -> str:
    """A valid personnummer (YYYYMMDD-NNNC) for someone min_age..max_age on `on`."""
    birth = on - dt.timedelta(days=rng.randint(min_age * 366, max_age * 365))
    serial = rng.randint(0, 999)
    short = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(short)}"


def generate(n: int, year: int, *, seed: int = 2022, late: int = 0, non_residents: int = 0, duplicates: int = 0) -> str:
    """n applications received in March of `year`; `late` of them in April, some from
    outside the municipality, and some applying twice."""
    rng = random.Random(seed)
    window_end = dt.date(year, 3, 31)
    rows = [HEADER]
    people: list[str] = []
    for i in range(n):
        received = dt.date(year, 4, rng.randint(1, 20)) if i < late else dt.date(year, 3, rng.randint(1, 31))
        purpose = rng.choice(list(PURPOSES))
        low, high = PURPOSES[purpose]
        household = rng.choice([1, 1, 1, 2, 2, 3, 4])
        income = rng.randint(4000, 11000) * household
        kommun = "Ulricehamn" if late <= i < late + non_residents else "Borås"
        street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
        row = [
            received.isoformat(),
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            personnummer(rng, on=window_end),
            street,
            f"50{rng.randint(100, 999)}",
            "Borås",
            kommun,
            str(household),
            str(income),
            purpose,
            str(rng.randrange(low, high, 50)),
            f"8{rng.randint(1000, 9999)}-{rng.randint(0, 9)} {rng.randint(10**8, 10**9 - 1)}",
        ]
        rows.append(";".join(row))
        people.append(";".join(row))
    for j in range(duplicates):
        again = people[(j * 7 + 3) % len(people)].split(";")
        again[0] = dt.date(year, 3, 30).isoformat()
        again[9], again[10] = "kläder", "900"
        rows.append(";".join(again))
    return "\n".join(rows) + "\n"
