"""Telling the Hub when this server was last used, so that its idle culler is right.

Every JUPYTERHUB_ACTIVITY_INTERVAL seconds (jittered, so that many servers spawned
together do not report together), when something happened since the last report,
POST the last activity to JUPYTERHUB_ACTIVITY_URL. Requests, websocket connections
and every kernel message count: a busy kernel that prints nothing is still in use.
"""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from carnet.server.activity import iso_utc
from carnet.server.hub import client
from carnet.server.hub.oauth import log

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from carnet.server.hub.env import HubEnv

ATTEMPTS = 5
FIRST_BACKOFF_SECONDS = 1.0
JITTER = 0.1  # +-10% of the interval


def last_activity(app: Starlette) -> float:
    """The latest of the server's own activity and its kernels' messages (Unix time)."""
    latest: float = app.state.activity.last_activity
    kernels: Any = getattr(app.state, "kernels", None)
    for model in kernels.models() if kernels is not None else []:
        stamp = str(model.get("last_activity", "")).replace("Z", "+00:00")
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            continue
        latest = max(latest, when.replace(tzinfo=when.tzinfo or UTC).timestamp())
    return latest


def body(env: HubEnv, when: float) -> bytes:
    stamp = iso_utc(when)
    return json.dumps(
        {"servers": {env.server_name: {"last_activity": stamp}}, "last_activity": stamp}
    ).encode()


async def post(env: HubEnv, when: float, first_backoff: float = FIRST_BACKOFF_SECONDS) -> bool:
    """One report, retried with exponential backoff; whether the Hub took it."""
    backoff = first_backoff
    for attempt in range(1, ATTEMPTS + 1):
        try:
            reply = await client.request(
                "POST", env.activity_url, env.api_token, body=body(env, when), env=env
            )
        except client.HubUnreachable as exc:
            problem = str(exc)
        else:
            if reply.status < 400:
                return True
            problem = f"HTTP {reply.status}: {reply.body[:200]!r}"
            if reply.status in (401, 403, 404):
                break  # retrying will not change the answer
        log.warning("Activity report to the Hub failed (attempt %d): %s", attempt, problem)
        if attempt < ATTEMPTS:
            await asyncio.sleep(backoff)
            backoff *= 2
    return False


async def report_forever(app: Starlette, env: HubEnv) -> None:
    reported = 0.0
    while True:
        interval = env.activity_interval
        await asyncio.sleep(interval * random.uniform(1 - JITTER, 1 + JITTER))
        latest = last_activity(app)
        if latest > reported and await post(env, latest):
            reported = latest
