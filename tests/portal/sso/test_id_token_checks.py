"""What the portal asks Authlib to check in an ID token, with tokens made here: no provider, no network."""
from __future__ import annotations

import time

import pytest
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from portal.models import IdentityProvider
from portal.sso import clients
from portal.sso.secrets import seal

ISSUER = "https://login.example.invalid/tenant/v2.0"
KEY = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
ROGUE = RSAKey.generate_key(2048, parameters={"kid": "key-1"})  # same key id, not the provider's key


@pytest.fixture
def client(app, session, settings):
    """Authlib's client for a provider, its discovery document and keys already cached (as after a sign-in)."""
    provider = IdentityProvider(name="Example", issuer=ISSUER, client_id="the-portal",
                                client_secret_sealed=seal(settings, "secret"))
    session.add(provider)
    session.commit()
    with app.test_request_context():
        oauth_client = clients._client(provider, settings)
    oauth_client.server_metadata.update({"issuer": ISSUER, "_loaded_at": time.time(),
                                         "jwks": KeySet([KEY]).as_dict(private=False),
                                         "id_token_signing_alg_values_supported": ["RS256"]})

    def check(key=KEY, **changes) -> dict:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": "the-portal", "sub": "s-1", "iat": now, "exp": now + 300,
                  "nonce": "n-1", "email": "a@ato.gov.au"} | changes
        token = jwt.encode({"alg": "RS256", "kid": "key-1"}, claims, key)
        return oauth_client.parse_id_token({"id_token": token}, nonce="n-1", claims_cls=CodeIDToken,
                                           **clients.id_token_rules(provider, settings))
    return check


def test_a_token_from_the_provider_is_accepted(client):
    assert client()["email"] == "a@ato.gov.au"


def test_a_token_signed_by_another_key_is_refused(client):
    with pytest.raises(JoseError):
        client(key=ROGUE)


def test_a_token_from_another_issuer_is_refused(client):
    with pytest.raises(JoseError):
        client(iss="https://login.example.invalid/another-tenant/v2.0")


def test_a_token_for_another_client_is_refused(client):
    with pytest.raises(JoseError):
        client(aud="someone-else")


def test_a_token_with_another_nonce_is_refused(client):
    with pytest.raises(JoseError):
        client(nonce="replayed")


def test_a_token_expired_within_the_clock_skew_is_accepted(client, settings):
    assert settings.oidc_clock_skew_seconds == 60
    assert client(exp=int(time.time()) - 30)["sub"] == "s-1"


def test_a_token_expired_beyond_the_clock_skew_is_refused(client):
    with pytest.raises(JoseError):
        client(exp=int(time.time()) - 120)


def test_a_token_issued_in_the_future_beyond_the_skew_is_refused(client):
    with pytest.raises(JoseError):
        client(iat=int(time.time()) + 600, nbf=int(time.time()) + 600)
