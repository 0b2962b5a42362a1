"""`carnet singleuser`: the notebook server as JupyterHub spawns it.

Configured from the JUPYTERHUB_* environment (env.py): where to listen, the prefix,
the Hub's API. Hub mode is explicit (a command of its own) because BinderHub sets
JUPYTERHUB_* variables too but wants token auth. Before serving it waits, a bounded
time, for the Hub's API to answer: a server that cannot check anyone's identity
would only turn everybody away.
"""

from __future__ import annotations

import asyncio
import os
import sys

from carnet.errors import ConfigError
from carnet.server.hub import client
from carnet.server.hub.env import HubEnv, parse

HUB_CHECK_ATTEMPTS = 6
HUB_CHECK_FIRST_DELAY = 0.5  # doubled after each failure: about 15 s in all


def main(argv: list[str]) -> int:
    """Entry point of `carnet singleuser`; the process exit code."""
    if any(flag in argv for flag in ("-h", "--help", "--help-all")):
        print(__doc__)
        print("Other options are those of `carnet notebook` (applied after the Hub's).")
        return 0
    try:
        env = parse(os.environ)
    except ConfigError as exc:
        print(f"carnet singleuser: {exc}", file=sys.stderr)
        return 1
    from carnet.server.config import load, resolve

    try:
        loaded = load.load(server_argv(env) + list(argv), not env.disable_user_config)
        for warning in loaded.warnings:
            loaded.app.log.warning("%s", warning)
        settings = resolve.resolve(loaded)
    except ConfigError as exc:
        print(f"carnet singleuser: {exc}", file=sys.stderr)
        return 1
    version, problem = asyncio.run(wait_for_hub(env))
    if problem:
        print(f"carnet singleuser: {problem}", file=sys.stderr)
        return 1
    if version:  # echoed, as jupyterhub-singleuser does, for the Hub's version checks
        settings = settings.with_changes(
            headers={"X-JupyterHub-Version": version, **settings.headers}
        )
    from carnet.server import runner

    return runner.run(settings, hub=env)


def server_argv(env: HubEnv) -> list[str]:
    """The server options the Hub's environment stands for, as command-line options."""
    argv = [
        f"--NotebookApp.ip={env.ip}",
        f"--NotebookApp.port={env.port}",
        "--NotebookApp.port_retries=0",  # the Hub (and its proxy) expect exactly this port
        f"--NotebookApp.base_url={env.prefix}",
        "--NotebookApp.open_browser=False",
        "--NotebookApp.trust_xheaders=True",
        "--NotebookApp.allow_remote_access=True",
        # The Hub authenticates (carnet.server.hub.identity): no token, no password.
        "--NotebookApp.token=",
        "--NotebookApp.password=",
    ]
    if env.ssl_certfile:  # internal TLS: only the Hub's and the proxy's certificates
        argv += [
            f"--NotebookApp.certfile={env.ssl_certfile}",
            f"--NotebookApp.keyfile={env.ssl_keyfile}",
        ]
        if env.ssl_client_ca:
            argv.append(f"--NotebookApp.client_ca={env.ssl_client_ca}")
    if env.root_dir:
        argv.append(f"--NotebookApp.notebook_dir={env.root_dir}")
    if env.default_url:
        argv.append(f"--NotebookApp.default_url={env.default_url}")
    return argv


async def wait_for_hub(env: HubEnv) -> tuple[str, str]:
    """(the Hub's version, '') once its API answers; else ('', what went wrong), after
    bounded retries."""
    delay = HUB_CHECK_FIRST_DELAY
    problem = ""
    for attempt in range(HUB_CHECK_ATTEMPTS):
        try:
            reply = await client.request("GET", env.api_url, env.api_token, timeout=5.0, env=env)
        except client.HubUnreachable as exc:
            problem = str(exc)
        else:
            if reply.status < 500:
                return reply.headers.get("x-jupyterhub-version", ""), ""
            problem = f"HTTP {reply.status}"
        if attempt + 1 < HUB_CHECK_ATTEMPTS:
            await asyncio.sleep(delay)
            delay *= 2
    return "", (
        f"the Hub API at {env.api_url} did not answer after {HUB_CHECK_ATTEMPTS} attempts "
        f"({problem}); is JUPYTERHUB_API_URL reachable from this host?"
    )
