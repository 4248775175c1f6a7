"""Sign-in through the real test provider: a registered provider, and a person's trip there and back."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.oidc import add_provider, log_in


@pytest.fixture
def provider(session, settings, oidc_provider):
    """Registered the way a site admin would; the test provider behaves normally again afterwards."""
    yield add_provider(session, settings, oidc_provider.issuer)
    oidc_provider.misbehave("normal")


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture
def go_to_provider(client):
    """Click "Sign in with …" and sign in as `login` at the provider: the portal's callback address, unvisited."""
    def go(provider, login: str, **kwargs) -> str:
        response = client.get(f"/sign-in/with/{provider.id}")
        assert response.status_code == 302, response.get_data(as_text=True)
        return local(log_in(response.headers["Location"], login, **kwargs))
    return go


@pytest.fixture
def sign_in_through(client, go_to_provider):
    """The whole trip: the portal's answer to the provider's reply."""
    def trip(provider, login: str, **kwargs):
        return client.get(go_to_provider(provider, login, **kwargs))
    return trip
