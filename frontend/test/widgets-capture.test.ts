import { describe, expect, it } from "vitest";
import type { KernelMessage } from "../src/kernel/wire";
import { OutputRouter } from "../src/widgets/capture";

function msg(msgType: string, content: Record<string, unknown>, parent = ""): KernelMessage {
  return {
    channel: "iopub",
    header: { msg_id: Math.random().toString(16), msg_type: msgType, session: "k", username: "", date: "", version: "5.3" },
    parent_header: parent ? { msg_id: parent } : {},
    metadata: {},
    content,
    buffers: [],
  };
}

const openOutput = (id: string) => msg("comm_open", { comm_id: id, target_name: "jupyter.widget", data: { state: { _model_name: "OutputModel", msg_id: "" } } });
const setMsgId = (id: string, msgId: string) => msg("comm_msg", { comm_id: id, data: { method: "update", state: { msg_id: msgId } } });

describe("OutputRouter", () => {
  it("captures the outputs of the request an Output widget is set to, and only while it is", () => {
    const router = new OutputRouter();
    router.observe(openOutput("out1"));
    const got: string[] = [];
    router.subscribe("out1", (m) => got.push(String(m.content.text ?? m.header.msg_type)));
    expect(router.capture(msg("stream", { name: "stdout", text: "before" }, "run1"))).toBe(false);
    router.observe(setMsgId("out1", "run1"));
    expect(router.capture(msg("stream", { name: "stdout", text: "inside" }, "run1"))).toBe(true);
    expect(router.capture(msg("clear_output", { wait: true }, "run1"))).toBe(true);
    expect(router.capture(msg("status", { execution_state: "idle" }, "run1"))).toBe(false);
    expect(router.capture(msg("stream", { name: "stdout", text: "elsewhere" }, "run2"))).toBe(false);
    router.observe(setMsgId("out1", ""));
    expect(router.capture(msg("stream", { name: "stdout", text: "after" }, "run1"))).toBe(false);
    expect(got).toEqual(["inside", "clear_output"]);
  });

  it("holds outputs until the widget code subscribes, then hands them over in order", () => {
    const router = new OutputRouter();
    router.observe({ ...openOutput("out2"), content: { comm_id: "out2", data: { state: { _model_name: "OutputModel", msg_id: "run" } } } });
    router.capture(msg("stream", { name: "stdout", text: "a" }, "run"));
    router.capture(msg("display_data", { data: {}, metadata: {} }, "run"));
    const got: string[] = [];
    router.subscribe("out2", (m) => got.push(m.header.msg_type));
    router.capture(msg("error", { ename: "E", evalue: "", traceback: [] }, "run"));
    expect(got).toEqual(["stream", "display_data", "error"]);
  });

  it("ignores other widgets, closed Output widgets and a reset", () => {
    const router = new OutputRouter();
    router.observe(msg("comm_open", { comm_id: "s", target_name: "jupyter.widget", data: { state: { _model_name: "IntSliderModel" } } }));
    router.observe(setMsgId("s", "run"));
    expect(router.capture(msg("stream", { name: "stdout", text: "x" }, "run"))).toBe(false);
    router.observe(openOutput("o"));
    router.observe(setMsgId("o", "run"));
    router.observe(msg("comm_close", { comm_id: "o", data: {} }));
    expect(router.capture(msg("stream", { name: "stdout", text: "x" }, "run"))).toBe(false);
    router.observe(openOutput("p"));
    router.observe(setMsgId("p", "run"));
    router.reset();
    expect(router.capture(msg("stream", { name: "stdout", text: "x" }, "run"))).toBe(false);
  });
});
