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
