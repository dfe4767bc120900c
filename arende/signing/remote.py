"""An outside signing service, as Swedish e-legitimation signing works: the person signs
at the service (BankID, Freja), which holds or issues their certificate; only what is to
be signed travels, never the document.

pyHanko's interrupted signing: the PDF is prepared here with the signature placeholder
and its byte-range digest; the CMS signed attributes over that digest go to the service,
which returns the signature value; the CMS is assembled and embedded here.

The service's interface (JSON over HTTPS, `ARENDE_SIGNING_SERVICE_URL`):
- POST /certificate {"user"} -> {"certificates": [PEM, ...]} (the signer's first)
- POST /sign {"user", "digest_algorithm": "sha256", "signed_attributes": base64 DER}
  -> {"signature": base64}: the signature value over the signed attributes, made once
  the person has confirmed with their e-legitimation; {"error": "..."} when they decline.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import urllib.error
import urllib.request
from typing import Any

from arende.errors import Conflict
from arende.signing.pdf import SignatureRequest, pdf_signer, text_params

TIMEOUT_SECONDS = 180  # the person confirms in their e-legitimation app meanwhile


def _post(url: str, payload: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - a configured URL
            answer = json.loads(response.read(1_000_000))
    except urllib.error.HTTPError as exc:
        try:
            answer = json.loads(exc.read(10_000))
        except ValueError:
            answer = {"error": f"HTTP {exc.code}"}
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise Conflict("signing_service", f"the signing service at {url} did not answer ({exc})") from None
    if not isinstance(answer, dict) or answer.get("error"):
        problem = answer.get("error") if isinstance(answer, dict) else "an answer that is not JSON"
        raise Conflict("signing_service", f"the signing service refused: {str(problem)[:200]}")
    return answer


class RemoteSigner:
    """Signs through the outside service, for the account `user`."""

    def __init__(self, url: str, user: str) -> None:
        self._url, self._user = url.rstrip("/"), user

    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        return asyncio.run(self._sign(pdf, request))

    async def _sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        from asn1crypto import algos
        from asn1crypto import x509 as asn1_x509
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        answer = _post(f"{self._url}/certificate", {"user": self._user})
        try:
            chain = [
                asn1_x509.Certificate.load(_pem_to_der(pem))
                for pem in answer["certificates"]  # the signer's first
            ]
        except (KeyError, TypeError, ValueError):
            raise Conflict("signing_service", "the signing service sent no usable certificate") from None
        if not chain:
            raise Conflict("signing_service", "the signing service sent no certificate")
        registry = SimpleCertificateStore.from_certs(chain)
        mechanism = algos.SignedDigestAlgorithm(
            {"algorithm": "sha256_ecdsa" if chain[0].public_key.algorithm == "ec" else "sha256_rsa"}
        )
        placeholder = signers.ExternalSigner(chain[0], registry, signature_value=512, signature_mechanism=mechanism)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        prepared, tbs, output = await pdf_signer(request, placeholder).async_digest_doc_for_signing(
            writer, existing_fields_only=True, appearance_text_params=text_params(request)
        )
        instructions = tbs.post_sign_instructions
        attributes = await placeholder.signed_attrs(prepared.document_digest, "sha256", use_pades=True)
        signed = _post(
            f"{self._url}/sign",
            {
                "user": self._user,
                "digest_algorithm": "sha256",
                "signed_attributes": base64.b64encode(attributes.dump()).decode(),
            },
        )
        try:
            value = base64.b64decode(signed["signature"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise Conflict("signing_service", "the signing service sent no signature value") from None
        final = signers.ExternalSigner(chain[0], registry, signature_value=value, signature_mechanism=mechanism)
        cms = await final.async_sign_prescribed_attributes("sha256", signed_attrs=attributes)
        await PdfTBSDocument.async_finish_signing(output, prepared, cms, post_sign_instr=instructions)
        output.seek(0)
        return bytes(output.read())


def _pem_to_der(pem: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
