"""A small outside signing service of the tests' own, on loopback: what a Swedish
e-legitimation signing service does for Ärende (arende.signing.remote), with a test CA
made at test time. Each user gets a key and a certificate from it; /sign returns the
ECDSA signature over the signed attributes it is sent. `expired` users get a
certificate that ended yesterday; `declines` users refuse to sign."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testlegitimation AB"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


class TestCA:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name("Testlegitimation Root CA"))
            .issuer_name(_name("Testlegitimation Root CA"))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    def issue(self, name: str, *, expired: bool = False) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        start, end = (now - dt.timedelta(days=30), now - dt.timedelta(days=1)) if expired else (
            now - dt.timedelta(minutes=5), now + dt.timedelta(days=30))  # fmt: skip
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(
                x509.CRLDistributionPoints(
                    [x509.DistributionPoint([x509.UniformResourceIdentifier("urn:x-test:crl")], None, None, None)]
                ),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return cert, key

    def crl(self, revoked: list[x509.Certificate]) -> bytes:
        """The CA's revocation list naming `revoked`, as PEM."""
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(now - dt.timedelta(minutes=1))
            .next_update(now + dt.timedelta(days=7))
        )
        for cert in revoked:
            entry = x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(now).build()
            builder = builder.add_revoked_certificate(entry)
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


class SigningService:
    """users: username -> the person's name; started on a free loopback port."""

    def __init__(self, users: dict[str, str], *, expired: set[str] = frozenset(), declines: set[str] = frozenset()):  # type: ignore[assignment]
        self.ca = TestCA()
        self.people = {u: self.ca.issue(n, expired=u in expired) for u, n in users.items()}
        self.declines = set(declines)
        self.requests: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
                pass

            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                service.requests.append(self.path)
                answer, status = service.answer(self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, body: dict[str, str]) -> tuple[dict[str, object], int]:
        person = self.people.get(body.get("user", ""))
        if person is None:
            return {"error": "unknown user"}, 404
        cert, key = person
        if path == "/certificate":
            chain = [cert.public_bytes(serialization.Encoding.PEM).decode(), self.ca.pem().decode()]
            return {"certificates": chain}, 200
        if path == "/sign":
            if body["user"] in self.declines:
                return {"error": "the person declined to sign in the app"}, 409
            attributes = base64.b64decode(body["signed_attributes"])
            signature = key.sign(attributes, ec.ECDSA(hashes.SHA256()))
            return {"signature": base64.b64encode(signature).decode()}, 200
        return {"error": "no such endpoint"}, 404

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
