"""Who a request is, and what it may do: the data behind `/api/me`."""

from __future__ import annotations

import getpass
from dataclasses import asdict, dataclass

# Jupyter Server's resources and actions, as /api/me?permissions= asks about them.
ACTIONS = ("read", "write", "execute")


@dataclass(frozen=True)
class User:
    """A Jupyter Server identity model."""

    username: str
    name: str
    display_name: str
    initials: str | None = None
    avatar_url: str | None = None
    color: str | None = None
    # Read-only users may look but not change or run anything (see permitted()).
    read_only: bool = False

    def identity_model(self) -> dict[str, str | None]:
        """The `identity` object of /api/me."""
        model = asdict(self)
        del model["read_only"]
        return model


def server_owner() -> User:
    """The user a full-access token or password stands for: the account running the server."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        login = "user"
    initials = "".join(part[0] for part in login.replace(".", " ").split()[:2]).upper() or None
    return User(username=login, name=login, display_name=login, initials=initials)


def permitted(user: User, resource: str, action: str) -> bool:
    """Whether the user may perform an action on a resource."""
    if action not in ACTIONS:
        return False
    return action == "read" or not user.read_only


def permissions_model(user: User, asked: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each resource asked about, the actions the user may perform."""
    return {
        resource: [action for action in actions if permitted(user, resource, action)]
        for resource, actions in asked.items()
    }
