"""ipywidgets 8 in the notebook page: a real kernel, a real server, Debian's Chromium."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.e2e.conftest import cell, clean, edit_cell, open_notebook, screenshot, write_notebook
from tests.server.conftest import RunningServer

STATE_MIME = "application/vnd.jupyter.widget-state+json"


def run(page: Any, index: int, source: str) -> Any:
    """Types `source` into cell `index`, runs it (Ctrl-Enter) and waits until it finished."""
    edit_cell(page, index, source)
    page.keyboard.press("Control+Enter")
    target = cell(page, index)
    page.wait_for_function(
        "el => /In \\[\\d+\\]/.test(el.querySelector('.input-prompt').textContent)",
        arg=target.element_handle(),
    )
    return target


def new_cells(page: Any, count: int) -> None:
    """Adds cells below until there are `count`, from command mode."""
    while page.locator("#notebook-container > .cell").count() < count:
        page.keyboard.press("Escape")
        page.keyboard.press("b")


def own_outputs(target: Any) -> int:
    """How many outputs the cell itself shows (not counting those inside Output widgets)."""
    script = "el => [...el.querySelectorAll('.output')]"
    script += ".filter(o => !o.parentElement.closest('.output-widget')).length"
    count: int = target.evaluate(script)
    return count


def stdout(target: Any) -> str:
    text: str = target.locator(".output-area > .output .stream-text").last.inner_text()
    return text.strip()


def test_slider_drag_changes_kernel_value_and_views_stay_in_sync(
    page: Any, server: RunningServer
) -> None:
    open_notebook(page, server, write_notebook(server, "slider.ipynb", [{"source": ""}]))
    new_cells(page, 3)
    make = (
        "import ipywidgets as w\nslider = w.IntSlider(value=10, max=100, description='n')\nslider"
    )
    first = run(page, 0, make)
    handle = first.locator(".output-widget .noUi-handle")
    handle.wait_for()
    second = run(page, 1, "slider")
    second.locator(".output-widget .noUi-handle").wait_for()
    # Drag with the mouse from the handle to three quarters along the track.
    track = first.locator(".output-widget .noUi-target").bounding_box()
    grip = handle.bounding_box()
    assert track and grip
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * 0.75, grip["y"] + grip["height"] / 2, steps=8)
    page.mouse.up()
    readout = first.locator(".widget-readout")
    page.wait_for_function("el => el.textContent.trim() !== '10'", arg=readout.element_handle())
    shown = int(readout.inner_text())
    assert 60 <= shown <= 90
    # The view in the other cell follows, and so does the kernel.
    other = second.locator(".widget-readout")
    page.wait_for_function(
        "([el, v]) => el.textContent.trim() === v", arg=[other.element_handle(), str(shown)]
    )
    assert stdout(run(page, 2, "print(slider.value)")) == str(shown)
    # The keyboard moves it too: one step right.
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, v]) => el.textContent.trim() === v", arg=[other.element_handle(), str(shown + 1)]
    )
    # And a change made in the kernel reaches both views.
    run(page, 2, "slider.value = 7")
    for box in (readout, other):
        page.wait_for_function("el => el.textContent.trim() === '7'", arg=box.element_handle())
    screenshot(page, "notebook-widgets")


def test_interact_rerenders_its_output(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "interact.ipynb", [{"source": ""}]))
    source = "from ipywidgets import interact\n@interact(x=(0, 20))\n"
    source += "def f(x=5):\n    return f'x is {x * 2}'"
    target = run(page, 0, source)
    shown = target.locator(".widget-output")
    shown.locator(":text(\"'x is 10'\")").wait_for()
    target.locator(".noUi-handle").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    shown.locator(":text(\"'x is 16'\")").wait_for()
    # clear_output(wait=True) replaced the earlier result rather than adding to it.
    assert shown.inner_text().strip() == "'x is 16'"
    # The result is the widget's, not the cell's.
    assert own_outputs(target) == 1


def test_output_widget_captures_display(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "out.ipynb", [{"source": ""}]))
    new_cells(page, 2)
    # In one cell, so the capture starts before the widget code has loaded in the page.
    source = "import ipywidgets as w\nout = w.Output()\ndisplay(out)\n"
    source += "with out:\n    display('captured!')"
    first = run(page, 0, source)
    widget = first.locator(".widget-output")
    widget.locator(":text(\"'captured!'\")").wait_for()
    assert own_outputs(first) == 1
    # A later cell writes into the widget displayed above.
    second = run(page, 1, "with out:\n    display('from below')")
    widget.locator(":text(\"'from below'\")").wait_for()
    assert own_outputs(second) == 0


def test_saved_widget_state_shows_after_reopen(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "saved.ipynb", [{"source": ""}])
    open_notebook(page, server, path)
    new_cells(page, 2)
    first = run(page, 0, "import ipywidgets as w\nslider = w.IntSlider(description='kept')\nslider")
    first.locator(".output-widget .noUi-handle").wait_for()
    run(page, 1, "slider.value = 42")
    page.wait_for_function(
        "el => el.textContent.trim() === '42'",
        arg=first.locator(".widget-readout").element_handle(),
    )
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#notification-area :text('Checkpoint created')", state="attached")
    saved = json.loads((server.root_dir / path).read_text())
    state = saved["metadata"]["widgets"][STATE_MIME]
    assert (state["version_major"], state["version_minor"]) == (2, 0)
    view = saved["cells"][0]["outputs"][0]["data"]["application/vnd.jupyter.widget-view+json"]
    model = state["state"][view["model_id"]]
    assert model["model_name"] == "IntSliderModel" and model["state"]["value"] == 42
    # Its layout and style are kept with it; nothing unrelated is.
    refs = {v[len("IPY_MODEL_") :] for v in model["state"].values() if str(v).startswith("IPY_")}
    assert refs and refs <= set(state["state"])
    assert len(state["state"]) == 1 + len(refs)
    # The kernel goes away; a new page shows the widget from the saved state alone.
    clean(server)
    page.goto(server.url + f"notebooks/{path}")
    readout = cell(page, 0).locator(".output-widget .widget-readout")
    readout.wait_for()
    assert readout.inner_text().strip() == "42"
    assert re.search(r"kept", cell(page, 0).locator(".output-widget").inner_text())
    assert cell(page, 0).locator(".widget-fallback").count() == 0


def _saved_slider_notebook(server: RunningServer, name: str) -> str:
    """A notebook on disk (unsigned, so not trusted) with a slider's view and saved state."""
    base = {"model_module_version": "2.0.0"}
    state = {
        "s1": {
            **base,
            "model_name": "IntSliderModel",
            "model_module": "@jupyter-widgets/controls",
            "state": {
                "value": 42,
                "description": "kept",
                "layout": "IPY_MODEL_l1",
                "style": "IPY_MODEL_st1",
            },
        },
        "l1": {
            **base,
            "model_name": "LayoutModel",
            "model_module": "@jupyter-widgets/base",
            "state": {},
        },
        "st1": {
            **base,
            "model_name": "SliderStyleModel",
            "model_module": "@jupyter-widgets/controls",
            "state": {},
        },
    }
    view = {"version_major": 2, "version_minor": 0, "model_id": "s1"}
    output = {
        "output_type": "display_data",
        "data": {
            "application/vnd.jupyter.widget-view+json": view,
            "text/plain": "IntSlider(value=42)",
        },
        "metadata": {},
    }
    path = write_notebook(server, name, [{"source": "slider", "outputs": [output]}])
    doc = json.loads((server.root_dir / path).read_text())
    doc["metadata"]["widgets"] = {
        STATE_MIME: {"version_major": 2, "version_minor": 0, "state": state}
    }
    (server.root_dir / path).write_text(json.dumps(doc))
    return path


def test_saved_state_is_restored_only_in_trusted_notebooks(
    page: Any, server: RunningServer
) -> None:
    path = _saved_slider_notebook(server, "untrusted-widgets.ipynb")
    open_notebook(page, server, path)
    # The widget code loads for the view, but the unsigned state is not used: the text stays.
    # The view waits for a model from the kernel: none came from the saved state.
    page.wait_for_selector(".output-widget[data-widget-state=waiting]")
    shown = cell(page, 0).locator(".output-widget")
    assert shown.locator(".widget-fallback").inner_text() == "IntSlider(value=42)"
    assert shown.locator(".widget-readout").count() == 0
    with server.client() as client:
        assert client.post(f"api/contents/{path}/trust").status_code in (200, 201, 204)
    page.reload()
    readout = cell(page, 0).locator(".output-widget .widget-readout")
    readout.wait_for()
    assert readout.inner_text().strip() == "42"
    assert "kept" in shown.inner_text()


def test_reloaded_page_rejoins_live_widgets(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "rejoin.ipynb", [{"source": ""}])
    open_notebook(page, server, path)
    new_cells(page, 2)
    first = run(page, 0, "import ipywidgets as w\nslider = w.IntSlider(value=20)\nslider")
    first.locator(".output-widget .noUi-handle").wait_for()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#notification-area :text('Checkpoint created')", state="attached")
    run(page, 1, "slider.value = 30")
    # The page reloads while the kernel keeps running: the view shows the kernel's value
    # (not the saved 20) and moving it reaches the kernel again.
    page.reload()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    readout = cell(page, 0).locator(".output-widget .widget-readout")
    page.wait_for_function("el => el.textContent.trim() === '30'", arg=readout.element_handle())
    cell(page, 0).locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.textContent.trim() === '31'", arg=readout.element_handle())
    assert stdout(run(page, 1, "print(slider.value)")) == "31"
