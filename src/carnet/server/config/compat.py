"""Jupyter options Carnet accepts in config files but does not use, and renamed ones.

Real-world config files carry options for features Carnet replaces or leaves out
(tornado, jinja templates, server extensions, MathJax settings). Failing on them
would break configs that work with Jupyter, so they are accepted with a warning
naming the file and option; anything else unknown in a known section is an error.
"""

from __future__ import annotations

_SERVER_OPTIONS = frozenset(
    {
        "allow_unauthenticated_access",
        "authenticate_prometheus",
        "authorizer_class",
        "autoreload",
        "base_project_url",
        "browser_open_file",
        "config_manager_class",
        "contents_manager_class",
        "cookie_options",
        "enable_mathjax",
        "extra_nbextensions_path",
        "extra_services",
        "extra_static_paths",
        "extra_template_paths",
        "get_secure_cookie_kwargs",
        "identity_provider_class",
        "ignore_minified_js",
        "info_file",
        "jinja_environment_options",
        "jinja_template_vars",
        "kernel_manager_class",
        "kernel_spec_manager_class",
        "kernel_websocket_connection_class",
        "kernel_ws_protocol",
        "limit_rate",
        "login_handler_class",
        "logout_handler_class",
        "mathjax_config",
        "mathjax_url",
        "max_body_size",
        "max_buffer_size",
        "min_open_files_limit",
        "preferred_dir",
        "pylab",
        "reraise_server_extension_failures",
        "server_extensions",
        "session_manager_class",
        "ssl_options",
        "static_custom_path",
        "webapp_settings",
        "websocket_ping_timeout",
        "websocket_url",
    }
)

_CONTENTS_OPTIONS = frozenset(
    {
        "always_delete_dir",
        "checkpoints_class",
        "checkpoints_kwargs",
        "delete_to_trash",
        "files_handler_class",
        "files_handler_params",
        "hide_globs",
        "post_save_hook",
        "pre_save_hook",
        "preferred_dir",
        "root_dir",
        "save_script",
        "untitled_directory",
        "untitled_file",
        "untitled_notebook",
        "use_atomic_writing",
    }
)

_KERNEL_MANAGER_OPTIONS = frozenset(
    {
        "allow_tracebacks",
        "allowed_message_types",
        "buffer_offline_messages",
        "default_kernel_name",
        "root_dir",
        "traceback_replacement_message",
    }
)

_GATEWAY_OPTIONS = frozenset(
    {"accept_cookies", "env_process_whitelist", "event_logger", "gateway_token_renewer_class"}
)

IGNORED_OPTIONS: dict[str, frozenset[str]] = {
    "NotebookApp": _SERVER_OPTIONS,
    "ServerApp": _SERVER_OPTIONS,
    "ContentsManager": _CONTENTS_OPTIONS,
    "FileContentsManager": _CONTENTS_OPTIONS,
    "MappingKernelManager": _KERNEL_MANAGER_OPTIONS,
    "GatewayClient": _GATEWAY_OPTIONS,
}


# Jupyter Server's name for an option Carnet knows by the classic notebook's name.
RENAMED = {("ServerApp", "root_dir"): "notebook_dir"}


def renamed(section: str, option: str) -> str:
    """The name Carnet declares `c.<section>.<option>` under."""
    return RENAMED.get((section, option), option)


def is_ignored(section: str, option: str) -> bool:
    """Whether `c.<section>.<option>` is a Jupyter option Carnet accepts and ignores."""
    return option in IGNORED_OPTIONS.get(section, frozenset())


# JupyterLab's (and Notebook 7's) pages, which launchers such as BinderHub and
# `c.Spawner.default_url = "/lab"` point at: Carnet's own pages instead.
_OTHER_UIS = ("/lab", "/doc")


def carnet_url(url: str) -> str:
    """A default_url of another Jupyter UI as the Carnet page closest to it, else `url`.

    /lab and /lab/workspaces/... become the tree; /lab/tree/<path> the notebook or
    directory it names."""
    path = "/" + url.lstrip("/")
    ui = next((p for p in _OTHER_UIS if path == p or path.startswith(p + "/")), "")
    if not ui:
        return url
    rest = path[len(ui) :].strip("/")
    if rest.startswith("tree/"):
        target = rest[len("tree/") :]
        return f"/notebooks/{target}" if target.endswith(".ipynb") else f"/tree/{target}"
    return "/tree"
