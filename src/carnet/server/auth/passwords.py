"""Password hashes in Jupyter's formats: `argon2:<encoded>` (the default), `sha1:` and `sha256:`.

Jupyter writes `<algorithm>:<salt>:<hex digest of password + salt>` for its legacy
hashes and `argon2:<argon2 encoded hash>` since notebook 6.1; configurations made
by any version keep working. Verification never raises on a malformed hash: it is
simply not a match (the settings check the form at start, see `check_hash`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from carnet.errors import ConfigError

# Jupyter's argon2 parameters, so hashes cost the same to check in either server.
_ARGON2_MEMORY_KIB, _ARGON2_TIME_COST, _ARGON2_PARALLELISM = 10240, 10, 8
_LEGACY_ALGORITHMS = ("sha1", "sha256", "sha512", "md5")


def hash_password(password: str) -> str:
    """An `argon2:` hash of the password, as `carnet notebook password` stores it."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher(
        memory_cost=_ARGON2_MEMORY_KIB, time_cost=_ARGON2_TIME_COST, parallelism=_ARGON2_PARALLELISM
    )
    return "argon2:" + hasher.hash(password)


def legacy_hash(password: str, algorithm: str = "sha1", salt: str | None = None) -> str:
    """A `<algorithm>:<salt>:<hex>` hash, as Jupyter's passwd(algorithm=...) makes it."""
    if algorithm not in _LEGACY_ALGORITHMS:
        raise ValueError(f"unsupported hash algorithm {algorithm!r}")
    salt = secrets.token_hex(6) if salt is None else salt
    digest = hashlib.new(algorithm, password.encode("utf-8") + salt.encode("ascii"))
    return f"{algorithm}:{salt}:{digest.hexdigest()}"


def check_hash(stored: str) -> None:
    """Raise ConfigError when a configured password is not a hash Carnet can check."""
    if not stored:
        return
    algorithm, _, rest = stored.partition(":")
    if algorithm == "argon2" and rest.startswith("$argon2"):
        return
    if stored.startswith("$argon2"):
        return
    salt, _, digest = rest.partition(":")
    if algorithm in _LEGACY_ALGORITHMS and salt and _is_hex(digest):
        return
    raise ConfigError(
        "NotebookApp.password: not a password hash (expected argon2:..., sha1:<salt>:<hex> "
        "or sha256:<salt>:<hex>); make one with `carnet notebook password`"
    )


def verify_password(stored: str, password: str) -> bool:
    """Whether the password matches the stored hash (constant-time comparison)."""
    if not stored or not password:
        return False
    algorithm, _, rest = stored.partition(":")
    if stored.startswith("$argon2"):
        return _verify_argon2(stored, password)
    if algorithm == "argon2":
        return _verify_argon2(rest, password)
    salt, _, digest = rest.partition(":")
    if algorithm not in _LEGACY_ALGORITHMS or not salt or not _is_hex(digest):
        return False
    try:
        computed = hashlib.new(algorithm, password.encode("utf-8") + salt.encode("ascii"))
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(computed.hexdigest(), digest.lower())


def _verify_argon2(encoded: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import Argon2Error, InvalidHashError

    try:
        return bool(PasswordHasher().verify(encoded, password))
    except (Argon2Error, InvalidHashError, ValueError):
        return False


def _is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return bool(text)
