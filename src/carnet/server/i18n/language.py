"""Which language a request gets: the nbconfig override, else Accept-Language, else English."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from carnet.errors import CarnetError

if TYPE_CHECKING:
    from starlette.requests import Request

LANGUAGES = ("en", "zh-CN")
_REGIONS_NOT_SIMPLIFIED = {"tw", "hk", "mo"}


def normalize(tag: str) -> str | None:
    """The supported language a tag names ("zh", "zh_CN", "zh-Hans-CN", "EN-us"...), or None."""
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    rest = parts[1:]
    # Traditional Chinese is not Simplified: the next language the user accepts is taken.
    if "hant" in rest:
        return None
    if "hans" in rest:
        return "zh-CN"
    return None if _REGIONS_NOT_SIMPLIFIED.intersection(rest) else "zh-CN"


def from_accept_language(header: str) -> list[str]:
    """The header's language tags, most wanted first (q=0 ones dropped, ties in order)."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and tag.strip() != "*" and quality > 0:
            ranked.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def choose_language(override: object, accepted: list[str]) -> str:
    """The override when it names a supported language; else the first accepted one we have."""
    if isinstance(override, str):
        chosen = normalize(override)
        if chosen:
            return chosen
    for tag in accepted:
        chosen = normalize(tag)
        if chosen:
            return chosen
    return "en"


def override_of(common: dict[str, Any]) -> str:
    """`language` of the nbconfig common section, '' when unset or not a string."""
    value = common.get("language")
    return value if isinstance(value, str) else ""


async def request_language(request: Request) -> tuple[str, str]:
    """(the language of this request's pages, the nbconfig override or '')."""
    store = getattr(request.app.state, "nbconfig", None)
    override = ""
    if store is not None:
        try:
            override = override_of(await asyncio.to_thread(store.get, "common"))
        except CarnetError:
            # A broken common.json is reported by /api/config; the page still renders.
            override = ""
    accepted = from_accept_language(request.headers.get("accept-language", ""))
    return choose_language(override, accepted), override
