"""The HTML shell of every page: the bundle's entry files, the page config, custom/.

The bundle is built by Vite (`make frontend`) into carnet/static/ with hashed names;
its manifest.json says which files the entry point needs. The page config travels
as JSON in a <script type="application/json"> tag: base_url, the path, the xsrf
token if one is set, the autosave interval, the front-end modules server extensions
load on the page. The login token never goes in a page.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import carnet
from carnet.server.i18n import translate

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"
_ENTRY = "src/main.ts"


@dataclass(frozen=True)
class Bundle:
    """The entry script and stylesheets of the built frontend (paths under static/)."""

    script: str
    styles: tuple[str, ...]
    # page name -> the modules its code imports, preloaded so they download alongside the entry
    page_modules: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def modules_for(self, page: str) -> tuple[str, ...]:
        return next((files for name, files in self.page_modules if name == page), ())


def _read_manifest(path: Path) -> Bundle | None:
    try:
        manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    entry = manifest.get(_ENTRY)
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        return None
    styles = tuple(str(css) for css in entry.get("css", []))
    pages = tuple(
        (str(manifest[key]["name"]), _static_imports(manifest, key, entry["file"]))
        for key in entry.get("dynamicImports", [])
        if isinstance(manifest.get(key), dict) and isinstance(manifest[key].get("name"), str)
    )
    return Bundle(script=entry["file"], styles=styles, page_modules=pages)


def _static_imports(manifest: dict[str, Any], key: str, entry_file: str) -> tuple[str, ...]:
    """A chunk's file and the files it imports, recursively, without the entry itself."""
    files: list[str] = []
    pending = [key]
    while pending:
        chunk = manifest.get(pending.pop())
        if not isinstance(chunk, dict) or not isinstance(chunk.get("file"), str):
            continue
        if chunk["file"] in files or chunk["file"] == entry_file:
            continue
        files.append(chunk["file"])
        pending.extend(str(name) for name in chunk.get("imports", []))
    return tuple(files)


@cache
def _cached_bundle(manifest: Path, mtime_ns: int) -> Bundle | None:
    return _read_manifest(manifest)


def bundle(static_dir: Path = STATIC_DIR) -> Bundle | None:
    """The built bundle, or None when the frontend was not built."""
    manifest = static_dir / "manifest.json"
    try:
        mtime = manifest.stat().st_mtime_ns
    except OSError:
        return None
    # Keyed by mtime: a rebuild while the server runs is picked up.
    return _cached_bundle(manifest, mtime)


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element (no '</script>' or '<!--' can appear)."""
    text = json.dumps(data, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(
    *,
    page: str,
    title: str,
    base_url: str,
    path: str,
    xsrf_token: str,
    autosave_interval: int,
    built: Bundle,
    extensions: tuple[str, ...] | list[str] = (),
    language: str = "en",
    language_override: str = "",
) -> str:
    """The HTML of one page, in `language` ('language' in its config: the nbconfig override)."""
    config = {
        "page": page,
        "baseUrl": base_url,
        "path": path,
        "xsrfToken": xsrf_token,
        "autosaveInterval": autosave_interval,
        "appVersion": carnet.__version__,
        "extensions": list(extensions),
        "language": language_override,
    }
    static = html.escape(base_url + "static/", quote=True)
    custom = html.escape(base_url + "custom/", quote=True)
    styles = "".join(
        f'<link rel="stylesheet" href="{static}{html.escape(css)}">' for css in built.styles
    )
    # The entry imports the page's code; fetching that at once saves a round trip.
    preloads = "".join(
        f'<link rel="modulepreload" href="{static}{html.escape(module)}">'
        for module in built.modules_for(page)
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language, quote=True)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        '<link rel="icon" href="data:,">'
        f"{styles}"
        f'<link rel="stylesheet" href="{custom}custom.css">'
        f'<script id="carnet-config" type="application/json">{_script_json(config)}</script>'
        f'<script type="module" src="{static}{html.escape(built.script)}"></script>'
        f"{preloads}"
        # Deferred classic scripts run after the module above, in order: carnet.events exists.
        f'<script defer src="{custom}custom.js"></script>'
        f'</head><body><div class="page-loading">{html.escape(translate(language, "Loading…"))}'
        "</div></body></html>\n"
    )


def not_built_page() -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>Carnet: frontend not built</title></head><body>"
        "<h1>The Carnet frontend is not built</h1>"
        "<p>The browser UI is built from <code>frontend/</code> into "
        f"<code>{html.escape(str(STATIC_DIR))}</code>. Build it with "
        "<code>make frontend</code> (needs Node.js 20 and npm), then reload this page.</p>"
        "<p>The REST API under <code>/api</code> works without it.</p></body></html>\n"
    )
