"""Checking tokens, passwords and login cookies, in constant time.

Two kinds of access exist: full (the server's token and password) and read-only
(the optional read-only token and password). A login cookie is
`<kind>.<HMAC>`: an HMAC, under the server's secret, of the kind and of every
credential the server holds. The secret outlives restarts (cookie_secret.py: Jupyter's
cookie_secret_file), so open pages keep working when the server comes back with the
same credentials; a new token or a new password invalidates every cookie, and a
cookie cannot be upgraded from read-only to full.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, replace

from carnet.server.auth.identity import User
from carnet.server.auth.passwords import verify_password

FULL = "full"
READ_ONLY = "ro"


@dataclass
class Credentials:
    """The server's tokens and password hashes, and the cookies derived from them."""

    token: str
    password_hash: str
    owner: User
    port: int
    read_only_token: str = ""
    read_only_password_hash: str = ""
    # Made at each start unless given (make_credentials passes the persisted one).
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    @property
    def enabled(self) -> bool:
        return bool(self.token or self.password_hash)

    @property
    def cookie_name(self) -> str:
        # Per port, so two servers on one host do not overwrite each other's cookie.
        return f"carnet-login-{self.port}"

    @property
    def reader(self) -> User:
        """The identity read-only credentials stand for."""
        return replace(
            self.owner,
            username=f"{self.owner.username}-readonly",
            name="Read-only visitor",
            display_name="Read-only visitor",
            initials="RO",
            read_only=True,
        )

    def user_for_token(self, candidate: str) -> User | None:
        """The user a token stands for, or None."""
        if _same(candidate, self.token):
            return self.owner
        if _same(candidate, self.read_only_token):
            return self.reader
        return None

    def user_for_password(self, candidate: str) -> User | None:
        """The user a password (or a token typed on the login page) stands for, or None.

        Slow for argon2 hashes (tens of milliseconds): call it off the event loop.
        """
        by_token = self.user_for_token(candidate)
        if by_token is not None:
            return by_token
        if verify_password(self.password_hash, candidate):
            return self.owner
        if verify_password(self.read_only_password_hash, candidate):
            return self.reader
        return None

    def cookie_value(self, user: User) -> str:
        """The login cookie value for a user who has just proven who they are."""
        kind = READ_ONLY if user.read_only else FULL
        return f"{kind}.{self._cookie_mac(kind)}"

    def user_for_cookie(self, candidate: str) -> User | None:
        kind, _, mac = candidate.partition(".")
        if kind not in (FULL, READ_ONLY) or not _same(mac, self._cookie_mac(kind)):
            return None
        return self.reader if kind == READ_ONLY else self.owner

    def set_password(self, password_hash: str) -> None:
        """Replace the full-access password: every login cookie issued so far stops working."""
        self.password_hash = password_hash

    def sign(self, purpose: str, value: str) -> str:
        """An HMAC of a value under the server's secret, for tokens derived from it (XSRF)."""
        message = f"{purpose}\0{value}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()[:32]

    def _cookie_mac(self, kind: str) -> str:
        material = "\0".join(
            (
                kind,
                self.owner.username,
                self.token,
                self.password_hash,
                self.read_only_token,
                self.read_only_password_hash,
            )
        )
        return hmac.new(self.secret, material.encode(), hashlib.sha256).hexdigest()


def _same(candidate: str, expected: str) -> bool:
    """Constant-time equality; an empty expected value never matches."""
    if not expected or not candidate:
        return False
    return hmac.compare_digest(candidate.encode(), expected.encode())
