// The generated message types, as the pages use them. The @ts-expect-error lines are the real
// assertions: tsc (npm run build, npm run typecheck) fails if a misspelt field stops being an error.

import { describe, expect, it } from "vitest";
import type { KernelConnection } from "../src/kernel/connection";
import type { CompleteRequest, ExecutionState, Status } from "../src/kernel/messages";
import { isMessage, type KernelMessage } from "../src/kernel/wire";

function received(msgType: string, content: Record<string, unknown>): KernelMessage {
  return {
    channel: "iopub",
    header: { msg_id: "k1", msg_type: msgType, session: "kernel", username: "", date: "", version: "5.3" },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}

// Type-checked, never run: requests are typed by msg_type, replies by their request.
export async function typedRequests(connection: KernelConnection): Promise<void> {
  const reply = await connection.request("shell", "complete_request", { code: "pri", cursor_pos: 3 });
  if (reply.status === "ok") reply.matches.map((m: string) => m.length);
  // @ts-expect-error cursor_position is not a field of complete_request
  await connection.request("shell", "complete_request", { code: "pri", cursor_position: 3 });
  // @ts-expect-error inspect_request has detail_level 0 or 1
  await connection.request("shell", "inspect_request", { code: "len", cursor_pos: 3, detail_level: 2 });
  // @ts-expect-error store_histroy is misspelt
  connection.send("shell", "execute_request", { code: "", silent: false, store_histroy: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  // Message types the description does not list take any object.
  connection.send("shell", "debug_request", { command: "initialize" });
}

describe("typed kernel messages", () => {
  it("narrows a received message by msg_type, without checking its content", () => {
    const msg = received("status", { execution_state: "idle" });
    expect(isMessage(msg, "stream")).toBe(false);
    expect(isMessage(msg, "status")).toBe(true);
    if (!isMessage(msg, "status")) return;
    const state: ExecutionState = msg.content.execution_state;
    expect(state).toBe("idle");
    // @ts-expect-error execution_status is not a field of status
    expect(msg.content.execution_status).toBeUndefined();
    // No validation: the content is the object that arrived.
    const odd = received("status", { execution_state: 42 });
    expect(isMessage(odd, "status") && (odd.content as Status).execution_state).toBe(42);
  });

  it("checks the fields of a content object literal", () => {
    const request: CompleteRequest = { code: "x = '😀'; pri", cursor_pos: 12 };
    // @ts-expect-error cursor_pos is required
    const missing: CompleteRequest = { code: "" };
    expect([request.cursor_pos, missing.code]).toEqual([12, ""]);
  });
});
