"""argon2id password hashes with the OWASP Password Storage Cheat Sheet's parameters: 19 MiB of memory, 2
iterations, 1 lane. Measured on the 2-core development machine under load: about 33 ms of CPU a hash, where
argon2-cffi's default (64 MiB, 3 iterations, 4 lanes) took about 220 ms of CPU over four threads, which made a
sign-in take 0.7-2 s when many came at once. A hash made with other parameters still verifies, and is made
again with these on the next successful sign-in (`needs_rehash`)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# A real hash to verify against when the e-mail is unknown, so timing does not reveal who exists.
_DUMMY = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash that just verified was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
