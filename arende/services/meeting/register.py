"""The justering register: every digitally justerat protocol entered in a hash chain.

An entry's hash is SHA-256 over the previous entry's hash, the protocol file's SHA-256
and the time it was entered; the head (the last entry's hash) is shown on the
Anslagstavla. `arende verify --chain` recomputes the chain from the stored files and
names the first entry that differs: a protocol file changed afterwards, an entry changed
or one taken out all show."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import JusteringRecord, Meeting, SigningRound
from db.models.base import stored_path, utcnow

GENESIS = "0" * 64


def entry_hash(previous: str, sha256: str, recorded_at: str) -> str:
    return hashlib.sha256(f"{previous}\n{sha256}\n{recorded_at}".encode()).hexdigest()


def _stamp(record: JusteringRecord) -> str:
    moment = record.recorded_at
    if moment.tzinfo is None:  # SQLite gives naive UTC back
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def head(session: Session) -> JusteringRecord | None:
    return session.scalars(select(JusteringRecord).order_by(JusteringRecord.id.desc())).first()


def enter(session: Session, meeting: Meeting, round_: SigningRound) -> JusteringRecord:
    """The signed protocol entered after the chain's head (once per round)."""
    existing = session.scalar(select(JusteringRecord).where(JusteringRecord.round_id == round_.id))
    if existing is not None:
        return existing
    last = head(session)
    record = JusteringRecord(
        meeting_id=meeting.id,
        round_id=round_.id,
        file=round_.file,
        sha256=round_.sha256,
        previous=last.entry_hash if last else GENESIS,
        entry_hash="",
        recorded_at=utcnow().replace(microsecond=0),
    )
    record.entry_hash = entry_hash(record.previous, record.sha256, _stamp(record))
    session.add(record)
    session.flush()
    return record


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    head: str
    first_broken: int | None  # the entry's number (1 = first)
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def check_chain(session: Session) -> ChainCheck:
    previous = GENESIS
    records = list(session.scalars(select(JusteringRecord).order_by(JusteringRecord.id)))
    for number, record in enumerate(records, start=1):
        path = stored_path(record.file)
        data = path.read_bytes() if path is not None and path.is_file() else None
        if data is None:
            return ChainCheck(len(records), previous, number, f"the protocol file {record.file} is missing")
        if hashlib.sha256(data).hexdigest() != record.sha256:
            return ChainCheck(len(records), previous, number, f"the protocol file {record.file} has changed")
        if record.previous != previous:
            return ChainCheck(len(records), previous, number, "the entry does not follow the one before it")
        if entry_hash(previous, record.sha256, _stamp(record)) != record.entry_hash:
            return ChainCheck(len(records), previous, number, "the entry has been changed")
        previous = record.entry_hash
    return ChainCheck(len(records), previous, None)


def registered(session: Session, sha256: str) -> JusteringRecord | None:
    return session.scalar(select(JusteringRecord).where(JusteringRecord.sha256 == sha256))
