import { describe, expect, it } from "vitest";
import { displayedModelIds, pruneWidgetState, readWidgetState, WIDGET_STATE_MIME, WIDGET_VIEW_MIME, writeWidgetState, type ModelState, type WidgetState } from "../src/widgets/state";

function model(name: string, state: Record<string, unknown> = {}): ModelState {
  return { model_name: name, model_module: "@jupyter-widgets/controls", model_module_version: "2.0.0", state };
}

const full: WidgetState = {
  version_major: 2,
  version_minor: 0,
  state: {
    box: model("VBoxModel", { children: ["IPY_MODEL_slider", "IPY_MODEL_out"], layout: "IPY_MODEL_boxlayout" }),
    boxlayout: model("LayoutModel"),
    slider: model("IntSliderModel", { value: 3, layout: "IPY_MODEL_sliderlayout", style: "IPY_MODEL_sliderstyle" }),
    sliderlayout: model("LayoutModel"),
    sliderstyle: model("SliderStyleModel"),
    out: model("OutputModel", { outputs: [{ output_type: "display_data", data: { [WIDGET_VIEW_MIME]: { model_id: "inner" } }, metadata: {} }] }),
    inner: model("ButtonModel"),
    other: model("IntSliderModel", { value: 9 }),
    link: model("LinkModel", { source: ["IPY_MODEL_slider", "value"], target: ["IPY_MODEL_other", "value"] }),
    ownlink: model("LinkModel", { source: ["IPY_MODEL_slider", "value"], target: ["IPY_MODEL_inner", "description"] }),
    stale: model("IntSliderModel", { value: 1 }),
  },
};

describe("widget state in notebook metadata", () => {
  it("keeps what displayed widgets need, transitively, and drops stale models", () => {
    const kept = pruneWidgetState(full, ["box"]);
    expect(Object.keys(kept.state).sort()).toEqual(["box", "boxlayout", "inner", "out", "ownlink", "slider", "sliderlayout", "sliderstyle"]);
    expect([kept.version_major, kept.version_minor]).toEqual([2, 0]);
    expect(pruneWidgetState(full, ["missing"]).state).toEqual({});
  });

  it("finds the displayed model ids in the cells' outputs", () => {
    const view = (id: string) => ({ output_type: "display_data", data: { [WIDGET_VIEW_MIME]: { model_id: id, version_major: 2 }, "text/plain": "x" }, metadata: {} });
    const doc = {
      cells: [
        { cell_type: "code", source: "", metadata: {}, outputs: [view("a"), { output_type: "stream", name: "stdout", text: "t" }], execution_count: 1 },
        { cell_type: "markdown", source: "# no outputs", metadata: {} },
        { cell_type: "code", source: "", metadata: {}, outputs: [{ ...view("b"), output_type: "execute_result", execution_count: 2 }], execution_count: 2 },
      ],
    };
    expect([...displayedModelIds(doc as never)].sort()).toEqual(["a", "b"]);
  });

  it("writes the state under the widget-state mime type and reads it back", () => {
    const metadata: Record<string, unknown> = { kernelspec: { name: "python3" }, widgets: { "other/type": 1 } };
    writeWidgetState(metadata, full);
    expect((metadata.widgets as Record<string, unknown>)["other/type"]).toBe(1);
    expect((metadata.widgets as Record<string, unknown>)[WIDGET_STATE_MIME]).toBe(full);
    const read = readWidgetState(JSON.parse(JSON.stringify(metadata)));
    expect(read).toEqual(full);
    writeWidgetState(metadata, { version_major: 2, version_minor: 0, state: {} });
    expect(metadata.widgets).toEqual({ "other/type": 1 });
    delete (metadata.widgets as Record<string, unknown>)["other/type"];
    writeWidgetState(metadata, null);
    expect("widgets" in metadata).toBe(false);
  });

  it("ignores saved state it cannot read instead of failing the page", () => {
    expect(readWidgetState({})).toBeNull();
    expect(readWidgetState({ widgets: "nope" })).toBeNull();
    expect(readWidgetState({ widgets: { [WIDGET_STATE_MIME]: { version_major: 3, version_minor: 0, state: {} } } })).toBeNull();
    expect(readWidgetState({ widgets: { [WIDGET_STATE_MIME]: { version_major: 2, state: [] } } })).toBeNull();
    const odd = readWidgetState({ widgets: { [WIDGET_STATE_MIME]: { version_major: 2, state: { ok: model("IntSliderModel"), bad: { state: {} }, worse: 7 } } } });
    expect(Object.keys(odd?.state ?? {})).toEqual(["ok"]);
    expect(odd?.version_minor).toBe(0);
  });
});
