"""Big saves and loads keep their buffers while busy and give memory back when idle."""

from __future__ import annotations

import httpx
import pytest

from tests.server.conftest import RunningServer
from tests.support.procs import rss_kib
from tests.support.waiting import wait_until


def rss_mib(server: RunningServer) -> float:
    return rss_kib(server.process.pid) / 1024


@pytest.mark.slow
def test_memory_of_big_requests_is_given_back_when_idle(server: RunningServer) -> None:
    text = ("x" * 100 + "\n") * 50
    cells = [
        {
            "cell_type": "code",
            "id": f"c{i}",
            "execution_count": None,
            "metadata": {},
            "source": "",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": text}],
        }
        for i in range(2000)
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    with server.client() as http:
        http.timeout = httpx.Timeout(120)
        for _ in range(3):
            http.put("api/contents/big.ipynb", json={"type": "notebook", "content": nb})
            assert len(http.get("api/contents/big.ipynb").json()["content"]["cells"]) == 2000
        busy = rss_mib(server)
        # Generous: the trim gives back tens of MB after a 10 MB notebook (5 s after).
        wait_until(lambda: rss_mib(server) < busy - 10, 30, "memory given back after idle")
        model = http.get("api/contents/big.ipynb").json()  # and it still serves
    assert model["content"]["cells"][-1]["outputs"][0]["text"] == text
