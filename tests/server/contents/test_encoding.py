"""A notebook's GET content is encoded by a fast encoder that cannot write everything json can:
what it would change (NaN and infinities it writes as null) or refuses (lone surrogates, huge
integers) is sent exactly as Python's json reads and writes it."""

from __future__ import annotations

import json
import math

from tests.server.contents.conftest import Api

# A NaN, an overflowing float (json reads it as inf), -Infinity; then a huge integer.
NUMBERS = b"""{
 "cells": [],
 "metadata": {"nan": NaN, "big": 1e400, "minus": -Infinity},
 "nbformat": 4,
 "nbformat_minor": 5
}
"""
HUGE = b'{"cells": [], "metadata": {"huge": 123456789012345678901234567890}, "nbformat": 4}'


SURROGATE = b"""{
 "cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "x\\ud800y"}],
 "metadata": {"title": "caf\\u00e9 \\u2028 \\ud83d\\ude00"},
 "nbformat": 4,
 "nbformat_minor": 5
}
"""


def test_non_finite_numbers_and_huge_integers_are_sent_as_json_writes_them(api: Api) -> None:
    (api.root / "numbers.ipynb").write_bytes(NUMBERS)
    for _ in range(2):  # the second answer is the encoded content kept from the first
        response = api.get("/api/contents/numbers.ipynb")
        assert response.status_code == 200
        metadata = response.json()["content"]["metadata"]
        assert math.isnan(metadata["nan"])
        assert metadata["big"] == math.inf and metadata["minus"] == -math.inf
    (api.root / "huge.ipynb").write_bytes(HUGE)
    response = api.get("/api/contents/huge.ipynb")
    assert response.json()["content"]["metadata"]["huge"] == 123456789012345678901234567890


def test_lone_surrogates_and_non_ascii_text_survive(api: Api) -> None:
    (api.root / "text.ipynb").write_bytes(SURROGATE)
    response = api.get("/api/contents/text.ipynb")
    assert response.status_code == 200
    content = response.json()["content"]
    assert content["cells"][0]["source"] == "x\ud800y"
    assert content["metadata"]["title"] == "caf\u00e9 \u2028 \U0001f600"


def test_non_finite_numbers_saved_are_loaded_back_as_json_writes_them(api: Api) -> None:
    # The GET after a save is answered with what the save encoded (contents/store.py).
    cell = {"cell_type": "code", "id": "a", "metadata": {}, "source": "", "outputs": []}
    cell["execution_count"] = None
    nb = {"cells": [cell], "metadata": {"nan": math.nan, "inf": math.inf}, "nbformat": 4}
    nb["nbformat_minor"] = 5
    body = json.dumps({"type": "notebook", "content": nb})  # NaN and Infinity, as json writes
    assert api.request("PUT", "/api/contents/saved.ipynb", content=body).status_code == 201
    metadata = api.get("/api/contents/saved.ipynb").json()["content"]["metadata"]
    assert math.isnan(metadata["nan"]) and metadata["inf"] == math.inf


def test_a_save_sent_again_is_read_against_the_last_one_and_still_refuses_what_json_does(
    api: Api,
) -> None:
    # The second body is read against the first one's cells (contents/sentbody.py).
    cells = [
        {"cell_type": "markdown", "id": str(i), "metadata": {}, "source": f"{'x' * 60} {i}"}
        for i in range(3)
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}

    def put(content: str) -> int:
        response = api.request("PUT", "/api/contents/again.ipynb", content=content)
        return response.status_code

    compact = {"separators": (",", ":"), "ensure_ascii": False}
    assert put(json.dumps({"type": "notebook", "content": nb}, **compact)) == 201
    cells[1]["source"] = "caf\u00e9 \U0001f600"
    assert put(json.dumps({"type": "notebook", "content": nb}, **compact)) == 200
    saved = (api.root / "again.ipynb").read_bytes()
    got = api.get("/api/contents/again.ipynb").json()["content"]
    assert [cell["source"] for cell in got["cells"]] == [cell["source"] for cell in cells]
    # A lone surrogate in a changed cell, next to cells sent as before: refused, file kept.
    cells[2]["source"] = "x\ud800y"
    body = json.dumps({"type": "notebook", "content": nb}, separators=(",", ":"))
    response = api.request("PUT", "/api/contents/again.ipynb", content=body)
    assert response.status_code == 400
    assert "unpaired surrogate" in response.json()["message"]
    assert (api.root / "again.ipynb").read_bytes() == saved
