import { describe, expect, it, vi } from "vitest";
import { CommManager, type CommTransport } from "../src/kernel/comm";
import { decodeV1, encodeV1, type Channel, type KernelMessage } from "../src/kernel/wire";

let counter = 0;

function message(msgType: string, content: Record<string, unknown>, buffers: ArrayBuffer[] = [], parent = ""): KernelMessage {
  counter += 1;
  return {
    channel: "iopub",
    header: { msg_id: `k${counter}`, msg_type: msgType, session: "kernel", username: "", date: "", version: "5.3" },
    parent_header: parent ? { msg_id: parent } : {},
    metadata: {},
    content,
    buffers,
  };
}

/** A transport that puts what the page sends through the real v1 wire encoding. */
class WireTransport implements CommTransport {
  sent: KernelMessage[] = [];
  replies: Record<string, Record<string, unknown>> = {};
  post(channel: Channel, msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown> = {}, buffers: ArrayBuffer[] = []): string {
    const msg = message(msgType, content, buffers);
    msg.channel = channel;
    msg.metadata = metadata;
    this.sent.push(decodeV1(encodeV1(msg)));
    return msg.header.msg_id;
  }
  async request(channel: Channel, msgType: string, content: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.post(channel, msgType, content);
    return this.replies[msgType] ?? { status: "error", evalue: "no reply" };
  }
}

function setup() {
  const transport = new WireTransport();
  return { transport, comms: new CommManager(transport) };
}

describe("CommManager", () => {
  it("hands a kernel-opened comm to its target, messages both ways with buffers", () => {
    const { transport, comms } = setup();
    const got: unknown[] = [];
    comms.registerTarget("demo", (comm, msg) => {
      got.push(["open", comm.commId, msg.content.data]);
      comm.onMsg((m) => got.push(["msg", m.content.data, new Uint8Array(m.buffers[0]).join(",")]));
    });
    comms.handle(message("comm_open", { comm_id: "c1", target_name: "demo", data: { x: 1 } }));
    comms.handle(message("comm_msg", { comm_id: "c1", data: { y: 2 } }, [new Uint8Array([1, 2, 3]).buffer]));
    expect(got).toEqual([
      ["open", "c1", { x: 1 }],
      ["msg", { y: 2 }, "1,2,3"],
    ]);
    const comm = comms.get("c1");
    comm?.send({ z: 3 }, { meta: true }, [new Uint8Array([9, 8]), new Float64Array([0.5])]);
    const sent = transport.sent.at(-1) as KernelMessage;
    expect(sent.channel).toBe("shell");
    expect(sent.header.msg_type).toBe("comm_msg");
    expect(sent.content).toEqual({ comm_id: "c1", data: { z: 3 } });
    expect(sent.metadata).toEqual({ meta: true });
    expect(new Uint8Array(sent.buffers[0])).toEqual(new Uint8Array([9, 8]));
    expect(new Float64Array(sent.buffers[1])[0]).toBe(0.5);
  });

  it("keeps messages that arrive before the target set its listener", async () => {
    const { comms } = setup();
    const seen: unknown[] = [];
    comms.registerTarget("slow", async (comm) => {
      await new Promise((r) => setTimeout(r, 5));
      comm.onMsg((m) => seen.push(m.content.data));
    });
    comms.handle(message("comm_open", { comm_id: "c2", target_name: "slow", data: {} }));
    comms.handle(message("comm_msg", { comm_id: "c2", data: 1 }));
    comms.handle(message("comm_msg", { comm_id: "c2", data: 2 }));
    expect(seen).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([1, 2]);
  });

  it("closes a comm to an unknown target at once, and one whose target throws", () => {
    const { transport, comms } = setup();
    const quiet = [vi.spyOn(console, "warn").mockImplementation(() => {}), vi.spyOn(console, "error").mockImplementation(() => {})];
    comms.handle(message("comm_open", { comm_id: "c3", target_name: "nobody", data: {} }));
    expect(transport.sent.map((m) => [m.header.msg_type, m.content.comm_id])).toEqual([["comm_close", "c3"]]);
    comms.registerTarget("broken", () => {
      throw new Error("bad target");
    });
    comms.handle(message("comm_open", { comm_id: "c4", target_name: "broken", data: {} }));
    expect(transport.sent.at(-1)?.header.msg_type).toBe("comm_close");
    expect(comms.get("c4")).toBeUndefined();
    expect(quiet[0]).toHaveBeenCalledOnce();
    for (const spy of quiet) spy.mockRestore();
  });

  it("opens comms from the page and closes them from either side", () => {
    const { transport, comms } = setup();
    const comm = comms.openComm("kernel.target", { hello: true }, { version: "2.1.0" });
    const open = transport.sent.at(-1) as KernelMessage;
    expect(open.header.msg_type).toBe("comm_open");
    expect(open.content).toEqual({ comm_id: comm.commId, target_name: "kernel.target", data: { hello: true } });
    expect(open.metadata).toEqual({ version: "2.1.0" });
    const closes: unknown[] = [];
    comm.onClose((m) => closes.push(m.content.data));
    comms.handle(message("comm_close", { comm_id: comm.commId, data: { bye: 1 } }));
    expect(closes).toEqual([{ bye: 1 }]);
    expect(comm.closed).toBe(true);
    expect(() => comm.send({})).toThrow(/closed/);
    const other = comms.openComm("kernel.target");
    other.onClose(() => closes.push("local"));
    other.close({ reason: "done" });
    expect(transport.sent.at(-1)?.content).toEqual({ comm_id: other.commId, data: { reason: "done" } });
    expect(closes.at(-1)).toBe("local");
    expect(comms.openComms).toEqual([]);
  });

  it("asks the kernel for its comms (comm_info_request) and reports failures", async () => {
    const { transport, comms } = setup();
    transport.replies.comm_info_request = { status: "ok", comms: { a: { target_name: "jupyter.widget" } } };
    await expect(comms.commInfo("jupyter.widget")).resolves.toEqual({ a: { target_name: "jupyter.widget" } });
    expect(transport.sent.at(-1)?.content).toEqual({ target_name: "jupyter.widget" });
    transport.replies.comm_info_request = { status: "error", evalue: "boom" };
    await expect(comms.commInfo()).rejects.toThrow(/boom/);
    await expect(new CommManager(null).commInfo()).rejects.toThrow(/no kernel/);
  });

  it("calls watchers with the IOPub messages of a request until its idle", () => {
    const { comms } = setup();
    const seen: string[] = [];
    comms.watch("req", (m) => seen.push(m.header.msg_type));
    comms.handle(message("status", { execution_state: "busy" }, [], "req"));
    comms.handle(message("stream", { name: "stdout", text: "x" }, [], "other"));
    comms.handle(message("status", { execution_state: "idle" }, [], "req"));
    comms.handle(message("stream", { name: "stdout", text: "late" }, [], "req"));
    expect(seen).toEqual(["status", "status"]);
  });

  it("forgets every comm silently when the kernel goes away", () => {
    const { comms } = setup();
    const closes: unknown[] = [];
    comms.registerTarget("t", (comm) => comm.onClose(() => closes.push(comm.commId)));
    comms.handle(message("comm_open", { comm_id: "r1", target_name: "t", data: {} }));
    comms.reset();
    expect(comms.openComms).toEqual([]);
    expect(closes).toEqual([]);
    // A later message for the old comm is ignored.
    expect(comms.handle(message("comm_msg", { comm_id: "r1", data: {} }))).toBe(true);
  });
});
