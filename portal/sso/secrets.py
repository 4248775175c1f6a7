"""Client secrets encrypted at rest with Fernet keys from the environment, so a database copy does not
give away an agency's client secret."""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from portal.config import Settings


class SecretUnreadable(Exception):
    """The stored secret was sealed with a key this server no longer has."""


def _keys(settings: Settings) -> MultiFernet:
    """IDENTITY_PROVIDER_KEYS (the first encrypts, every one decrypts, so keys can be rotated); without
    them one key derived from SECRET_KEY, which keeps the embedded mode free of set-up."""
    if settings.identity_provider_keys:
        return MultiFernet([Fernet(key) for key in settings.identity_provider_keys])
    derived = hashlib.sha256(b"oneaps identity provider secrets\x00" + settings.secret_key.encode()).digest()
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def seal(settings: Settings, secret: str) -> str:
    return _keys(settings).encrypt(secret.encode()).decode()


def unseal(settings: Settings, sealed: str) -> str:
    try:
        return _keys(settings).decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable() from None
