"""What `arende verify` and the public page /verifiera say about a signed PDF: each
signature (who, in which role, when, intact, trusted), the meeting and Dnr it belongs to
when it is one of ours, and whether it is in the justering register."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select


@dataclass
class Finding:
    ok: bool
    signatures: list[dict[str, str | bool]] = field(default_factory=list)
    belongs_to: str = ""  # "Arbetslivsnämnden 2022-02-15, § 11–20"
    registered: str = ""  # "post 3 i justeringsregistret"
    summary: str = ""


def find(data: bytes) -> Finding:
    """The PDF checked against the installation's CA and the configured roots."""
    from arende.services.meeting.register import registered
    from arende.signing.ca import revocation_lists, trusted_roots
    from arende.signing.verify import verify_pdf
    from db.models import JusteringRecord, Meeting, SigningRound
    from db.session import session_scope

    report = verify_pdf(data, trusted_roots(), revocation_lists())
    finding = Finding(ok=report.ok)
    for s in report.signatures:
        when = s.signed_at.astimezone().strftime("%Y-%m-%d %H:%M") if s.signed_at else "okänd tid"
        if s.ok:
            state = "intakt och betrodd"
        elif not s.intact or not s.valid:
            state = "ÄNDRAD: det underskrivna har ändrats efter underskriften"
        elif not s.trusted:
            state = f"INTE BETRODD: {s.problem}"
        else:
            state = "ÄNDRAD: annat än underskrifter har lagts till efter den"
        finding.signatures.append(
            {"role": s.role.capitalize(), "name": s.signer, "when": when, "state": state, "ok": s.ok}
        )
    digest = hashlib.sha256(data).hexdigest()
    with session_scope() as session:
        record = registered(session, digest)
        round_ = session.scalar(select(SigningRound).where(SigningRound.sha256 == digest))
        meeting_id = record.meeting_id if record else round_.meeting_id if round_ else None
        meeting = session.get(Meeting, meeting_id) if meeting_id else None
        if meeting is not None:
            finding.belongs_to = f"{meeting.organ.name} {meeting.held_on.isoformat()}"
        if record is not None:
            count = len(list(session.scalars(select(JusteringRecord.id).where(JusteringRecord.id <= record.id))))
            finding.registered = f"post {count} i justeringsregistret"
    if report.ok and not report.signatures[-1].whole_file:
        finding.summary = "underskrifterna gäller inte hela filen: något har lagts till efter den sista"
    elif report.ok:
        finding.summary = "alla underskrifter är intakta och betrodda"
    else:
        finding.summary = "minst en underskrift håller inte: filen är ändrad eller underskriften inte betrodd"
    return finding


def verify_lines(data: bytes) -> tuple[list[str], bool]:
    finding = find(data)
    lines = [f"{s['role']}: {s['name']}, {s['when']} – {s['state']}" for s in finding.signatures]
    if finding.belongs_to:
        lines.append(f"Protokoll: {finding.belongs_to}" + (f" ({finding.registered})" if finding.registered else ""))
    else:
        lines.append("Protokollet finns inte i det här systemets register")
    lines.append(("OK: " if finding.ok else "FEL: ") + finding.summary)
    return lines, finding.ok


def chain_lines() -> tuple[list[str], bool]:
    from arende.services.meeting.register import check_chain
    from db.session import session_scope

    with session_scope() as session:
        check = check_chain(session)
    if check.ok:
        return [f"Justeringsregistret: {check.entries} poster, kedjan hel, huvud {check.head}"], True
    return [f"Justeringsregistret: post {check.first_broken} av {check.entries} stämmer inte: {check.problem}"], False
