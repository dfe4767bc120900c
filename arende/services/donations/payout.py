"""After the decision: the payout file, once, and erasure of personal data after retention."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from arende import privacy
from arende.errors import Conflict
from arende.rules.legalcalendar import add_period
from arende.rules.workflow import Direction
from arende.services.common import audit, get_errand, today
from arende.services.diary import register_document
from arende.services.donations.rounds import SECRECY, round_of
from arende.settings import get_settings
from db.models import Application, Document, DonationRound, Errand, Fund, Grant
from db.models.base import stored_name

# --- payout --------------------------------------------------------------------------------


def payout_lines(session: Session, rnd: DonationRound) -> list[str]:
    """The bank file: a header and one line per grant, in grant order; amounts in öre."""
    codes = {f.id: f.code for f in session.scalars(select(Fund))}
    grants = session.execute(
        select(Grant, Application)
        .join(Application, Application.id == Grant.application_id)
        .where(Grant.round_id == rnd.id)
        .order_by(Grant.id)
    ).all()
    body = []
    for g, a in grants:
        assert a.personal is not None  # erased rounds have no payout file to write
        p = privacy.decrypt(a.personal)
        body.append(
            ";".join(
                [
                    str(g.id),
                    p["pnr"],
                    p["name"].replace(";", " "),
                    p["account"],
                    str(g.amount * 100),
                    f"DONATION {rnd.year} {codes[g.fund_id]}",
                ]
            )
        )
    total = sum(g.amount for g, _ in grants) * 100
    return [f"#ARENDE-UTBETALNING;1;{rnd.year};{rnd.payout_on.isoformat()};{len(body)};{total}", *body]


def produce_payout(session: Session, errand: Errand, on: dt.date) -> None:
    """Write the payout file once and mark every grant paid, in one transaction. A
    rerun after a crash before the commit writes the identical file again; after the
    commit it is a no-op: never a second payout."""
    rnd = round_of(session, errand, lock=True)
    if rnd.payout_sha256 is not None:
        return
    data = ("\n".join(payout_lines(session, rnd)) + "\n").encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    from arende.files import write_private

    # Personal data (names, personnummer, accounts): owner-only from the first byte.
    path = write_private(
        get_settings().var_dir / "payouts" / f"donation-{rnd.year}-{digest[:16]}.txt", data, "ARENDE_VAR_DIR"
    )
    session.execute(update(Grant).where(Grant.round_id == rnd.id).values(paid_on=rnd.payout_on))
    rnd.payout_sha256, rnd.payout_path = digest, str(path)
    register_document(
        session,
        errand,
        registered_on=on,
        direction=Direction.OUTGOING,
        counterpart="Ekonomienheten",
        description=f"Utbetalningsfil donationsfonder {rnd.year}",
        kind="utbetalningsfil",
        file_name=path.name,
        storage_path=stored_name(path),
        sha256=digest,
        secrecy_provision=SECRECY,
        who="flow",
    )
    audit(
        session,
        "donation.payout",
        errand_id=errand.id,
        after={"sha256": digest, "payout_on": rnd.payout_on},
        who="flow",
    )


def ready_to_close(session: Session, errand: Errand) -> str | None:
    rnd = round_of(session, errand)
    return None if rnd.payout_sha256 else "the payout file is not produced"


# --- erasure -------------------------------------------------------------------------------


def erase(session: Session, dnr: str, *, on: dt.date | None = None) -> int:
    """After the retention period: remove applicants' personal data and the files that
    hold it; the decision, its totals and every grant's fund, purpose and amount stay."""
    on = on or today()
    errand = get_errand(session, dnr, lock=True)
    rnd = round_of(session, errand, lock=True)
    if rnd.payout_sha256 is None:
        raise Conflict("dnr", f"{errand.dnr} has not been paid out; nothing may be erased yet")
    years = get_settings().donation_retention_years
    allowed = add_period(rnd.payout_on, years=years)
    if on < allowed:
        raise Conflict("date", f"the retention period ({years} years after payout) ends {allowed}")
    holding = list(
        session.scalars(
            select(Document).where(
                Document.errand_id == errand.id,
                Document.kind.in_(["donation_bilaga", "utbetalningsfil"]),
                Document.storage_path.is_not(None),
            )
        )
    )
    # Every file that holds the personal data must be where the record says, or nothing
    # is erased: a record saying "erased" while a copy stays on disk is the worse outcome.
    for doc in holding:
        file = doc.file
        if file is None or not file.is_file():
            raise Conflict("file", f"{doc.file_name} is not at {file}; find it before erasing (nothing was erased)")
    count = 0
    for a in session.scalars(
        select(Application).where(Application.round_id == rnd.id, Application.personal.is_not(None))
    ):
        a.personal, a.pnr_hash, a.household_hash = None, None, None
        count += 1
    for doc in holding:
        stored = doc.file
        assert stored is not None  # every one checked above
        stored.unlink()
        doc.storage_path = None
        doc.description = f"{doc.description} (gallrad {on})"
    rnd.payout_path = None
    rnd.erased_at = dt.datetime.now(dt.UTC)
    audit(session, "donation.erased", errand_id=errand.id, after={"applications": count, "on": on})
    return count
