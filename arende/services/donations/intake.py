"""Applications imported from the e-service's CSV export: validated, encrypted, de-duplicated."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from arende import privacy
from arende.errors import InvalidInput
from arende.rules.applications import COLUMNS, parse_application
from arende.services.common import audit
from arende.services.donations.rounds import _open_round
from arende.settings import get_settings
from db.models import Application, DonationRound

# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    imported: int
    late: int
    duplicates: int
    invalid: list[tuple[int, str]]
    already_imported: bool = False


def import_applications(session: Session, dnr: str, data: bytes, *, skip_invalid: bool = False) -> ImportResult:
    """Import the e-service's CSV export. All rows or none: one bad row refuses the
    file, naming its line and the problem; with skip_invalid the good rows are imported
    and the bad ones returned (line and reason only). Late applications and duplicates
    are imported as rejected, with their reason. The same file twice is a no-op."""
    errand, rnd = _open_round(session, dnr)
    digest = hashlib.sha256(data).hexdigest()
    if digest in rnd.imported_files:
        return ImportResult(0, 0, 0, [], already_imported=True)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", "not UTF-8 text (export the file as CSV UTF-8)") from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise InvalidInput("line 1", f"not a CSV header ({exc})") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput("file", f"line 1: the header lacks the column {missing[0]!r} (expected {';'.join(COLUMNS)})")
    reader.fieldnames = header
    good: list[tuple[int, dict[str, Any]]] = []
    invalid: list[tuple[int, str]] = []
    line = 1
    try:
        for line, row in enumerate(reader, start=2):
            try:
                good.append((line, parse_application(row, rnd.window_closes)))
            except ValueError as exc:
                invalid.append((line, str(exc)))
    except csv.Error as exc:  # a field past the csv module's limit, a stray NUL...
        raise InvalidInput(
            f"line {line + 1}", f"not a CSV row the e-service writes ({exc}); nothing was imported"
        ) from None
    if invalid and not skip_invalid:
        first_line, first_reason = invalid[0]
        more = f" ({len(invalid) - 1} more bad rows)" if len(invalid) > 1 else ""
        raise InvalidInput(f"line {first_line}", f"{first_reason}; nothing was imported{more}")

    municipality = get_settings().municipality.split()[0].lower()
    seen_pnr = {h: a.line for h, a in _existing(session, rnd, Application.pnr_hash)}
    households: dict[str, list[int]] = defaultdict(list)
    for h, a in _existing(session, rnd, Application.household_hash):
        households[h].append(a.line)
    late = dupes = 0
    rows = []
    for line, v in sorted(good, key=lambda lv: (lv[1]["received_on"], lv[0])):
        pnr_hash = privacy.keyed_hash("pnr", v["pnr"])
        household_hash = privacy.keyed_hash("household", v["address"].lower())
        status: str = "received"
        reason: str | None = None
        if v["received_on"] > rnd.window_closes or v["received_on"] < rnd.window_opens:
            status, reason = (
                "rejected",
                (f"inkom {v['received_on']}, utanför ansökningstiden {rnd.window_opens} – {rnd.window_closes}"),
            )
            late += 1
        elif pnr_hash in seen_pnr:
            status, reason = "duplicate", f"samma sökande som rad {seen_pnr[pnr_hash]}"
            dupes += 1
        elif len(households[household_hash]) >= rnd.per_household:
            status, reason = "duplicate", f"hushållet har redan ansökt (rad {households[household_hash][0]})"
            dupes += 1
        if status == "received":
            seen_pnr[pnr_hash] = line
            households[household_hash].append(line)
        personal = privacy.encrypt(
            {
                "name": v["name"],
                "pnr": v["pnr"],
                "address": v["address"],
                "income": v["income"],
                "account": v["account"],
            }
        )
        rows.append(
            {
                "round_id": rnd.id,
                "line": line,
                "received_on": v["received_on"],
                "personal": personal,
                "pnr_hash": pnr_hash,
                "household_hash": household_hash,
                "household_size": v["household"],
                "resident": v["municipality"].lower().startswith(municipality),
                "age": v["age"],
                "monthly_income_per_person": v["income"] // v["household"],
                "purpose": v["purpose"],
                "amount_applied": v["amount"],
                "status": status,
                "reason": reason,
            }
        )
    if rows:
        session.execute(insert(Application), rows)
    rnd.imported_files = [*rnd.imported_files, digest]
    audit(
        session,
        "donation.imported",
        errand_id=errand.id,
        after={
            "file_sha256": digest,
            "imported": len(rows),
            "late": late,
            "duplicates": dupes,
            "invalid_lines": [line for line, _ in invalid],
        },
    )
    return ImportResult(len(rows), late, dupes, invalid)


def _existing(session: Session, rnd: DonationRound, column):  # type: ignore[no-untyped-def]
    stmt = select(column, Application).where(Application.round_id == rnd.id, Application.status == "received")
    return [(h, a) for h, a in session.execute(stmt) if h]
