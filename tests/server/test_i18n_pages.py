# ruff: noqa: RUF001  (the Chinese expected here is written with fullwidth punctuation)
"""Server-rendered pages in the user's language: Accept-Language, or nbconfig common.json's
"language", which wins; English when neither names a language Carnet has."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from carnet.server.i18n import choose_language, from_accept_language, translate
from carnet.server.pages import shell
from tests.server.conftest import RunningServer, ServerDirs, StartServer
from tests.server.security.conftest import browser, xsrf_of

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}


def _common(dirs: ServerDirs, data: object) -> None:
    path = dirs.config / "nbconfig" / "common.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", ["zh-CN", "zh", "en"]),
        ("en;q=0.5, zh-CN", ["zh-CN", "en"]),
        ("fr, de;q=0, *;q=0.1", ["fr"]),
        ("en;q=bad, zh", ["zh"]),
        ("", []),
    ],
)
def test_accept_language_is_read_most_wanted_first(header: str, expected: list[str]) -> None:
    assert from_accept_language(header) == expected


def test_the_override_wins_and_traditional_chinese_is_not_simplified() -> None:
    assert choose_language("en", ["zh-CN"]) == "en"
    assert choose_language("zh_CN", ["en"]) == "zh-CN"
    assert choose_language("tlh", ["zh"]) == "zh-CN"  # not a language we have: ignored
    assert choose_language(None, ["zh-TW", "en"]) == "en"
    assert choose_language(None, ["fr", "zh-Hans-SG"]) == "zh-CN"
    assert choose_language(None, ["fr"]) == "en"


def test_translation_falls_back_to_english_and_fills_placeholders() -> None:
    assert (
        translate("zh-CN", "No such notebook: {path}", path="a.ipynb") == "没有这个笔记本：a.ipynb"
    )
    assert (
        translate("en", "No such notebook: {path}", path="a.ipynb") == "No such notebook: a.ipynb"
    )
    assert translate("zh-CN", "Nobody translated {x}", x=1) == "Nobody translated 1"


def test_the_page_shell_carries_the_language_and_the_override() -> None:
    built = shell.Bundle(script="assets/main.js", styles=())
    page = shell.render_page(
        page="tree",
        title="t",
        base_url="/",
        path="",
        xsrf_token="",
        autosave_interval=120,
        built=built,
        language="zh-CN",
        language_override="zh-CN",
    )
    assert '<html lang="zh-CN">' in page
    assert '"language":"zh-CN"' in page
    assert "正在加载…" in page


def test_login_page_follows_accept_language(server: RunningServer) -> None:
    with browser(server) as client:
        chinese = client.get("login", headers=ZH)
        assert chinese.status_code == 200
        assert "<html lang='zh-CN'>" in chinese.text
        assert "<title>Carnet：登录</title>" in chinese.text
        assert "令牌" in chinese.text and "<code>carnet notebook list</code>" in chinese.text
        english = client.get("login", headers={"Accept-Language": "fr, en-GB;q=0.5"})
        assert "<html lang='en'>" in english.text and "Log in" in english.text
        assert "登录" not in english.text
        # A wrong token: the error is translated too.
        xsrf = xsrf_of(client)
        wrong = client.post("login", data={"_xsrf": xsrf, "password": "nope"}, headers=ZH)
        assert wrong.status_code == 401
        assert "密码或令牌无效。" in wrong.text
        logged_out = client.get("logout", headers=ZH)
        assert "您已退出此笔记本服务器。" in logged_out.text


def test_common_json_language_overrides_the_browser(
    server: RunningServer, server_dirs: ServerDirs
) -> None:
    _common(server_dirs, {"language": "en"})
    with browser(server) as client:
        page = client.get("login", headers=ZH)
        assert "<html lang='en'>" in page.text and "登录" not in page.text
    _common(server_dirs, {"language": "zh-CN"})
    with browser(server) as client:
        page = client.get("login", headers={"Accept-Language": "en-US"})
        assert "<html lang='zh-CN'>" in page.text and "登录" in page.text


def test_a_broken_common_json_leaves_pages_in_the_browsers_language(
    server: RunningServer, server_dirs: ServerDirs
) -> None:
    _common(server_dirs, "{not json")
    with browser(server) as client:
        page = client.get("login", headers=ZH)
        assert page.status_code == 200 and "登录" in page.text


def test_error_pages_follow_the_same_choice(
    start_server: StartServer, server_dirs: ServerDirs
) -> None:
    server = start_server("--ServerApp.terminals_enabled=False")
    with server.client() as client:
        missing = client.get("notebooks/nope<b>.ipynb", headers=ZH)
        assert missing.status_code == 404
        assert "<h1>404: 未找到</h1>" in missing.text
        assert "没有这个笔记本：nope&lt;b&gt;.ipynb" in missing.text
        assert "返回文件列表" in missing.text
        no_dir = client.get("tree/no/such/dir", headers={"Accept-Language": "en"})
        assert "<h1>404: Not Found</h1>" in no_dir.text
        assert "No such directory: no/such/dir" in no_dir.text
        terminal = client.get("terminals/1", headers=ZH)
        assert terminal.status_code == 404 and "此服务器已禁用终端" in terminal.text
        _common(server_dirs, {"language": "en"})
        english = client.get("edit/missing.txt", headers=ZH)
        assert "No such file: missing.txt" in english.text and "未找到" not in english.text


def test_a_missing_terminal_page_is_translated(server: RunningServer) -> None:
    with server.client() as client:
        page = client.get("terminals/nosuch", headers=ZH)
        assert page.status_code == 404
        assert "没有名为 &#x27;nosuch&#x27; 的终端" in page.text


_MESSAGE = re.compile(
    r"(?:translate\(\s*\w+,|\b_\(|_not_found\(\s*request,|_html_error\(\s*request,\s*\d+,"
    r"|_form\(\s*request,\s*\w+,)\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*')"
)


def _server_code() -> str:
    src = Path(__file__).resolve().parents[2] / "src" / "carnet" / "server"
    return "".join(p.read_text("utf-8") for p in src.rglob("*.py") if "i18n" not in p.parts)


def test_every_server_message_has_a_translation_and_none_is_left_unused() -> None:
    from carnet.server.i18n.zh_cn import ZH_CN

    code = _server_code()
    used = {ast.literal_eval(m.group(1)) for m in _MESSAGE.finditer(code)} - {""}
    assert len(used) > 15
    assert sorted(used - set(ZH_CN)) == []
    # A renamed message would leave a dead key behind.
    # HTTPStatus phrases and messages passed through a variable
    phrases = {
        "Not Found",
        "Forbidden",
        "Service Unavailable",
        "terminals are disabled on this server (terminals_enabled = False)",
        # returned by login._change_password, translated by _form
        "The new password could not be saved (see the server log).",
    }
    assert sorted(set(ZH_CN) - used - phrases) == []
