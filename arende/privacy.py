"""Applicants' personal data at rest: encrypted with a key from the settings, and
found again (duplicates, households) through keyed hashes that reveal nothing in a
database dump. Nothing here logs, and nothing here should ever be logged."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from arende.errors import InvalidInput
from arende.settings import get_settings


def _key() -> bytes:
    settings = get_settings()
    if settings.data_key is not None:
        return settings.data_key.get_secret_value().encode()
    # The embedded default: a key file beside the SQLite database, readable by its owner only.
    path = settings.var_dir / "data.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    return path.read_bytes().strip()


@lru_cache(maxsize=4)
def _fernet(key: bytes) -> Fernet:
    try:
        return Fernet(key)
    except ValueError:
        raise InvalidInput(
            "data_key", "ARENDE_DATA_KEY is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from None


def encrypt(values: dict[str, Any]) -> str:
    return _fernet(_key()).encrypt(json.dumps(values, ensure_ascii=False).encode()).decode()


def decrypt(token: str) -> dict[str, Any]:
    try:
        return json.loads(_fernet(_key()).decrypt(token.encode()))
    except InvalidToken:
        raise InvalidInput("data_key", "personal data cannot be decrypted with this key") from None


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 under a key derived from the data key: equal inputs match, and
    without the key a dump cannot be searched for a known personnummer."""
    derived = hmac.new(_key(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(derived, value.encode(), hashlib.sha256).hexdigest()
