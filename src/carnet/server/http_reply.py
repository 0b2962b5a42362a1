"""An HTTP answer from another Jupyter service (the Hub's API, a kernel gateway)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def message(self) -> str:
        """The service's error message (Jupyter's JSON body), else its text."""
        try:
            data = self.json()
        except ValueError:
            return self.body[:200].decode("utf-8", "replace").strip()
        if isinstance(data, dict):
            return str(data.get("message") or data.get("reason") or "")
        return ""
