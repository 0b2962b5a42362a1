"""A Jupyter Server extension (no Carnet entry point): Carnet must warn, not load it."""


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyter_only_ext"}]


def _load_jupyter_server_extension(serverapp: object) -> None:
    raise AssertionError("Carnet must not load a Jupyter-only extension")
