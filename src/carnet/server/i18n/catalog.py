"""Messages of the server's pages, keyed by their English text."""

from __future__ import annotations

import re

from carnet.server.i18n.zh_cn import ZH_CN

_CATALOGS: dict[str, dict[str, str]] = {"zh-CN": ZH_CN}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def translate(language: str, message: str, **values: object) -> str:
    """`message` in `language` (English when it has no translation), {name}s filled in."""
    text = _CATALOGS.get(language, {}).get(message) or message
    if not values:
        return text
    return _PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text
    )
