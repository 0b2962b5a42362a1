import { describe, expect, it } from "vitest";
import { decodeV1, encodeV1, type KernelMessage } from "../src/kernel/wire";

const message: KernelMessage = {
  channel: "shell",
  header: { msg_id: "m1", msg_type: "execute_request", session: "s", username: "", date: "2026-01-01T00:00:00Z", version: "5.3" },
  parent_header: {},
  metadata: { a: 1 },
  content: { code: "print('é')" },
  buffers: [new Uint8Array([1, 2, 3]).buffer],
};

describe("v1 websocket frames", () => {
  it("round-trips a message with a buffer", () => {
    const decoded = decodeV1(encodeV1(message));
    expect(decoded.channel).toBe("shell");
    expect(decoded.header).toEqual(message.header);
    expect(decoded.content).toEqual(message.content);
    expect(decoded.metadata).toEqual({ a: 1 });
    expect(Array.from(new Uint8Array(decoded.buffers[0]))).toEqual([1, 2, 3]);
  });

  it("lays out offsets as the server expects: count, then where each part ends", () => {
    const frame = encodeV1({ ...message, buffers: [] });
    const view = new DataView(frame);
    const count = Number(view.getBigUint64(0, true));
    expect(count).toBe(6);
    expect(Number(view.getBigUint64(8, true))).toBe(8 * (count + 1));
    expect(Number(view.getBigUint64(8 * count, true))).toBe(frame.byteLength);
  });

  it("refuses truncated frames", () => {
    expect(() => decodeV1(new ArrayBuffer(4))).toThrow();
    const bad = new ArrayBuffer(16);
    new DataView(bad).setBigUint64(0, 99n, true);
    expect(() => decodeV1(bad)).toThrow();
    // Enough room for the offset table, but offsets pointing into it or backwards.
    const zeros = new ArrayBuffer(4096);
    new DataView(zeros).setBigUint64(0, 99n, true);
    expect(() => decodeV1(zeros)).toThrow();
    const frame = encodeV1({ ...message, buffers: [] });
    new DataView(frame).setBigUint64(8 * 3, 1_000_000n, true);
    expect(() => decodeV1(frame)).toThrow();
  });
});
