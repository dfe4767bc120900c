"""A protocol extract certified digitally: from a protocol that was justerat digitally,
the extract as a PDF/A-2b signed by the one who certifies it (PAdES, an invisible
signature), its Utdragsbestyrkande saying so. The signed PDF is the extract's archive
copy; anyone verifies it as they verify a protocol."""

from __future__ import annotations

from sqlalchemy.orm import Session

from arende.errors import Conflict
from arende.signing.pdf import SignatureRequest, Signer, Slot, add_invisible_field
from db.models import Document, Errand
from db.models.base import stored_name

CERTIFIER_FIELD = "Utdragsbestyrkande"


def signed_extract(session: Session, errand: Errand, *, certifier: str, signer: Signer) -> tuple[Document, bytes]:
    from arende.files import write_private
    from arende.services.archive import convert_to_pdfa
    from arende.services.common import decision_of
    from arende.services.documents import certifier_named, protocol_extract
    from arende.services.meeting.sign_view import latest_signed
    from arende.settings import get_settings

    decision = decision_of(session, errand.id)
    if decision is None:
        raise Conflict("dnr", f"{errand.dnr} has no decision yet; there is no § to extract")
    if latest_signed(session, decision.meeting) is None:
        raise Conflict(
            "dnr",
            f"the protocol of {decision.meeting.held_on} was not justerat digitally; certify its extract on paper",
            sv="protokollet justerades inte digitalt; bestyrk utdraget på papper",
        )
    named = certifier_named(session, certifier)
    wording = f"{named}, bestyrkt med elektronisk underskrift i denna PDF-fil"
    document, docx = protocol_extract(session, errand, certified_by_text=wording)
    request = SignatureRequest(
        Slot(CERTIFIER_FIELD, named, "Utdragsbestyrkande"),
        reason=f"Utdragsbestyrkande, {errand.organ.name} {decision.meeting.held_on.isoformat()} § {decision.paragraph}",
        location=get_settings().municipality,
        certify=True,
    )
    signed = signer.sign(add_invisible_field(convert_to_pdfa(docx), CERTIFIER_FIELD), request)
    path = document.file
    assert path is not None  # a produced document is stored
    target = write_private(path.with_suffix(".signerad.pdf"), signed, "ARENDE_DOCUMENTS_DIR")
    document.archive_path = stored_name(target)
    return document, signed
