"""/files: raw downloads with the right Content-Type, sandboxed against script."""

from __future__ import annotations

import gzip
from urllib.parse import quote

from tests.server.contents.conftest import Api

SANDBOX = "sandbox"


def _assert_sandboxed(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = headers["content-security-policy"]
    directives = [d.strip() for d in policy.split(";")]
    assert SANDBOX in directives  # no allow-scripts, no allow-same-origin
    assert "script-src 'none'" in directives
    assert "frame-ancestors 'self'" in directives
    assert headers["x-content-type-options"] == "nosniff"


def test_content_types(api: Api) -> None:
    files = {
        "n.ipynb": (b'{"nbformat": 4}', "application/x-ipynb+json"),
        "a.txt": (b"hello", "text/plain; charset=UTF-8"),
        "page.html": (b"<script>alert(1)</script>", "text/html"),
        "pic.svg": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
        "img.png": (b"\x89PNG\r\n\x1a\n", "image/png"),
        "data.csv": (b"a,b\n1,2\n", "text/csv"),
        "README": (b"plain words\n", "text/plain; charset=UTF-8"),
        "blob": (b"\x00\x01\xff", "application/octet-stream"),
        "archive.tar.gz": (gzip.compress(b"x"), "application/gzip"),
    }
    for name, (data, _) in files.items():
        (api.root / name).write_bytes(data)
    for name, (data, content_type) in files.items():
        response = api.get(f"/files/{name}")
        assert response.status_code == 200, name
        assert response.content == data, name
        assert response.headers["content-type"].split(";")[0] == content_type.split(";")[0], name
        if content_type.endswith("charset=UTF-8"):
            assert response.headers["content-type"].lower().endswith("charset=utf-8"), name
        assert "content-disposition" not in response.headers
        _assert_sandboxed(response)


def test_download_sets_an_attachment_with_the_unicode_name(api: Api) -> None:
    (api.root / "sub").mkdir()
    name = "résumé final.txt"
    (api.root / "sub" / name).write_text("cv")
    response = api.get(f"/files/sub/{quote(name)}", params={"download": "1"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.txt"
    )
    _assert_sandboxed(response)
    not_download = api.get(f"/files/sub/{quote(name)}", params={"download": "0"})
    assert "content-disposition" not in not_download.headers


def test_errors_are_sandboxed_too(api: Api) -> None:
    (api.root / "d").mkdir()
    (api.root / ".secret").write_text("s")
    for url, status in (
        ("/files/missing.txt", 404),
        ("/files/d", 404),
        ("/files/.secret", 404),
        ("/files/%2e%2e/x", 403),
    ):
        response = api.get(url)
        assert response.status_code == status, url
        assert response.json()["reason"]
        _assert_sandboxed(response)


def test_head_and_range_requests(api: Api) -> None:
    (api.root / "big.bin").write_bytes(bytes(range(256)) * 40)
    head = api.request("HEAD", "/files/big.bin")
    assert head.status_code == 200
    assert head.headers["content-length"] == str(256 * 40)
    assert head.content == b""
    part = api.get("/files/big.bin", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.content == bytes(range(10, 20))
    _assert_sandboxed(part)
