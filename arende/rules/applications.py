"""A donation application as the e-service exports it: the columns, the purposes, and
the rules a row must meet before it is imported. Pure: a row in, clean values out, or a
ValueError('column: problem') that never repeats the personal data itself."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from stdnum import exceptions as stdnum_errors
from stdnum.se import personnummer

PURPOSES = ("glasögon", "tandvård", "kläder", "skor", "hemutrustning", "fritid", "övrigt")
COLUMNS = (
    "inkommen",
    "namn",
    "personnummer",
    "adress",
    "postnummer",
    "ort",
    "kommun",
    "hushall",
    "inkomst",
    "syfte",
    "belopp",
    "konto",
)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def parse_application(row: dict[str, str], on: dt.date) -> dict[str, Any]:
    """One CSV row to clean values; raises ValueError('column: problem'), never echoing
    the personal data itself."""

    def text(col: str) -> str:
        value = (row.get(col) or "").strip()
        if not value:
            raise ValueError(f"{col}: missing")
        # A NUL, newline or escape in a name would reach the bank's payout file and
        # terminals: refused, and (as always here) without echoing the value.
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
            raise ValueError(f"{col}: contains a control character")
        return value

    def whole(col: str, low: int, high: int) -> int:
        raw = text(col).replace(" ", "").replace("\xa0", "")
        # Bounded well inside the database's integers: a number beyond them was one line
        # on SQLite and a traceback on PostgreSQL.
        if not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > 12 or not low <= int(raw) <= high:
            raise ValueError(f"{col}: not a whole number from {low} to {high}")
        return int(raw)

    try:
        received = dt.date.fromisoformat(text("inkommen"))
    except ValueError:
        raise ValueError("inkommen: not a date (YYYY-MM-DD)") from None
    try:
        pnr = personnummer.compact(personnummer.validate(text("personnummer")))
    except stdnum_errors.ValidationError:
        raise ValueError("personnummer: not a valid personnummer") from None
    birth = personnummer.get_birth_date(pnr)
    account = "".join(ch for ch in text("konto") if ch.isdigit())
    if not 9 <= len(account) <= 16:
        raise ValueError("konto: not a Swedish bank account (clearing number and account, 9-16 digits)")
    purpose = text("syfte").lower()
    if purpose not in PURPOSES:
        raise ValueError(f"syfte: not one of {', '.join(PURPOSES)}")
    household = whole("hushall", 1, 99)
    income = whole("inkomst", 0, 1_000_000_000)
    address = " ".join(f"{text('adress')} {text('postnummer')} {text('ort')}".split())
    return {
        "received_on": received,
        "name": text("namn"),
        "pnr": pnr,
        "address": address,
        "municipality": text("kommun"),
        "household": household,
        "income": income,
        "purpose": purpose,
        "amount": whole("belopp", 1, 1_000_000),
        "account": account,
        "age": age_on(birth, on),
    }
