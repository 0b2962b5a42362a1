"""Checking tokens and issuing login cookies, in constant time.

A login cookie is an HMAC, under a secret made at start, of the credentials it was
earned with: a restart, a new token or a new password invalidates every cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from carnet.server.auth.identity import User


@dataclass
class Credentials:
    """The server's token and password hash, and the cookies derived from them."""

    token: str
    password_hash: str
    owner: User
    port: int
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    @property
    def enabled(self) -> bool:
        return bool(self.token or self.password_hash)

    @property
    def cookie_name(self) -> str:
        # Per port, so two servers on one host do not overwrite each other's cookie.
        return f"carnet-login-{self.port}"

    def token_matches(self, candidate: str) -> bool:
        if not self.token or not candidate:
            return False
        return hmac.compare_digest(candidate.encode(), self.token.encode())

    def cookie_value(self) -> str:
        """The value a successful login sets."""
        material = f"{self.owner.username}\0{self.token}\0{self.password_hash}".encode()
        return hmac.new(self.secret, material, hashlib.sha256).hexdigest()

    def cookie_matches(self, candidate: str) -> bool:
        return bool(candidate) and hmac.compare_digest(
            candidate.encode(), self.cookie_value().encode()
        )
