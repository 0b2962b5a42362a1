"""The pure pieces of the security layer, tried against tricky inputs (no server needed)."""

from __future__ import annotations

import hashlib

import pytest

from carnet.errors import ConfigError
from carnet.server.auth import throttle
from carnet.server.auth.hosts import is_local_host, is_loopback_ip, split_host
from carnet.server.auth.login import safe_next
from carnet.server.auth.origin import OriginPolicy, same_origin
from carnet.server.auth.passwords import check_hash, legacy_hash, verify_password


def test_legacy_hashes_follow_jupyters_scheme() -> None:
    stored = legacy_hash("pw", "sha1", "abc")
    assert stored == "sha1:abc:" + hashlib.sha1(b"pwabc").hexdigest()
    assert verify_password(stored, "pw")
    assert verify_password(stored.upper().replace("SHA1:ABC", "sha1:abc"), "pw")
    for wrong in ("", "pw ", "PW", "p"):
        assert not verify_password(stored, wrong)
    for broken in ("sha1:abc", "sha1::00", "md4:abc:00", "argon2:nope", "plain", "sha1:abc:zz"):
        assert not verify_password(broken, "pw")
        with pytest.raises(ConfigError):
            check_hash(broken)


def test_loopback_and_local_hosts() -> None:
    for ip in ("127.0.0.1", "127.9.9.9", "::1", "[::1]", "::ffff:127.0.0.1"):
        assert is_loopback_ip(ip), ip
    for ip in ("10.0.0.1", "0.0.0.0", "::", "localhost", "127.0.0.1.evil"):
        assert not is_loopback_ip(ip), ip
    assert split_host("[::1]:8888") == "::1"
    assert split_host("LocalHost.:80") == "localhost"
    assert is_local_host("localhost:8888", ("localhost",))
    assert not is_local_host("", ("localhost",))
    assert not is_local_host("localhost@evil.example", ("localhost",))


def test_origin_policy() -> None:
    assert same_origin("http://127.0.0.1:8888", "127.0.0.1:8888")
    assert not same_origin("http://127.0.0.1:8888.evil", "127.0.0.1:8888")
    assert not same_origin("null", "127.0.0.1:8888")
    exact = OriginPolicy(allow_origin="https://a.example")
    assert exact.allows("https://a.example") and not exact.allows("https://a.example.evil")
    pattern = OriginPolicy(allow_origin_pat=r"https://(a|b)\.example")
    assert pattern.allows("https://b.example")
    assert not pattern.allows("https://b.example.evil") and not pattern.allows("xhttps://a.example")
    assert not OriginPolicy().allows("https://a.example")


def test_safe_next_keeps_paths_on_the_server() -> None:
    assert safe_next("/tree/a%20b?x=1#y", "/", "D") == "/tree/a%20b?x=1#y"
    assert safe_next("/base/notebooks/n.ipynb", "/base/", "D") == "/base/notebooks/n.ipynb"
    for evil in ("/elsewhere", "//x", "/%2F/x", "/\\x", "/a/%2e%2e/..//x", "/a\nb", "x", ""):
        assert safe_next(evil, "/base/" if evil == "/elsewhere" else "/", "D") == "D", evil


def test_throttle_doubles_and_resets() -> None:
    limiter = throttle.LoginThrottle()
    delays = [limiter.failed("a") for _ in range(throttle.FREE_FAILURES + 3)]
    assert delays[: throttle.FREE_FAILURES] == [0.0] * throttle.FREE_FAILURES
    base = throttle.BASE_DELAY
    assert delays[throttle.FREE_FAILURES :] == [base, 2 * base, 4 * base]
    assert limiter.retry_after("a") > 0 and limiter.retry_after("b") == 0
    limiter.succeeded("a")
    assert limiter.retry_after("a") == 0
