"""The server's pages in the user's language: the login and logout pages, error pages.

The same choice as the browser UI's (frontend/src/i18n): nbconfig `common.json`
`{"language": "en"}` wins, else the first language of the request's Accept-Language
that Carnet has (English or Simplified Chinese), else English. Messages are keyed by
their English text; a message with no translation is shown in English.
"""

from carnet.server.i18n.catalog import translate
from carnet.server.i18n.language import (
    LANGUAGES,
    choose_language,
    from_accept_language,
    normalize,
    override_of,
    request_language,
)

__all__ = [
    "LANGUAGES",
    "choose_language",
    "from_accept_language",
    "normalize",
    "override_of",
    "request_language",
    "translate",
]
