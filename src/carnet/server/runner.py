"""Running the server: bind, serve with uvicorn, announce, and shut down cleanly.

Around uvicorn it adds what Jupyter users expect: the `[I ...]` start-up lines
with the URLs, the runtime info file (removed at exit), the browser, Ctrl-C
confirmation, the no-activity shutdown and, as PID 1, reaping orphans.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carnet import __version__
from carnet.errors import ConfigError
from carnet.server import binding, logs, malloc, reaper, runtime_info, urls
from carnet.server.app import create_app
from carnet.server.config.settings import ServerSettings
from carnet.server.interrupts import ShutdownSignals

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette

    from carnet.server.hub.env import HubEnv

# Open websockets get this long to close before the server stops anyway.
GRACEFUL_SHUTDOWN_SECONDS = 3
# How long an idle keep-alive connection stays open after a response. uvicorn's 5 s made
# a client reusing a connection just as the server closed it fail with no response (one
# of 20 parallel DELETEs in a load test); so would a proxy in front whose own idle timeout
# is longer (nginx's upstream keep-alive and most load balancers keep 60 s or more).
# Jupyter's server (tornado) keeps them an hour; so does Carnet. Idle connections cost a
# descriptor each; a client that never sends a request gets no more time than before.
KEEP_ALIVE_SECONDS = 3600


def run(settings: ServerSettings, hub: HubEnv | None = None) -> int:
    """Serve until shut down; the process exit code. `hub`: as JupyterHub's single-user server."""
    log = logs.server_log()
    try:
        bound = binding.bind(settings)
    except ConfigError as exc:
        log.error("%s", exc)
        return 1
    if not settings.sock:
        settings = settings.with_changes(port=bound.port)
    if settings.kill_orphaned_kernels:
        _clean_up_after_dead_servers()
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        return runner.run(_serve(settings, bound, hub))


def _clean_up_after_dead_servers() -> None:
    """Kernels and runtime files a killed server left behind (see runtime_info)."""
    log = logs.server_log()
    try:
        for line in runtime_info.clean_up_after_dead_servers():
            log.warning("Cleaned up after a dead server: %s", line)
    except OSError as exc:
        log.warning("Could not clean up after dead servers: %s", exc)


def _loop_factory() -> Any:
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _http_protocol(settings: ServerSettings) -> Any:
    """uvicorn's HTTP protocol ("auto"), behind a TLS sniffer when the server speaks HTTPS."""
    if not settings.certfile:
        return "auto"
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    from carnet.server import tls

    context = tls.server_context(settings.certfile, settings.keyfile, settings.client_ca)
    return tls.sniffing_protocol(AutoHTTPProtocol, context, settings.port)


def _uvicorn_server(app: Starlette, settings: ServerSettings) -> uvicorn.Server:
    import uvicorn

    from carnet.server.lazy_websockets import LazyWebSocketsProtocol

    config = uvicorn.Config(
        app,
        log_config=None,
        access_log=False,
        lifespan="on",
        server_header=False,
        proxy_headers=settings.trust_xheaders,
        forwarded_allow_ips="*" if settings.trust_xheaders else None,
        # TLS is started per connection by carnet.server.tls (plain HTTP gets a redirect).
        http=_http_protocol(settings),
        ws=LazyWebSocketsProtocol,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        ws_ping_interval=settings.websocket_ping_interval or None,
        ws_ping_timeout=max(20.0, settings.websocket_ping_interval) or None,
        # Outputs and notebooks can be large; jupyter_server allows 10 MiB by default.
        ws_max_size=256 * 1024 * 1024,
        # Off unless configured, as in Jupyter: deflating a flood of output cost more
        # server time than everything else on its way to the browser.
        ws_per_message_deflate=settings.websocket_compression,
    )
    return uvicorn.Server(config)


async def _serve(settings: ServerSettings, bound: binding.Bound, hub: HubEnv | None) -> int:
    log = logs.server_log()
    app = create_app(settings, hub)
    if settings.malloc_tuning:
        app.state.contents.malloc_tuned = malloc.tune()
    server = _uvicorn_server(app, settings)

    def stop() -> None:
        if server.should_exit:
            server.force_exit = True  # asked again: stop waiting for open connections
            return
        log.info("Shutting down the notebook server")
        server.should_exit = True

    signals = ShutdownSignals(stop, lambda: _describe(settings), confirm=hub is None)
    # uvicorn's serve() puts its own SIGINT/SIGTERM handlers in place while it runs and
    # gives back the ones it found (ours) when it returns. Ours are installed before it,
    # so a signal during start-up stops the server (uvicorn re-raises it to us), and
    # again once it has started, so that Ctrl-C asks first, the Jupyter way.
    signals.install()
    helpers: list[asyncio.Task[None]] = []
    info_path: Path | None = None
    started: asyncio.Event = app.state.started
    serving = asyncio.create_task(server.serve(sockets=bound.sockets))
    waiting = asyncio.create_task(started.wait())
    try:
        await asyncio.wait({serving, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if serving.done():
            return _startup_failure(serving)
        signals.install()
        info_path = _write_info(settings)
        _announce(settings, hub)
        if settings.open_browser:
            _open_browser(settings)
        if settings.shutdown_no_activity_timeout > 0:
            helpers.append(asyncio.create_task(_stop_when_idle(app, settings, stop)))
        if hub is not None and hub.activity_url:
            from carnet.server.hub.activity import report_forever

            helpers.append(asyncio.create_task(report_forever(app, hub)))
        if reaper.needed():
            helpers.append(asyncio.create_task(reaper.reap_forever()))
        await serving
        return 0
    finally:
        for task in helpers:
            task.cancel()
        signals.uninstall()
        if info_path is not None:
            runtime_info.remove_info_file(info_path)
        if settings.sock:
            Path(settings.sock).unlink(missing_ok=True)
        for sock in bound.sockets:
            sock.close()


def _write_info(settings: ServerSettings) -> Path | None:
    try:
        return runtime_info.write_info_file(
            runtime_info.server_info(settings, urls.server_url(settings))
        )
    except OSError as exc:
        # The server works without it; only `carnet notebook list` will not see it.
        logs.server_log().error("Cannot write the server info file: %s", exc)
        return None


def _startup_failure(serving: asyncio.Task[None]) -> int:
    exc = serving.exception()
    if exc is None or isinstance(exc, SystemExit):
        logs.server_log().error("The server failed to start (see the errors above)")
    else:
        logs.server_log().error("The server failed to start: %s", exc)
    return 1


def _announce(settings: ServerSettings, hub: HubEnv | None) -> None:
    log = logs.server_log()
    log.info("Serving notebooks from local directory: %s", settings.root_dir)
    if not settings.auth_enabled and hub is None:
        log.warning(
            "All authentication is disabled (empty token and password): anyone who can "
            "connect to this server can run code."
        )
    log.info("Carnet %s is running at:", __version__)
    for index, url in enumerate(urls.display_urls(settings)):
        log.info("%s%s", " or " if index else "", url, extra={logs.SHOWS_SECRET: True})
    log.info(
        "Use Control-C to stop this server and shut down all kernels (twice to skip confirmation)."
    )


def _describe(settings: ServerSettings) -> list[str]:
    return [
        f"Carnet {__version__} notebook server is running at:",
        urls.server_url(settings),
        f"serving {settings.root_dir}",
    ]


def _open_browser(settings: ServerSettings) -> None:
    import webbrowser

    log = logs.server_log()
    try:
        browser = webbrowser.get(settings.browser or None)
    except webbrowser.Error as exc:
        log.warning("No web browser found: %s.", exc)
        return
    # A browser command may block until the window closes: never on the event loop.
    threading.Thread(
        target=browser.open,
        args=(urls.browser_url(settings),),
        kwargs={"new": settings.webbrowser_open_new},
        name="browser",
        daemon=True,
    ).start()


async def _stop_when_idle(app: Starlette, settings: ServerSettings, stop: Any) -> None:
    timeout = settings.shutdown_no_activity_timeout
    interval = min(60.0, max(0.25, timeout / 4))
    while True:
        await asyncio.sleep(interval)
        # A running kernel or terminal keeps the server up, as in Jupyter.
        services = [getattr(app.state, name, None) for name in ("kernels", "terminals")]
        idle = app.state.activity.idle_for([s for s in services if s is not None and len(s)])
        if idle > timeout:
            logs.server_log().info("No activity for %d seconds.", timeout)
            stop()
            return
