"""/api/terminals and the terminado websocket against a real server with real shells."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus

from tests.server.conftest import RunningServer, ServerDirs, StartServer
from tests.server.terminals.termclient import TermSocket
from tests.support.waiting import wait_until


def new_terminal(server: RunningServer, **body: str) -> str:
    with server.client() as http:
        response = http.post("api/terminals", json=body or None)
    assert response.status_code == 200, response.text
    name: str = response.json()["name"]
    return name


def shell_pid(term: TermSocket) -> int:
    term.type("echo pid=$$.\r")
    return int(term.wait_for_match(r"pid=(\d+)\.").group(1))


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_create_list_get_delete(server: RunningServer) -> None:
    with server.client() as http:
        assert http.get("api/terminals").json() == []
        created = http.post("api/terminals")
        assert created.status_code == 200
        model = created.json()
        assert model["name"] == "1" and model["last_activity"].endswith("Z")
        assert http.post("api/terminals").json()["name"] == "2"
        assert [t["name"] for t in http.get("api/terminals").json()] == ["1", "2"]
        assert http.get("api/terminals/1").json()["name"] == "1"
        with TermSocket(server, "1") as term:
            pid = shell_pid(term)
        assert alive(pid)
        assert http.delete("api/terminals/1").status_code == 204
        wait_until(lambda: not alive(pid), what="the shell to end")
        missing = http.get("api/terminals/1")
        assert missing.status_code == 404
        assert missing.json()["reason"] == "not found"
        assert http.delete("api/terminals/1").status_code == 404
        assert [t["name"] for t in http.get("api/terminals").json()] == ["2"]
        assert http.post("api/terminals", json={"name": "work"}).json()["name"] == "work"
        assert http.post("api/terminals", json={"name": "work"}).status_code == 409
        assert http.post("api/terminals", json={"cwd": "../.."}).status_code == 400


def test_echo_size_cwd_and_term(server: RunningServer) -> None:
    name = new_terminal(server)
    with TermSocket(server, name) as term:
        assert term.wait_for_message("setup") == ["setup", {}]
        term.type("echo $((6*7))\r")
        term.wait_for("42")
        term.send("set_size", 30, 100, 600, 800)
        term.type("stty size\r")
        term.wait_for("30 100")
        term.send("set_size", 12, 50)
        term.type("stty size; pwd; echo term=$TERM\r")
        output = term.wait_for("term=xterm-256color")
        assert "12 50" in output
        assert str(server.root_dir.resolve()) in output


def test_reconnect_replays_the_screen_and_keeps_the_shell(server: RunningServer) -> None:
    name = new_terminal(server)
    with TermSocket(server, name) as term:
        term.type("MARK=remembered; echo first-$((40+2))\r")
        term.wait_for("first-42")
        pid = shell_pid(term)
    with TermSocket(server, name) as again:
        again.wait_for("first-42")  # replayed
        assert again.messages[0] == ["setup", {}]
        again.type("echo $MARK-$$\r")
        again.wait_for(f"remembered-{pid}")


def test_shell_exit_disconnects_and_forgets_the_terminal(server: RunningServer) -> None:
    name = new_terminal(server)
    with TermSocket(server, name) as term:
        term.type("exit\r")
        assert term.wait_for_message("disconnect")[0] == "disconnect"
    with server.client() as http:
        wait_until(lambda: http.get(f"api/terminals/{name}").status_code == 404)
    with pytest.raises(InvalidStatus) as refused:
        TermSocket(server, name, open_timeout=5)
    assert refused.value.response.status_code == 404


def test_unknown_terminal_is_404(server: RunningServer) -> None:
    with server.client() as http:
        response = http.get("api/terminals/nope")
        assert response.status_code == 404
        assert "nope" in response.json()["message"]
        assert http.get("terminals/nope").status_code == 404
    with pytest.raises(InvalidStatus) as refused:
        TermSocket(server, "nope", open_timeout=5)
    assert refused.value.response.status_code == 404


def test_shell_command_from_terminado_settings(
    start_terminal_server: StartServer, server_dirs: ServerDirs
) -> None:
    config = {
        "ServerApp": {
            "terminado_settings": {
                "shell_command": ["/bin/sh", "-c", "echo custom-shell-$((1+1)); exec /bin/sh"]
            }
        }
    }
    (server_dirs.config / "jupyter_notebook_config.json").write_text(json.dumps(config))
    running = start_terminal_server()
    name = new_terminal(running)
    with TermSocket(running, name) as term:
        term.wait_for("custom-shell-2")


@pytest.mark.parametrize("section", ["NotebookApp", "ServerApp"])
def test_terminals_disabled(start_terminal_server: StartServer, section: str) -> None:
    server = start_terminal_server(f"--{section}.terminals_enabled=False")
    with server.client() as http:
        for method, path in [
            ("GET", "api/terminals"),
            ("POST", "api/terminals"),
            ("GET", "api/terminals/1"),
            ("DELETE", "api/terminals/1"),
        ]:
            response = http.request(method, path)
            assert response.status_code == 404, (method, path)
            assert response.json()["reason"] == "terminals disabled"
        assert http.get("terminals/1").status_code == 404
    with pytest.raises(InvalidStatus) as refused:
        TermSocket(server, "1", open_timeout=5)
    assert refused.value.response.status_code == 404


def test_read_only_and_anonymous_users_get_no_shell(start_terminal_server: StartServer) -> None:
    server = start_terminal_server("--NotebookApp.read_only_token=reader-secret")
    name = new_terminal(server)
    reader = {"Authorization": "token reader-secret"}
    with server.client(authenticated=False) as http:
        http.headers.update(reader)
        assert http.get("api/terminals").status_code == 200  # listing changes nothing
        assert http.post("api/terminals").status_code == 403
        assert http.delete(f"api/terminals/{name}").status_code == 403
        assert http.get(f"terminals/{name}").status_code == 403
    with pytest.raises(InvalidStatus) as refused:
        TermSocket(server, name, additional_headers=reader, open_timeout=5)
    assert refused.value.response.status_code == 403
    with server.client(authenticated=False) as anonymous:
        response = anonymous.post("api/terminals")
        assert response.status_code == 403
        assert response.json()["reason"] == "authentication required"
        assert anonymous.get("api/terminals").status_code == 403
    with pytest.raises(InvalidStatus):
        TermSocket(server, name, additional_headers={}, open_timeout=5)
    with server.client() as http:
        assert [t["name"] for t in http.get("api/terminals").json()] == [name]


def test_foreign_origin_is_refused(server: RunningServer) -> None:
    name = new_terminal(server)
    evil = {**server.auth_headers, "Origin": "http://evil.example"}
    with pytest.raises(InvalidStatus) as refused:
        TermSocket(server, name, additional_headers=evil, open_timeout=5)
    assert refused.value.response.status_code == 403
    with server.client() as http:
        response = http.post("api/terminals", headers={"Origin": "http://evil.example"})
        assert response.status_code == 403
    same = {**server.auth_headers, "Origin": f"http://127.0.0.1:{server.port}"}
    with TermSocket(server, name, additional_headers=same) as term:
        term.wait_for_message("setup")


def test_cookie_authenticated_post_needs_xsrf(server: RunningServer) -> None:
    with server.client(authenticated=False) as http:
        page = http.get(f"tree?token={server.token}", follow_redirects=True)
        assert page.status_code == 200
        refused = http.post("api/terminals")
        assert refused.status_code == 403 and refused.json()["reason"] == "xsrf"
        allowed = http.post("api/terminals", headers={"X-XSRFToken": http.cookies["_xsrf"]})
        assert allowed.status_code == 200


def test_idle_terminals_are_culled(start_terminal_server: StartServer) -> None:
    server = start_terminal_server(
        "--TerminalManager.cull_inactive_timeout=1", "--TerminalManager.cull_interval=1"
    )
    name = new_terminal(server)
    with server.client() as http:
        wait_until(lambda: http.get(f"api/terminals/{name}").status_code == 404, what="the cull")
    assert f"Culling terminal {name}" in server.output()


def test_stopping_the_server_ends_the_shells(server: RunningServer) -> None:
    name = new_terminal(server)
    with TermSocket(server, name) as term:
        pid = shell_pid(term)
    assert server.stop() == 0
    wait_until(lambda: not alive(pid), what="the shell to end with the server")
    assert os.getpid() != pid


def test_a_running_terminal_keeps_an_idle_server_up(start_terminal_server: StartServer) -> None:
    server = start_terminal_server("--NotebookApp.shutdown_no_activity_timeout=1")
    name = new_terminal(server)
    flag = server.root_dir / "slept.flag"
    with TermSocket(server, name) as term:
        term.type(f"sleep 3; touch {flag.name}\r")
        term.wait_for("sleep 3;")
    wait_until(flag.exists, what="the shell to finish its sleep")  # 3 s with nothing but it
    assert server.process.poll() is None
    with server.client() as http:
        assert http.delete(f"api/terminals/{name}").status_code == 204
    assert server.process.wait(15) == 0
    assert "No activity for 1 seconds" in server.output()
