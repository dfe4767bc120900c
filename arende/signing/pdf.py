"""Signing a PDF/A protocol: its signature fields on the last page ("Justerat digitalt",
drawn by the template), and a PAdES signature in one of them per signatory, each an
incremental update so the earlier ones stay valid.

The first signature certifies the document and allows only later signatures (DocMDP
level 2): any other change after it shows as a change. The fields exist before anyone
signs, so a later signature only fills its own. A visible signature is drawn in an
embedded font (EB Garamond, the documents' text face): a standard font would break PDF/A.
"""

from __future__ import annotations

import io
import logging
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from arende.errors import Conflict

# pyHanko and fontTools warn on every stamp about what they leave out of the embedded
# font subset (the "FFTM" table, CFF "ROS" metadata): harmless, and noise on a clerk's
# terminal and in the logs.
for _noisy in ("fontTools.subset", "pyhanko.pdf_utils.font.opentype"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)

CM = 72 / 2.54
# The last page: the template's heading and text end above 10 cm from the top; a box
# per signatory below, 16 cm wide, within the margins and above the footer.
FIRST_TOP_CM, BOX_HEIGHT_CM, GAP_CM, LEFT_CM, WIDTH_CM = 10.0, 2.4, 0.5, 2.5, 16.0
PAGE_HEIGHT_CM = 29.7
MAX_SIGNATORIES = 6


@dataclass(frozen=True)
class Slot:
    """A signatory's place: the field's name and the role written in the stamp."""

    field: str
    name: str
    role: str


@dataclass(frozen=True)
class SignatureRequest:
    slot: Slot
    reason: str  # "Justering av protokoll, Arbetslivsnämnden 2022-02-15"
    location: str  # the municipality
    certify: bool  # the first signature


class Signer(Protocol):
    """One way of producing a signatory's signature in a PDF: the built-in key
    (`BuiltinSigner`) or an outside signing service (`arende.signing.remote`)."""

    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes: ...


@lru_cache(maxsize=1)
def stamp_font() -> str:
    """The font file the visible signatures are drawn in, embedded in the PDF: EB
    Garamond, the documents' own text face on the server (fonts-ebgaramond). An OpenType
    (CFF) font: pyHanko 0.38 spaced the glyphs of TrueType fonts (Liberation Sans,
    DejaVu Sans) wrongly in the stamp, letter by letter across the box."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "EB Garamond 12"], capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()
    except OSError:
        found = ""
    for candidate in (found, "/usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf"):
        if candidate.lower().endswith(".otf") and "Garamond" in candidate and Path(candidate).is_file():
            return candidate
    raise Conflict(
        "font",
        "no font to draw signatures in: apt-get install fonts-ebgaramond (a PDF/A stamp needs an embedded font)",
    )


def _box(index: int) -> tuple[int, int, int, int]:
    top = PAGE_HEIGHT_CM - FIRST_TOP_CM - index * (BOX_HEIGHT_CM + GAP_CM)
    return (
        round(LEFT_CM * CM),
        round((top - BOX_HEIGHT_CM) * CM),
        round((LEFT_CM + WIDTH_CM) * CM),
        round(top * CM),
    )


def add_signature_fields(pdf: bytes, slots: list[Slot]) -> bytes:
    """The PDF/A with an empty signature field per signatory on its last page, as an
    incremental update (the converted file stays byte for byte in front)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    if len(slots) > MAX_SIGNATORIES:
        raise Conflict("signatories", f"at most {MAX_SIGNATORIES} can sign on the signature page, not {len(slots)}")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for i, slot in enumerate(slots):
        fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=slot.field, on_page=-1, box=_box(i)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_invisible_field(pdf: bytes, name: str) -> bytes:
    """One signature field with no box (a certified extract: its text says who signed)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=name))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _metadata(request: SignatureRequest) -> Any:
    from pyhanko.sign import fields, signers

    return signers.PdfSignatureMetadata(
        field_name=request.slot.field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=request.reason,
        location=request.location,
        name=request.slot.name,
        certify=request.certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )


def stamp_style() -> Any:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text="%(role)s: %(name)s\nUndertecknat elektroniskt %(ts)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(stamp_font()), font_size=12),
        timestamp_format="%Y-%m-%d %H:%M:%S %Z",
        border_width=1,
    )


def pdf_signer(request: SignatureRequest, signer: Any) -> Any:
    from pyhanko.sign import signers

    return signers.PdfSigner(_metadata(request), signer=signer, stamp_style=stamp_style())


def text_params(request: SignatureRequest) -> dict[str, str]:
    return {"role": request.slot.role, "name": request.slot.name}


class BuiltinSigner:
    """Signs with the person's key from the installation's CA (arende.signing.ca)."""

    def __init__(self, person_key: Any) -> None:
        self._key = person_key

    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        der = serialization.Encoding.DER
        cert = asn1_x509.Certificate.load(self._key.certificate.public_bytes(der))
        key = asn1_keys.PrivateKeyInfo.load(
            self._key.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in self._key.chain]
        signer = signers.SimpleSigner(
            signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs(chain)
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = pdf_signer(request, signer).sign_pdf(
            writer, existing_fields_only=True, appearance_text_params=text_params(request)
        )
        return bytes(out.getvalue())
