import { describe, expect, it } from "vitest";
import { OutputChangeBatch } from "../src/model/framebatch";
import { OutputArea, type OutputChange } from "../src/model/outputs";

/** A scheduler run by hand: `frame()` runs what is due, as a browser frame would. */
function fakeFrames(): { schedule: (run: () => void) => void; frame: () => void; due: () => number } {
  let queue: (() => void)[] = [];
  return {
    schedule: (run) => queue.push(run),
    frame: () => {
      const now = queue;
      queue = [];
      now.forEach((run) => run());
    },
    due: () => queue.length,
  };
}

function setup(): { area: OutputArea; flushes: OutputChange[][]; frames: ReturnType<typeof fakeFrames> } {
  const frames = fakeFrames();
  const flushes: OutputChange[][] = [];
  const batch = new OutputChangeBatch(frames.schedule, (changes) => flushes.push(changes));
  const area = new OutputArea();
  area.changed.on((change) => batch.push(change));
  return { area, flushes, frames };
}

const stream = (text: string, name = "stdout") => ({ msgType: "stream", content: { name, text } });

describe("OutputChangeBatch", () => {
  it("turns a burst of stream messages into one update per frame", () => {
    const { area, flushes, frames } = setup();
    for (let i = 0; i < 1000; i++) area.handle(stream(`${i}\n`));
    expect(frames.due()).toBe(1);
    expect(flushes).toEqual([]);
    frames.frame();
    expect(flushes).toEqual([[{ kind: "append", index: 0 }]]);
    const before = (area.outputs[0] as { text: string }).text.length;
    for (let i = 1000; i < 1500; i++) area.handle(stream(`${i}\n`));
    frames.frame();
    // One update, and it says the text before `from` was not touched.
    const added = Array.from({ length: 500 }, (_, i) => `${1000 + i}\n`).join("");
    expect(flushes[1]).toEqual([{ kind: "update", index: 0, from: before, added }]);
    frames.frame();
    expect(flushes.length).toBe(2);
  });

  it("keeps the smallest unchanged prefix when a progress bar rewrites its line", () => {
    const { area, flushes, frames } = setup();
    area.handle(stream("head\n"));
    frames.frame();
    area.handle(stream("50%\r"));
    area.handle(stream("100%\r"));
    area.handle(stream("x\n"));
    frames.frame();
    expect(flushes[1]).toEqual([{ kind: "update", index: 0, from: 5, added: "x00%\n" }]);
    expect((area.outputs[0] as { text: string }).text).toBe("head\nx00%\n");
  });

  it("lets a reset swallow what came before it, and orders updates before appends", () => {
    const { area, flushes, frames } = setup();
    area.handle(stream("a"));
    area.handle({ msgType: "clear_output", content: { wait: false } });
    area.handle(stream("b"));
    frames.frame();
    expect(flushes[0]).toEqual([{ kind: "reset" }]);
    area.handle(stream("c"));
    area.handle(stream("e", "stderr"));
    area.handle({ msgType: "display_data", content: { data: { "text/plain": "d" } } });
    frames.frame();
    expect(flushes[1]).toEqual([
      { kind: "update", index: 0, from: 1, added: "c" },
      { kind: "append", index: 1 },
      { kind: "append", index: 2 },
    ]);
  });

  it("treats an update without a prefix (update_display_data) as a full redraw", () => {
    const { area, flushes, frames } = setup();
    area.handle({ msgType: "display_data", content: { data: { "text/plain": "1" }, transient: { display_id: "x" } } });
    frames.frame();
    area.handle({ msgType: "update_display_data", content: {} });
    area.updateDisplay("x", { "text/plain": "2" }, {});
    frames.frame();
    expect(flushes[1]).toEqual([{ kind: "update", index: 0, from: 0 }]);
  });
});
