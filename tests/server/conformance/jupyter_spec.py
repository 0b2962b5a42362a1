"""jupyter_server's published REST spec (services/api/api.yaml), read from the installed
package, with its known mistakes corrected.

api.yaml is Swagger 2.0 and hand-kept; jupyter_server itself does not answer as it says.
Each correction below names the mistake in one line. Everything not corrected here is
checked as published.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

# Operations of api.yaml the conformance tests leave out, and why.
OUT_OF_SCOPE = {
    "/api/resolvePath": "a jupyter_server 2.x addition, not among issue 3's endpoints",
    # Served (issue 14); fuzzed against Carnet's own spec, where it also lists the 400.
    "/api/config/{section_name}": "api.yaml lists no 400 for a bad section name",
    "/api/spec.yaml": "its `type: file` cannot validate YAML; test_carnet_spec checks it",
}

# Status codes jupyter_server itself answers but api.yaml leaves out, by operation.
_UNLISTED = {
    # An unknown id or path is a 404 everywhere in jupyter_server; api.yaml lists it for few.
    404: [
        "PATCH /api/contents/{path}",
        "PUT /api/contents/{path}",
        "DELETE /api/contents/{path}",
        "POST /api/contents/{path}/checkpoints/{checkpoint_id}",
        "DELETE /api/contents/{path}/checkpoints/{checkpoint_id}",
        "GET /api/sessions/{session}",
        "PATCH /api/sessions/{session}",
        "DELETE /api/sessions/{session}",
        "GET /api/kernels/{kernel_id}",
        "DELETE /api/kernels/{kernel_id}",
        "POST /api/kernels/{kernel_id}/interrupt",
        "POST /api/kernels/{kernel_id}/restart",
        "POST /api/kernels",  # no such kernelspec
    ],
    # Malformed bodies and arguments are web.HTTPError(400) in jupyter_server's handlers.
    400: [
        "POST /api/sessions",  # no path
        "GET /api/me",  # permissions not a JSON object of lists
    ],
    # Deliberate: a path leaving the root is refused as forbidden (403, reason "outside
    # root") where jupyter_server answers 404, which would call an existing file absent.
    403: [
        "GET /api/contents/{path}",
        "POST /api/contents/{path}",
        "PUT /api/contents/{path}",
        "PATCH /api/contents/{path}",
        "DELETE /api/contents/{path}",
        "GET /api/contents/{path}/checkpoints",
        "POST /api/contents/{path}/checkpoints",
        "POST /api/contents/{path}/checkpoints/{checkpoint_id}",
        "DELETE /api/contents/{path}/checkpoints/{checkpoint_id}",
    ],
}

# Model fields jupyter_server sends as null although api.yaml types them as plain strings.
_NULLABLE = {
    # The spec's own description says "The content and format keys may be null", and
    # mimetype, size and the hash fields are null in the same circumstances.
    "Contents": ["mimetype", "format", "size", "hash", "hash_algorithm"],
    # The spec's own example has avatar_url: null; initials and color are null when unknown.
    "Identity": ["initials", "avatar_url", "color"],
}


def installed_spec_path() -> Path:
    import jupyter_server

    return Path(jupyter_server.__file__).parent / "services" / "api" / "api.yaml"


def load() -> dict[str, Any]:
    """api.yaml as published, parsed."""
    document: dict[str, Any] = yaml.safe_load(installed_spec_path().read_text())
    return document


def corrected(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of api.yaml restricted to the notebook API, with the corrections above."""
    doc = copy.deepcopy(document)
    for path in OUT_OF_SCOPE:
        del doc["paths"][path]
    definitions = doc["definitions"]
    for name, fields in _NULLABLE.items():
        for field in fields:
            definitions[name]["properties"][field]["x-nullable"] = True
    # "content" is a list for a directory, a notebook object for a notebook, a string for
    # a file, and null without content: api.yaml says string only.
    definitions["Contents"]["properties"]["content"] = {"x-nullable": True}
    for status, labels in _UNLISTED.items():
        for label in labels:
            method, path = label.split(" ", 1)
            responses = doc["paths"][path][method.lower()]["responses"]
            responses.setdefault(status, {"description": "not listed in api.yaml"})
    return doc
