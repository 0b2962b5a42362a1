"""Validation against nbformat's schemas (nbfile/schema.py)."""

from __future__ import annotations

from typing import Any

import pytest

from carnet.nbfile import notebooks


@pytest.mark.parametrize("field", ["cell_type", "output_type"])
def test_a_type_that_is_not_a_string_is_a_validation_message(field: str) -> None:
    # A list (unhashable) as a cell's or output's type used to raise TypeError.
    output: dict[str, Any] = {"output_type": "stream", "name": "stdout", "text": ""}
    cell: dict[str, Any] = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "source": "",
        "outputs": [output],
    }
    (cell if field == "cell_type" else output)[field] = ["code"]
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    message = notebooks.validation_message(nb)
    assert message is not None and message.startswith("Notebook validation failed")
