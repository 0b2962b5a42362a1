"""Secrets never reach a log line."""

from __future__ import annotations

import io
import logging

from carnet.server import logs


def test_redact_removes_tokens_passwords_and_cookies() -> None:
    cases = {
        "GET /tree?token=abc123&x=1": "GET /tree?token=[secret]&x=1",
        "/api?x=1&TOKEN=abc": "/api?x=1&TOKEN=[secret]",
        "/login?password=hunter2": "/login?password=[secret]",
        "/a?_xsrf=2|ab": "/a?_xsrf=[secret]",
        "Authorization: token abc": "Authorization: token [secret]",
        "Cookie: carnet-login-8888=deadbeef": "Cookie: [secret]",
        "/api/status?tokenish=1": "/api/status?tokenish=1",
    }
    for raw, expected in cases.items():
        assert logs.redact(raw) == expected


def test_filter_rewrites_records_unless_marked() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RedactSecrets())
    handler.setFormatter(logs.LineFormatter(logs.DEFAULT_FORMAT, logs.DEFAULT_DATEFMT))
    log = logging.getLogger("test-redaction")
    log.propagate = False
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        log.info("opened %s", "/tree?token=s3cret")
        log.info("url %s", "/?token=s3cret", extra={logs.SHOWS_SECRET: True})
    finally:
        log.removeHandler(handler)
    first, second = stream.getvalue().splitlines()
    assert "s3cret" not in first
    assert first.startswith("[I ")
    assert first.endswith("test-redaction] opened /tree?token=[secret]")
    assert second.endswith("url /?token=s3cret")
