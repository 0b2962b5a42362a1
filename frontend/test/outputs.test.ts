import { describe, expect, it } from "vitest";
import { OutputArea, type OutputChange } from "../src/model/outputs";

function area(): { out: OutputArea; events: OutputChange[] } {
  const out = new OutputArea();
  const events: OutputChange[] = [];
  out.changed.on((e) => events.push(e));
  return { out, events };
}

describe("OutputArea", () => {
  it("coalesces consecutive chunks of the same stream", () => {
    const { out, events } = area();
    out.handle({ msgType: "stream", content: { name: "stdout", text: "a" } });
    out.handle({ msgType: "stream", content: { name: "stdout", text: "b\n" } });
    out.handle({ msgType: "stream", content: { name: "stderr", text: "e" } });
    out.handle({ msgType: "stream", content: { name: "stdout", text: "c" } });
    expect(out.outputs.map((o) => (o.output_type === "stream" ? o.text : ""))).toEqual(["ab\n", "e", "c"]);
    expect(events).toEqual([
      { kind: "append", index: 0 },
      { kind: "update", index: 0, from: 1, added: "b\n" },
      { kind: "append", index: 1 },
      { kind: "append", index: 2 },
    ]);
  });

  it("handles progress bars across chunks", () => {
    const { out } = area();
    for (let i = 0; i <= 100; i += 25) out.handle({ msgType: "stream", content: { name: "stdout", text: `\r${i}%` } });
    const first = out.outputs[0];
    expect(first.output_type === "stream" && first.text).toBe("100%");
  });

  it("clear_output(wait) clears only when the next output arrives", () => {
    const { out, events } = area();
    out.handle({ msgType: "stream", content: { name: "stdout", text: "old" } });
    out.handle({ msgType: "clear_output", content: { wait: true } });
    expect(out.length).toBe(1);
    out.handle({ msgType: "stream", content: { name: "stdout", text: "new" } });
    expect(out.length).toBe(1);
    const only = out.outputs[0];
    expect(only.output_type === "stream" && only.text).toBe("new");
    expect(events.map((e) => e.kind)).toEqual(["append", "reset", "append"]);
  });

  it("clear_output without wait clears at once", () => {
    const { out } = area();
    out.handle({ msgType: "display_data", content: { data: { "text/plain": "x" }, metadata: {} } });
    out.handle({ msgType: "clear_output", content: { wait: false } });
    expect(out.length).toBe(0);
  });

  it("update_display_data replaces outputs by display_id only", () => {
    const { out } = area();
    out.handle({ msgType: "display_data", content: { data: { "text/plain": "1" }, metadata: {}, transient: { display_id: "d" } } });
    out.handle({ msgType: "display_data", content: { data: { "text/plain": "other" }, metadata: {} } });
    expect(out.updateDisplay("d", { "text/plain": "2" }, {})).toBe(true);
    expect(out.updateDisplay("missing", { "text/plain": "3" }, {})).toBe(false);
    const [first, second] = out.outputs;
    expect(first.output_type === "display_data" && first.data["text/plain"]).toBe("2");
    expect(second.output_type === "display_data" && second.data["text/plain"]).toBe("other");
  });

  it("loads multiline nbformat strings and saves without a dangling carriage return", () => {
    const { out } = area();
    out.load([
      { output_type: "stream", name: "stdout", text: ["a\n", "b"] } as never,
      { output_type: "execute_result", data: { "text/plain": ["x", "y"], "application/json": { a: [1] } }, metadata: {}, execution_count: 3 } as never,
    ]);
    const [stream, result] = out.outputs;
    expect(stream.output_type === "stream" && stream.text).toBe("a\nb");
    expect(result.output_type === "execute_result" && result.data).toEqual({ "text/plain": "xy", "application/json": { a: [1] } });
    out.handle({ msgType: "stream", content: { name: "stdout", text: "\rz\r" } });
    expect(out.toJSON()[2]).toEqual({ output_type: "stream", name: "stdout", text: "z" });
  });

  it("keeps errors with their traceback", () => {
    const { out } = area();
    out.handle({ msgType: "error", content: { ename: "ValueError", evalue: "bad", traceback: ["line 1", "line 2"] } });
    expect(out.outputs[0]).toEqual({ output_type: "error", ename: "ValueError", evalue: "bad", traceback: ["line 1", "line 2"] });
    expect(out.handle({ msgType: "status", content: {} })).toBe(false);
  });
});
