"""The malicious notebook corpus (tests/trust/corpus/*.ipynb) and how tests use it.

Every payload reports itself two ways if it ever runs: it appends its name to
`window.__pwned`, and it requests `__HIT__/<name>`, which a test replaces with the
URL of a local server that records hits. `python -m tests.trust.corpus` rewrites the
corpus from PAYLOADS below (the files are committed; this is how they were made).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
HIT = "__HIT__"


def report(name: str) -> str:
    """JavaScript that records that payload `name` ran (single quotes only)."""
    return f"window.__pwned=(window.__pwned||[]).concat('{name}');fetch('{HIT}/{name}')"


def _rich(data: dict[str, str]) -> dict[str, Any]:
    return {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "<x>", **data}}


def _html(*fragments: str) -> dict[str, Any]:
    return _rich({"text/html": "\n".join(fragments)})


def _code(*outputs: dict[str, Any], trusted_mark: bool = False) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {"trusted": True} if trusted_mark else {},
        "source": "# output as it came with the notebook",
        "outputs": list(outputs),
    }


def _markdown(*lines: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": "\n".join(lines)}


PAYLOADS: dict[str, list[dict[str, Any]]] = {
    "script_tags": [
        _code(
            _html(
                f"<script>{report('script_inline')}</script>",
                f"<script src='{HIT}/script_src.js'></script>",
                f"<div><scr<script>ipt>{report('script_split')}</script></div>",
                f"<noscript><p title='</noscript><img src=x onerror=\"{report('noscript')}\">'>",
            ),
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"text/html": f"<script>{report('script_result')}</script>ok"},
            },
        )
    ],
    "event_handlers": [
        _code(
            _html(
                f'<img src="x" onerror="{report("img_onerror")}">',
                f'<svg><animate onbegin="{report("svg_onbegin")}" attributeName="x" dur="1s"/>'
                "</svg>",
                f'<details open ontoggle="{report("details_ontoggle")}"><summary>s</summary>'
                "</details>",
                f'<video><source onerror="{report("video_onerror")}"></video>',
                f'<body onload="{report("body_onload")}"></body>',
                f'<div onmouseover="{report("div_mouseover")}" id="hover-me">hover</div>',
                f'<input autofocus onfocus="{report("input_onfocus")}">',
            )
        )
    ],
    "javascript_urls": [
        _code(
            _html(
                f'<a class="jslink" href="javascript:{report("a_href")}">click</a>',
                f'<a class="jslink" href=" JaVaScRiPt:{report("a_href_case")}">click</a>',
                f'<a class="jslink" href="&#106;avascript:{report("a_href_entity")}">click</a>',
                f'<iframe src="javascript:parent.{report("iframe_src_js")}"></iframe>',
                f'<form action="javascript:{report("form_action")}"><button>go</button></form>',
                f'<math><a xlink:href="javascript:{report("mathml_href")}">m</a></math>',
            )
        )
    ],
    "svg_script": [
        _code(
            _rich(
                {
                    "image/svg+xml": (
                        '<svg xmlns="http://www.w3.org/2000/svg" '
                        'xmlns:xlink="http://www.w3.org/1999/xlink" width="60" height="20" '
                        f'onload="{report("svg_onload")}">'
                        f"<script>{report('svg_script')}</script>"
                        f'<a xlink:href="javascript:{report("svg_a_href")}"><text y="15">x</text>'
                        "</a>"
                        f'<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="x" '
                        f'onerror="{report("svg_foreign_onerror")}"/></foreignObject>'
                        f'<set attributeName="onmouseover" to="{report("svg_set")}"/>'
                        "</svg>"
                    )
                }
            )
        ),
        _code(
            _html(
                f"<svg><script>{report('html_svg_script')}</script></svg>",
                f'<svg><use href="{HIT}/svg_use.svg#x"/></svg>',
                '<svg width="30" height="10">'
                f'<rect width="10" height="10" fill="url({HIT}/svg_fill.svg#p)"/>'
                f'<rect x="10" width="10" height="10" filter="url({HIT}/svg_filter.svg#f)"/>'
                f'<rect x="20" width="10" height="10" mask="url({HIT}/svg_mask.svg#m)" '
                f'style="cursor: url({HIT}/svg_cursor), auto"/></svg>',
            )
        ),
    ],
    "iframes": [
        _code(
            _html(
                f'<iframe src="{HIT}/iframe_src"></iframe>',
                f'<iframe srcdoc="<script>parent.{report("iframe_srcdoc")}</script>"></iframe>',
                f'<object data="{HIT}/object_data"></object>',
                f'<embed src="{HIT}/embed_src">',
                f'<frameset><frame src="{HIT}/frame_src"></frameset>',
                f'<meta http-equiv="refresh" content="0;url={HIT}/meta_refresh">',
                f'<link rel="prefetch" href="{HIT}/link_prefetch">',
                f'<base href="{HIT}/base/">',
            )
        )
    ],
    "dom_clobbering": [
        _code(
            _html(
                '<img name="getElementById" src="data:,">',
                '<form id="carnet"><input name="events"></form>',
                '<a id="clobbered" href="#x">a</a><a id="clobbered" name="config" href="#y">b</a>',
                '<img name="cookie" src="data:,"><img id="__pwned" src="data:,">',
                '<div id="notebook-container">fake container</div>',
            )
        )
    ],
    "css_exfiltration": [
        _code(
            _html(
                f"<style>body {{ background: url({HIT}/css_style_url) }}</style>",
                f'<style>@import "{HIT}/css_import";</style>',
                f'<link rel="stylesheet" href="{HIT}/css_link">',
                f'<div style="background-image: url({HIT}/css_inline)">inline</div>',
                f"<div style=\"background: image-set('{HIT}/css_image_set' 1x)\">set</div>",
                f'<div style="background: URL(&quot;{HIT}/css_entity&quot;)">entity</div>',
                f'<div style="background: u\\rl({HIT}/css_escaped)">escaped</div>',
            )
        )
    ],
    "markdown_html": [
        _markdown(
            "# Markdown with HTML",
            f"<script>{report('md_script')}</script>",
            "",
            f'<img src="x" onerror="{report("md_img_onerror")}">',
            "",
            f"[a javascript: link](javascript:{report('md_link')})",
            "",
            f'<a class="jslink" href="javascript:{report("md_a_href")}">raw link</a>',
            "",
            f'<iframe src="{HIT}/md_iframe"></iframe>',
            "",
            f"<style>p {{ background: url({HIT}/md_css) }}</style>",
            "",
            f"<svg><script>{report('md_svg_script')}</script></svg>",
            "",
            f"$\\href{{javascript:{report('md_katex_href')}}}{{math link}}$",
        ),
        _code(
            _rich({"text/markdown": f'<img src="x" onerror="{report("md_output_onerror")}">'}),
            _rich({"text/latex": f"$\\href{{javascript:{report('latex_href')}}}{{x}}$"}),
        ),
    ],
    "javascript_output": [
        _code(_rich({"application/javascript": report("js_output")})),
        _code(
            _rich(
                {
                    "application/javascript": report("js_with_html"),
                    "text/html": f"<b>html fallback</b><script>{report('js_html')}</script>",
                }
            )
        ),
    ],
    "forged_trust": [
        _code(
            _rich({"application/javascript": report("forged_js")}),
            _html(f'<img src="x" onerror="{report("forged_onerror")}">'),
            trusted_mark=True,
        )
    ],
}


def notebook(cells: list[dict[str, Any]], forged_signature: bool = False) -> dict[str, Any]:
    metadata: dict[str, Any] = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    if forged_signature:
        metadata["signature"] = "sha256:" + "0" * 64
    for index, cell in enumerate(cells):
        cell["id"] = f"cell{index}"
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def names() -> list[str]:
    return sorted(path.stem for path in CORPUS.glob("*.ipynb"))


def load(name: str, hit_url: str) -> str:
    """A corpus notebook's text with its payloads aimed at `hit_url`."""
    return (CORPUS / f"{name}.ipynb").read_text().replace(HIT, hit_url.rstrip("/"))


def write_corpus() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, cells in PAYLOADS.items():
        doc = notebook(cells, forged_signature=name == "forged_trust")
        text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        (CORPUS / f"{name}.ipynb").write_text(text)


if __name__ == "__main__":
    write_corpus()
