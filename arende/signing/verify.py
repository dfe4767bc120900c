"""Verification for anyone: who signed a PDF, in which role, when, whether each
signature is intact, covers what it should, and chains to a trusted root (the
installation's CA and the configured list), offline. Used by `arende verify` and the
public page /verifiera; a PDF that is not one, is cut short or carries no signature is
refused with one line."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from arende.errors import InvalidInput

MAX_BYTES = 50 * 1024 * 1024  # a protocol is a few hundred kB; a 200 MB upload is refused


@dataclass
class SignatureReport:
    field: str
    signer: str  # the certificate's name
    role: str  # as the stamp and the signature's /Name give it
    signed_at: dt.datetime | None
    reason: str
    intact: bool  # the signed bytes are as signed
    valid: bool  # the signature value checks against them
    trusted: bool  # its certificate chains to a trusted root and was valid then
    whole_file: bool  # the last signature covers every byte
    only_signatures_after: bool  # what came after it is later signatures only
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.only_signatures_after


@dataclass
class Verification:
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures) and self.signatures[-1].whole_file


def _context(roots: list[Any], crls: list[Any]) -> Any:
    """Offline: the given roots and revocation lists, nothing fetched. A certificate on a
    list is revoked; one whose issuer publishes no list here is taken as not revoked."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator import ValidationContext

    der = serialization.Encoding.DER
    anchors = [asn1_x509.Certificate.load(r.public_bytes(der)) for r in roots]
    lists = [asn1_crl.CertificateList.load(c.public_bytes(der)) for c in crls]
    return ValidationContext(trust_roots=anchors, crls=lists, allow_fetching=False, revocation_mode="soft-fail")


def read_signatures(data: bytes) -> list[Any]:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if len(data) > MAX_BYTES:
        raise InvalidInput("file", f"is {len(data) // (1024 * 1024)} MB; a protocol is at most {MAX_BYTES >> 20} MB")
    if not data.startswith(b"%PDF-"):
        raise InvalidInput("file", "is not a PDF")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidInput("file", f"cannot be read as a PDF (cut short or damaged: {str(exc)[:80]})") from None
    if not signatures:
        raise InvalidInput("file", "carries no signature: it is not a digitally justerat protocol")
    return signatures


def verify_pdf(data: bytes, roots: list[Any], crls: list[Any] | None = None) -> Verification:
    """Every signature of the PDF, checked offline against `roots` and `crls`."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError, ValidationInfoReadingError

    result = Verification()
    for embedded in read_signatures(data):
        name = str(embedded.sig_object.get("/Name", "")) if "/Name" in embedded.sig_object else ""
        reason = str(embedded.sig_object.get("/Reason", "")) if "/Reason" in embedded.sig_object else ""
        try:
            status = validate_pdf_signature(embedded, _context(roots, crls or []))
        except PdfReadError:
            # What the signature covers no longer reads as the PDF that was signed.
            result.signatures.append(_broken(embedded.field_name, name, reason, "the file has been changed"))
            continue
        except (SignatureValidationError, ValidationInfoReadingError, ValueError) as exc:
            result.signatures.append(
                SignatureReport(
                    embedded.field_name, name, "", None, reason, False, False, False, False, False, str(exc)
                )
            )
            continue
        cert = status.signing_cert
        signer = cert.subject.native.get("common_name", "") if cert is not None else ""
        level = status.modification_level
        result.signatures.append(
            SignatureReport(
                field=embedded.field_name,
                signer=str(signer),
                role=_role(embedded.field_name),
                signed_at=status.signer_reported_dt,
                reason=reason,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
                only_signatures_after=level is None or level.name in ("NONE", "LTA_UPDATES", "FORM_FILLING"),
                problem="" if status.trusted else _why_untrusted(status),
            )
        )
    return result


def _broken(field: str, name: str, reason: str, problem: str) -> SignatureReport:
    return SignatureReport(
        field=field,
        signer=name,
        role=_role(field),
        signed_at=None,
        reason=reason,
        intact=False,
        valid=False,
        trusted=False,
        whole_file=False,
        only_signatures_after=False,
        problem=problem,
    )


ROLE_OF_FIELD = {"ordforande": "ordförande", "justerare": "justerare", "sekreterare": "sekreterare"}


def _role(field_name: str) -> str:
    """Fields are named for their role: Ordforande, Justerare1, Sekreterare."""
    return ROLE_OF_FIELD.get(field_name.rstrip("0123456789").lower(), field_name)


def _why_untrusted(status: Any) -> str:
    """pyHanko's reason (expired, revoked, no path to a root) in words."""
    trust = getattr(status, "trust_problem_indic", None)
    if trust is not None:
        return str(getattr(trust, "name", trust)).lower().replace("_", " ")
    return "the certificate does not chain to a trusted root"
