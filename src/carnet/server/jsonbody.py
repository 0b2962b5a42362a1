"""What a JSON request body is checked for, however it is read: the REST layer's parser
(api/http.py) and the contents layer's reader of a save against the last one
(contents/sentbody.py) refuse the same bodies, and both parse a big one off the loop."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

# Bodies parsed in a worker thread from this size on: a 10 MB notebook's parse would
# hold the event loop (every websocket) for tens of milliseconds.
BIG_BODY = 1 << 20

# \uD800-\uDFFF escapes, either half of a pair or alone: only these can decode to a
# string UTF-8 cannot encode. A body holding none needs no encoding check.
_SURROGATE = r"\\u[dD][89abcdefABCDEF]"
SURROGATE_ESCAPE = re.compile(_SURROGATE)
SURROGATE_ESCAPE_BYTES = re.compile(_SURROGATE.encode("ascii"))


def encodable(value: Any, default: Callable[[Any], Any] | None = None) -> bool:
    """Whether a parsed body can be written as UTF-8 (a lone surrogate cannot: no file
    name, log line or response could hold it). `default` as for json.dumps."""
    try:
        json.dumps(value, ensure_ascii=False, default=default).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
