"""Login through the municipality's OpenID Connect provider, when the settings name one
(ARENDE_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET).

The authorization code flow with PKCE (authlib's S256 challenge): the browser is sent to
the provider with a random state, nonce and code challenge kept in a short-lived
HttpOnly cookie; the provider sends it back with a code, which is exchanged for an ID
token over the back channel; the token's signature (the provider's published keys),
issuer, audience, expiry and nonce are checked (joserfc). The person is then the local
account whose user name is the token's `ARENDE_OIDC_USERNAME_CLAIM`: the provider says
who someone is, Ärende's own accounts say what they may do. Someone the provider knows
but Ärende does not gets a page saying so, and no session.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from arende.errors import ArendeError
from arende.settings import get_settings

COOKIE = "arende_oidc"
COOKIE_SECONDS = 600


class OidcRefused(ArendeError):
    """The provider's answer cannot be trusted or names no account here."""


@dataclass(frozen=True)
class Provider:
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    issuer: str


_DISCOVERED: dict[str, tuple[float, Provider]] = {}


def enabled() -> bool:
    s = get_settings()
    return bool(s.oidc_issuer and s.oidc_client_id)


def provider() -> Provider:
    """The provider's endpoints from its discovery document, kept for an hour."""
    import httpx

    issuer = str(get_settings().oidc_issuer).rstrip("/")
    cached = _DISCOVERED.get(issuer)
    if cached and time.monotonic() - cached[0] < 3600:
        return cached[1]
    try:
        doc = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=10).raise_for_status().json()
        found = Provider(doc["authorization_endpoint"], doc["token_endpoint"], doc["jwks_uri"], doc["issuer"])
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise OidcRefused(
            "oidc", f"the provider's discovery failed: {exc}", sv="inloggningstjänsten svarar inte"
        ) from None
    _DISCOVERED[issuer] = (time.monotonic(), found)
    return found


def start(redirect_uri: str, next_path: str) -> tuple[str, str]:
    """(the provider's address to send the browser to, the cookie that remembers the flow)."""
    from authlib.common.security import generate_token
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    flow = {"state": generate_token(32), "nonce": generate_token(32), "verifier": generate_token(64), "next": next_path}
    query = urlencode(
        {
            "response_type": "code",
            "client_id": get_settings().oidc_client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid profile email",
            "state": flow["state"],
            "nonce": flow["nonce"],
            "code_challenge": create_s256_code_challenge(flow["verifier"]),
            "code_challenge_method": "S256",
        }
    )
    return f"{provider().authorization_endpoint}?{query}", json.dumps(flow)


def finish(cookie: str, state: str, code: str, redirect_uri: str) -> tuple[str, str]:
    """(the user name the provider vouches for, where to go next); OidcRefused otherwise."""
    import hmac

    import httpx
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    try:
        flow = json.loads(cookie)
        expected = str(flow["state"])
    except (ValueError, KeyError, TypeError):
        raise OidcRefused("oidc", "no login in progress", sv="ingen inloggning pågår; börja om") from None
    if not state or not hmac.compare_digest(state, expected):
        raise OidcRefused("oidc", "the state does not match", sv="svaret hör inte till den här inloggningen")
    settings = get_settings()
    p = provider()
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    try:
        answer = (
            httpx.post(
                p.token_endpoint,
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "client_id": settings.oidc_client_id,
                    "code_verifier": flow["verifier"],
                    **({"client_secret": secret} if secret else {}),
                },
                timeout=10,
            )
            .raise_for_status()
            .json()
        )
        keys = KeySet.import_key_set(httpx.get(p.jwks_uri, timeout=10).raise_for_status().json())
        token = jwt.decode(answer["id_token"], keys)
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": p.issuer},
            aud={"essential": True, "value": str(settings.oidc_client_id)},
            exp={"essential": True},
            nonce={"essential": True, "value": flow["nonce"]},
        ).validate(token.claims)
    except (httpx.HTTPError, ValueError, KeyError, JoseError) as exc:
        raise OidcRefused(
            "oidc", f"the provider's answer was refused: {exc}", sv="inloggningstjänstens svar godtogs inte"
        ) from None
    username = token.claims.get(settings.oidc_username_claim)
    if not isinstance(username, str) or not username:
        raise OidcRefused(
            "oidc",
            f"the ID token has no {settings.oidc_username_claim}",
            sv="inloggningstjänsten uppgav inget användarnamn",
        )
    return username.split("@")[0].lower() if settings.oidc_strip_domain else username.lower(), str(flow["next"])
