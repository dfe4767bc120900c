"""The installation's certificate authority and the people's signing keys (the built-in
signer, for small installations, tests and the demo).

The CA's key is encrypted under a key derived from the installation's data key
(arende.privacy); a person's key is encrypted under that person's own password, so it is
usable only at the moment they sign, with the password they type. Keys are files
readable by their owner only (0600, in `var/signing/`), never logged, never in Prefect.
ECDSA P-256 with SHA-256: fast to make and to verify, and what PAdES baseline accepts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from arende.errors import Conflict
from arende.files import private_folder, write_private
from arende.settings import get_settings

CA_YEARS = 20
CRL_URI = "urn:x-arende:signering:crl"
PERSON_YEARS = 3


def signing_dir() -> Path:
    return private_folder(get_settings().var_dir / "signing", "ARENDE_VAR_DIR")


def _ca_passphrase() -> bytes:
    """The CA key's passphrase: derived from the data key, never stored."""
    from arende.privacy import _key

    return hmac.new(_key(), b"arende signing CA", hashlib.sha256).hexdigest().encode()


def _name(common: str, organisation: str, unit: str | None = None) -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(parts)


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey, passphrase: bytes) -> None:
    encryption = serialization.BestAvailableEncryption(passphrase)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    write_private(path, pem)


@dataclass(frozen=True)
class Authority:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def ca_certificate_path() -> Path:
    return signing_dir() / "ca.pem"


def authority() -> Authority:
    """The installation's CA, made on first use ("<municipality> Ärende signering")."""
    folder = signing_dir()
    cert_path, key_path = folder / "ca.pem", folder / "ca-key.pem"
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=_ca_passphrase())
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return Authority(cert, key)
    municipality = get_settings().municipality
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{municipality} Ärende signering", municipality)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(_ca_passphrase())
    write_private(
        key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return Authority(cert, key)


@dataclass(frozen=True)
class PersonKey:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...]


def _person_paths(person_id: int) -> tuple[Path, Path]:
    folder = private_folder(signing_dir() / "people", "ARENDE_VAR_DIR")
    return folder / f"{person_id}.pem", folder / f"{person_id}-key.pem"


def person_key(person_id: int, name: str, password: str) -> PersonKey:
    """The person's signing key, unlocked by their password; made (with a certificate
    from the installation's CA) the first time they sign, and again when the password
    that locked it is no longer theirs (a reset by the administrator): earlier signatures
    keep their own certificate inside them and stay valid."""
    cert_path, key_path = _person_paths(person_id)
    ca = authority()
    if cert_path.exists() and key_path.exists():
        try:
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=password.encode())
        except ValueError:
            key = None  # locked by an earlier password: a new key below
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        if isinstance(key, ec.EllipticCurvePrivateKey) and cert.not_valid_after_utc > dt.datetime.now(dt.UTC):
            return PersonKey(cert, key, (ca.certificate,))
    key = ec.generate_private_key(ec.SECP256R1())
    municipality = get_settings().municipality
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name, municipality, "Ärende"))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * PERSON_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        # Declares that the CA publishes a revocation list, so verification consults it
        # (the list travels with the installation, var/signing/ca-crl.pem, not fetched).
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URI)], None, None, None)]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode())
    write_private(
        key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return PersonKey(cert, key, (ca.certificate,))


def trusted_roots() -> list[x509.Certificate]:
    """The roots a signature must chain to: the installation's CA and the configured
    list (ARENDE_TRUSTED_ROOTS: a PEM file of the e-legitimation providers' roots)."""
    # Verifying never makes a CA: an installation that has signed nothing trusts only
    # the configured roots.
    own = ca_certificate_path()
    roots = [x509.load_pem_x509_certificate(own.read_bytes())] if own.exists() else []
    extra = get_settings().trusted_roots
    if extra is not None:
        try:
            roots += x509.load_pem_x509_certificates(Path(extra).read_bytes())
        except (OSError, ValueError) as exc:
            raise Conflict(
                "ARENDE_TRUSTED_ROOTS", f"{extra} is not a readable PEM file of certificates ({exc})"
            ) from None
    return roots


def _crl_path() -> Path:
    return signing_dir() / "ca-crl.pem"


def revoke(person_id: int) -> str | None:
    """The person's signing certificate revoked: the CA's revocation list gains it (read
    by every verification), and the key is removed, so their next signature gets a new
    certificate. None when the person has no certificate."""
    cert_path, key_path = _person_paths(person_id)
    if not cert_path.exists():
        return None
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    ca = authority()
    now = dt.datetime.now(dt.UTC)
    revoked = [
        entry
        for entry in (_own_crl() or [])
        if entry.serial_number != cert.serial_number  # type: ignore[attr-defined]
    ]
    revoked.append(x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(now).build())
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now - dt.timedelta(minutes=1))
        # Verification is offline: the list stays current until the next revocation.
        .next_update(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.CRLNumber(len(revoked)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    for entry in revoked:
        builder = builder.add_revoked_certificate(entry)
    crl = builder.sign(ca.key, hashes.SHA256())
    write_private(_crl_path(), crl.public_bytes(serialization.Encoding.PEM))
    key_path.unlink(missing_ok=True)
    cert_path.replace(cert_path.with_name(f"{person_id}-revoked-{cert.serial_number:x}.pem"))
    return f"{cert.serial_number:x}"


def _own_crl() -> x509.CertificateRevocationList | None:
    path = _crl_path()
    return x509.load_pem_x509_crl(path.read_bytes()) if path.exists() else None


def revocation_lists() -> list[x509.CertificateRevocationList]:
    """The installation's own list and the configured ones (ARENDE_REVOCATION_LISTS)."""
    lists = [crl for crl in (_own_crl(),) if crl is not None]
    extra = get_settings().revocation_lists
    if extra is not None:
        try:
            data = Path(extra).read_bytes()
            if b"-----BEGIN X509 CRL-----" in data:
                blocks = data.split(b"-----END X509 CRL-----")
                lists += [x509.load_pem_x509_crl(b + b"-----END X509 CRL-----") for b in blocks if b.strip()]
            else:
                lists.append(x509.load_der_x509_crl(data))
        except (OSError, ValueError) as exc:
            raise Conflict("ARENDE_REVOCATION_LISTS", f"{extra} is not a readable revocation list ({exc})") from None
    return lists
