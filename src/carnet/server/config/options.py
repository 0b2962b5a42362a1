# Over 300 lines: one trait per option, each with its help text, all in one place.
"""The server's configurable options, as traitlets classes Jupyter users already know.

`ServerOptions` holds every server option. Config files set them in the classic
`NotebookApp` section or Jupyter Server's `ServerApp` section (see load). Defaults
match Jupyter's except where a help text says otherwise. These declarations are the
only list of options: the settings, the generated config file and --help-all derive
from them.
"""

from __future__ import annotations

import os

from traitlets import Any as AnyTrait
from traitlets import Bool, Bytes, Dict, Float, Integer, List, Unicode, default
from traitlets.config import Configurable

from carnet import paths

CONFIG_FILE_NAME = "jupyter_notebook_config"
# The token default Jupyter shows; the server replaces it with a fresh random token.
GENERATED_TOKEN = "<generated>"


class ServerOptions(Configurable):
    """Every server option; the NotebookApp and ServerApp config sections both set them."""

    # Network
    ip = Unicode(
        "localhost",
        config=True,
        help="The IP address the server listens on. '*' or '' means every IPv4 and IPv6 "
        "interface; '0.0.0.0' every IPv4 one; '::' every IPv6 one.",
    )
    port = Integer(
        8888,
        config=True,
        help="The port the server listens on (0 picks a free one). "
        "The JUPYTER_PORT environment variable, when set, changes the default.",
    )

    @default("port")
    def _default_port(self) -> int:
        value = os.environ.get("JUPYTER_PORT", "")
        return int(value) if value.isdigit() else 8888

    port_retries = Integer(
        50,
        config=True,
        help="How many following ports to try when the configured port is taken (0 fails at once).",
    )
    sock = Unicode(
        "",
        config=True,
        help="Listen on this Unix socket path instead of a TCP port.",
    )
    sock_mode = Unicode("0600", config=True, help="Permissions of the Unix socket, in octal.")
    base_url = Unicode(
        "/",
        config=True,
        help="The URL prefix every page and API route is served under, "
        "for running behind a reverse proxy.",
    )
    default_url = Unicode("/tree", config=True, help="Where the server root redirects to.")
    custom_display_url = Unicode(
        "",
        config=True,
        help="Override the URL printed at start (for instance a proxy's public address).",
    )
    trust_xheaders = Bool(
        False,
        config=True,
        help="Trust X-Forwarded-For / X-Forwarded-Proto headers from a reverse proxy.",
    )

    # Browser
    open_browser = Bool(True, config=True, help="Open a web browser on the server's URL at start.")
    browser = Unicode(
        "",
        config=True,
        help="The browser command to open, as Python's webbrowser module names it "
        "(e.g. 'firefox %s'). Empty uses the system default (and the BROWSER variable).",
    )
    webbrowser_open_new = Integer(
        2,
        config=True,
        help="0: open in the same browser window, 1: a new window, 2: a new tab.",
    )
    file_to_run = Unicode("", config=True, help="A notebook to open in the browser at start.")

    # Files
    notebook_dir = Unicode(
        "",
        config=True,
        help="The directory served (notebooks, files, kernels' working directories). "
        "Empty means the current directory. ServerApp.root_dir is the same option.",
    )

    # TLS
    certfile = Unicode("", config=True, help="The full path to an SSL/TLS certificate file.")
    keyfile = Unicode("", config=True, help="The full path to the certificate's private key.")
    client_ca = Unicode(
        "",
        config=True,
        help="The full path to a certificate authority file; when set, clients must "
        "present a certificate it signed.",
    )

    # Authentication
    token = Unicode(
        GENERATED_TOKEN,
        config=True,
        help="The token clients authenticate with (header, URL or login). A random one is "
        "generated at start unless this is set, JUPYTER_TOKEN is set, or a password is set. "
        "Setting both token and password to '' disables authentication.",
    )
    password = Unicode(
        "",
        config=True,
        help="A hashed password for the login page (argon2, or Jupyter's sha1/sha256 "
        "forms); `carnet notebook password` sets it.",
    )
    read_only_token = Unicode(
        "",
        config=True,
        help="A second token that grants read-only access: open notebooks and see outputs, "
        "but not execute, edit, save or manage kernels. Empty: no read-only token.",
    )
    read_only_password = Unicode(
        "",
        config=True,
        help="A hashed password (same forms as password) that grants read-only access.",
    )
    allow_unauthenticated_remote_access = Bool(
        False,
        config=True,
        help="With authentication disabled (token and password both ''), allow listening "
        "on an address other than loopback. Off: the server refuses to start, since "
        "anyone on the network could run code.",
    )
    password_required = Bool(
        False, config=True, help="Refuse to start without a password configured."
    )
    allow_password_change = Bool(
        True, config=True, help="Allow setting a new password from the login page with the token."
    )
    disable_check_xsrf = Bool(
        False,
        config=True,
        help="Disable cross-site request forgery checks on cookie-authenticated requests.",
    )
    allow_remote_access = Bool(
        False,
        config=True,
        help="Accept requests whose Host header names a non-local host while listening "
        "on a loopback address (off: protection against DNS rebinding).",
    )
    local_hostnames = List(
        Unicode(),
        ["localhost"],
        config=True,
        help="Host names treated as local for the DNS rebinding check.",
    )
    cookie_secret = Bytes(
        b"",
        config=True,
        help="The secret login cookies and XSRF tokens are signed with. Empty (the default): "
        "read from cookie_secret_file. Keep a config file that holds it private.",
    )
    cookie_secret_file = Unicode(
        config=True,
        help="The file holding the cookie secret, created when missing (32 random bytes in "
        "base64, mode 0600) so that logins and open pages survive a restart. A new token or "
        "password still ends every login. Default: jupyter_cookie_secret in the Jupyter "
        "runtime directory. Empty: a new secret at each start.",
    )

    @default("cookie_secret_file")
    def _default_cookie_secret_file(self) -> str:
        return str(paths.runtime_dir() / "jupyter_cookie_secret")

    allow_root = Bool(
        False,
        config=True,
        help="Accepted for compatibility: Carnet does not refuse to run as root.",
    )

    # Cross-origin access
    allow_origin = Unicode(
        "",
        config=True,
        help="The Access-Control-Allow-Origin value: an exact origin, or '*' for any. "
        "Empty allows only the server's own origin.",
    )
    allow_origin_pat = Unicode(
        "",
        config=True,
        help="A regular expression an Origin must match as a whole to be allowed. "
        "Ignored when allow_origin is set.",
    )
    allow_credentials = Bool(False, config=True, help="Set Access-Control-Allow-Credentials: true.")

    # Response headers
    headers = Dict(
        config=True,
        help="Extra HTTP headers for every response, e.g. "
        "{'Content-Security-Policy': \"frame-ancestors https://example.com 'self'\"}. "
        "They override Carnet's defaults and tornado_settings['headers'].",
    )
    tornado_settings = Dict(
        config=True,
        help="Jupyter's web-application settings. Carnet uses its 'headers' entry "
        "(extra response headers); other entries are ignored.",
    )

    # Output rate limits (per kernel)
    iopub_data_rate_limit = Float(
        0.0,
        config=True,
        help="Maximum rate (bytes/sec) of iopub output before it is dropped, the Jupyter way. "
        "0 disables the limit; Carnet's default (Jupyter's is 1000000), since Carnet "
        "coalesces stream output instead of dropping it.",
    )
    iopub_msg_rate_limit = Float(
        0.0,
        config=True,
        help="Maximum rate (messages/sec) of iopub output before it is dropped. "
        "0 disables the limit; Carnet's default (Jupyter's is 1000).",
    )
    rate_limit_window = Float(
        3.0, config=True, help="The averaging window, in seconds, of the iopub rate limits."
    )

    websocket_ping_interval = Float(
        20.0,
        config=True,
        help="Seconds between websocket pings (0 disables them). The pings keep idle "
        "notebooks connected through proxies that close quiet connections "
        "(nginx's proxy_read_timeout is 60 s by default).",
    )

    websocket_compression_options = AnyTrait(
        None,
        config=True,
        help="Websocket compression (permessage-deflate), as in Jupyter: None (the "
        "default) sends frames uncompressed; a dict, even an empty one, turns compression "
        "on (its tornado keys are not used).",
    )

    # Kernel culling (also accepted in the MappingKernelManager section)
    cull_idle_timeout = Integer(
        0,
        config=True,
        help="Shut down kernels idle for this many seconds (0: never).",
    )
    cull_interval = Integer(
        300, config=True, help="How often, in seconds, to look for idle kernels to cull."
    )
    cull_connected = Bool(
        False,
        config=True,
        help="Also cull idle kernels that still have a browser connected.",
    )
    cull_busy = Bool(
        False,
        config=True,
        help="Also cull kernels that are busy (executing) when they reach the timeout.",
    )

    # Server lifetime
    shutdown_no_activity_timeout = Integer(
        0,
        config=True,
        help="Shut the server down after this many seconds without kernels, connections "
        "or requests (0: never).",
    )
    kill_orphaned_kernels = Bool(
        True,
        config=True,
        help="At start, SIGKILL the kernels (with their process groups) that a dead server "
        "of this user left running from this runtime directory, and remove stale "
        "connection and server info files. Kernels of live servers are never touched.",
    )
    malloc_tuning = Bool(
        True,
        config=True,
        help="On Linux with glibc, tune malloc for the whole server process at start: "
        "buffers under 32 MB come from the heap and up to 64 MB of freed heap stays "
        "mapped, so saving or opening a big notebook reuses memory instead of paying "
        "page faults; 5 s after the last such request, malloc_trim gives it back. "
        "Costs about 0.7 MB (ctypes) at start. Does nothing elsewhere.",
    )

    # Front end
    autosave_interval = Integer(
        120,
        config=True,
        help="Seconds between automatic saves of an open notebook (0 disables autosave).",
    )
    quit_button = Bool(True, config=True, help="Show a Quit button that stops the server.")

    # Terminals
    terminals_enabled = Bool(
        True, config=True, help="Offer terminals (shells in the browser); False turns them off."
    )
    terminado_settings = Dict(
        config=True,
        help="Terminal settings, as Jupyter's: {'shell_command': ['bash', '-l']} sets the "
        "shell (default: $SHELL, else sh). Other keys are ignored.",
    )

    # Extensions (see carnet.server.extensions)
    jpserver_extensions = Dict(
        config=True,
        help="Server extensions to load: {'name': True}. Jupyter Server's key; "
        "nbserver_extensions (the classic notebook's) is merged over it. A name is a "
        "'carnet.server_extensions' entry point; a Jupyter-only extension is skipped "
        "with a warning.",
    )
    nbserver_extensions = Dict(
        config=True,
        help="Server extensions to load, the classic notebook's key: {'name': True}. "
        "Merged over jpserver_extensions.",
    )


class ContentsManager(Configurable):
    """Options of the file storage."""

    allow_hidden = Bool(
        False,
        config=True,
        help="Allow hidden files and directories (names starting with '.') to be read "
        "and written through the server.",
    )


class FileContentsManager(ContentsManager):
    """Jupyter's default contents manager section; the same options."""


class MappingKernelManager(Configurable):
    """Jupyter's kernel manager section; Carnet reads its culling options from here too."""

    cull_idle_timeout = Integer(0, config=True, help=ServerOptions.cull_idle_timeout.help)
    cull_interval = Integer(300, config=True, help=ServerOptions.cull_interval.help)
    cull_connected = Bool(False, config=True, help=ServerOptions.cull_connected.help)
    cull_busy = Bool(False, config=True, help=ServerOptions.cull_busy.help)
    kernel_info_timeout = Float(
        60.0,
        config=True,
        help="Seconds a starting kernel has to answer kernel_info before the start "
        "fails with an error (and the kernel is stopped).",
    )


class TerminalManager(Configurable):
    """Jupyter Server's terminal manager section: culling of idle terminals."""

    cull_inactive_timeout = Integer(
        0,
        config=True,
        help="Close terminals without input or output for this many seconds (0: never).",
    )
    cull_interval = Integer(
        300, config=True, help="How often, in seconds, to look for inactive terminals to close."
    )
