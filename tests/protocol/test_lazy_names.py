"""carnet.protocol's names are imported when first used: a starting kernel reads its
connection file without loading messages, sessions and signatures."""

from __future__ import annotations

import subprocess
import sys

import pytest

import carnet.protocol


def test_connection_file_alone_loads_no_session() -> None:
    code = (
        "import sys\n"
        "import carnet.protocol.connection_file\n"
        "import carnet.connection_files\n"
        "loaded = [m for m in ('carnet.protocol.session', 'carnet.protocol.messages',\n"
        "          'carnet.protocol.signing', 'carnet.paths', 'tempfile') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_name_resolves() -> None:
    from carnet.protocol.messages import PROTOCOL_VERSION, Message
    from carnet.protocol.packed import PackedMessage
    from carnet.protocol.session import Session
    from carnet.protocol.signing import ReplayGuard, Signer
    from carnet.protocol.wire import DELIMITER, RawMessage

    expected = {
        "DELIMITER": DELIMITER,
        "PROTOCOL_VERSION": PROTOCOL_VERSION,
        "Message": Message,
        "PackedMessage": PackedMessage,
        "RawMessage": RawMessage,
        "ReplayGuard": ReplayGuard,
        "Session": Session,
        "Signer": Signer,
    }
    assert sorted(carnet.protocol.__all__) == sorted(expected)
    for name, value in expected.items():
        assert getattr(carnet.protocol, name) is value
        assert name in dir(carnet.protocol)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        carnet.protocol.Nope  # noqa: B018
    with pytest.raises(ImportError):
        from carnet.protocol import Nope  # type: ignore[attr-defined]  # noqa: F401
