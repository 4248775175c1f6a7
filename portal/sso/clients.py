"""The OpenID Connect conversation with a provider, through Authlib's Flask client: authorisation code
with PKCE, state and nonce; the ID token checked against the provider's keys (cached with the client,
fetched again when a token names a key we have not seen), issuer, audience and expiry with a small skew.

One client per provider and version is kept for the life of the process, so the discovery document and
the provider's keys are fetched once, not on every sign-in."""
from __future__ import annotations

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskOAuth2App
from flask import Response, request
from joserfc.errors import JoseError

from portal.config import Settings
from portal.extensions import oauth
from portal.models import IdentityProvider
from portal.sso.identity import SignInRefused
from portal.sso.secrets import SecretUnreadable, unseal

SCOPES = "openid email profile"


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def _client(provider: IdentityProvider, settings: Settings) -> FlaskOAuth2App:
    """Registered under a name that changes when the provider is edited, so an edit takes effect at once."""
    name = f"idp{provider.id}at{provider.updated_at.timestamp():.6f}".replace(".", "_")
    client = oauth.create_client(name)
    if client is None:
        try:
            secret = unseal(settings, provider.client_secret_sealed)
        except SecretUnreadable:
            raise SignInRefused("misconfigured", "client secret sealed with another key") from None
        oauth.register(name, client_id=provider.client_id, client_secret=secret,
                       server_metadata_url=discovery_url(provider.issuer),
                       client_kwargs={"scope": SCOPES, "code_challenge_method": "S256",
                                      "token_endpoint_auth_method": "client_secret_basic",
                                      "default_timeout": settings.oidc_timeout_seconds})
        client = oauth.create_client(name)
    return client


def _metadata(client: FlaskOAuth2App, provider: IdentityProvider) -> dict:
    """The provider's discovery document, which must name the issuer registered here exactly."""
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused("unreachable", f"discovery: {error}") from None
    if metadata.get("issuer") != provider.issuer:
        raise SignInRefused("misconfigured", f"discovery names issuer {metadata.get('issuer')!r}")
    return metadata


def check_discovery(issuer: str, settings: Settings) -> str | None:
    """What is wrong with an issuer a site admin typed, in words for the form; None when it answers well."""
    try:
        response = requests.get(discovery_url(issuer), timeout=settings.oidc_timeout_seconds)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError):
        return f"No OpenID provider answered at {discovery_url(issuer)}. Check the issuer URL."
    if metadata.get("issuer") != issuer:
        return f"That provider calls itself {metadata.get('issuer')}: enter exactly that."
    missing = [key for key in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not metadata.get(key)]
    if missing:
        return f"That provider's discovery document lacks {', '.join(missing)}."
    return None


def id_token_rules(provider: IdentityProvider, settings: Settings) -> dict:
    """What Authlib checks beyond the signature, audience and nonce: the issuer registered here, and times
    with a small allowance for clocks that disagree."""
    return {"leeway": settings.oidc_clock_skew_seconds,
            "claims_options": {"iss": {"essential": True, "value": provider.issuer}}}


def start(provider: IdentityProvider, settings: Settings, callback_url: str) -> Response:
    """Send the person to the provider; state, nonce and the PKCE verifier wait in their session."""
    client = _client(provider, settings)
    _metadata(client, provider)
    return client.authorize_redirect(callback_url)


def finish(provider: IdentityProvider, settings: Settings) -> tuple[dict, str]:
    """The checked claims of the ID token and the token itself (kept for signing out at the provider)."""
    client = _client(provider, settings)
    _metadata(client, provider)
    error = request.args.get("error")
    if error:
        raise SignInRefused("cancelled" if error in ("access_denied", "login_required") else "provider",
                            f"{error}: {request.args.get('error_description', '')}"[:300])
    if request.args.get("iss", provider.issuer) != provider.issuer:  # RFC 9207: a reply meant for another provider
        raise SignInRefused("token", f"authorisation response from issuer {request.args['iss']!r}"[:300])
    try:
        token = client.authorize_access_token(**id_token_rules(provider, settings))
    except MismatchingStateError:
        raise SignInRefused("state", "state not started in this session") from None
    except OAuthError as refused:
        raise SignInRefused("provider", f"{refused.error}: {refused.description}"[:300]) from None
    except JoseError as bad:
        raise SignInRefused("token", f"{type(bad).__name__}: {bad}"[:300]) from None
    except (requests.RequestException, ValueError) as failed:
        raise SignInRefused("unreachable", f"{type(failed).__name__}: {failed}"[:300]) from None
    if not token.get("userinfo"):
        raise SignInRefused("token", "no ID token in the token response")
    return dict(token["userinfo"]), token["id_token"]


def end_session_url(provider: IdentityProvider, settings: Settings, id_token: str, after: str) -> str | None:
    """Where to send the person so the provider signs them out too (RP-initiated logout), if it offers that."""
    try:
        client = _client(provider, settings)
        metadata = _metadata(client, provider)
    except SignInRefused:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client.create_logout_url(post_logout_redirect_uri=after, id_token_hint=id_token,
                                    client_id=provider.client_id)["url"]
