// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { OutputArea } from "../src/model/outputs";
import { OutputView } from "../src/view/outputview";

describe("the output view", () => {
  it("shows an output once when redrawn (trust changed) before its pending append is drawn", () => {
    const area = new OutputArea();
    const frames: (() => void)[] = [];
    const view = new OutputView(area, () => ({ filesUrl: "/files/", trusted: true }), { schedule: (run) => frames.push(run) });
    area.add({ output_type: "stream", name: "stdout", text: "line 0\n" });
    view.refresh();
    for (const run of frames.splice(0)) run();
    expect(view.element.querySelectorAll(".output-stream").length).toBe(1);
    area.add({ output_type: "stream", name: "stdout", text: "line 1\n" });
    for (const run of frames.splice(0)) run();
    expect(view.element.querySelectorAll(".output-stream").length).toBe(1);
    expect(view.element.textContent).toContain("line 0\nline 1\n");
  });
});

describe("the cell view", () => {
  it("draws a finished cell's last outputs no later than its prompt", async () => {
    const { Cell } = await import("../src/model/cell");
    const { CellView } = await import("../src/view/cellview");
    const cell = Cell.fromJSON({ cell_type: "code", source: "print(1)", metadata: {}, outputs: [], execution_count: null });
    const view = new CellView(cell, { select: () => {}, edit: () => {}, complete: async () => null, leave: () => false, context: () => ({ filesUrl: "/files/", trusted: true }), lineNumbers: () => false });
    cell.state = "running";
    cell.outputs.handle({ msgType: "stream", content: { name: "stdout", text: "last line\n" } });
    // No animation frame has run: finishing the cell draws its outputs with the prompt.
    cell.executionCount = 1;
    cell.state = "idle";
    expect(view.element.querySelector(".input-prompt")?.textContent).toBe("In [1]:");
    expect(view.element.querySelector(".output-area")?.textContent).toContain("last line");
  });
});
