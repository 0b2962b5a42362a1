// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { RequestHandlers } from "../src/kernel/connection";
import type { KernelMessage } from "../src/kernel/wire";
import { events } from "../src/events";
import { Notebook } from "../src/model/notebook";
import type { NbCell } from "../src/model/types";
import { type RunConnection, Runs, statusChange } from "../src/pages/nb/runs";

let counter = 0;

function message(msgType: string, content: Record<string, unknown>, parent = ""): KernelMessage {
  counter += 1;
  return {
    channel: msgType === "execute_reply" ? "shell" : msgType === "input_request" ? "stdin" : "iopub",
    header: { msg_id: `k${counter}`, msg_type: msgType, session: "kernel", username: "", date: "", version: "5.3" },
    parent_header: parent ? { msg_id: parent, msg_type: "execute_request", session: "page", username: "", date: "", version: "5.3" } : {},
    metadata: {},
    content,
    buffers: [],
  } as KernelMessage;
}

/** A connection that records requests and lets the test play the kernel's part. */
class FakeConnection implements RunConnection {
  readonly requests: { id: string; code: string; cellId?: string }[] = [];
  readonly answers: [string, string][] = [];
  readonly followed = new Map<string, ReadonlySet<string>>();
  private readonly handlers = new Map<string, RequestHandlers>();
  private readonly queued = new Set<string>();
  private next = 0;

  /** While offline, requests are queued (never reach a socket). */
  constructor(public offline = false) {}

  execute(code: string, handlers: RequestHandlers, options: { cellId?: string } = {}): string {
    const id = `r${(this.next += 1)}-${Math.random().toString(16).slice(2, 6)}`;
    this.requests.push({ id, code, cellId: options.cellId });
    this.handlers.set(id, handlers);
    if (this.offline) this.queued.add(id);
    return id;
  }
  unsent(msgId: string): boolean {
    return this.queued.has(msgId);
  }
  failPending(): void {
    const all = [...this.handlers.values()];
    this.handlers.clear();
    for (const h of all) h.onDone?.();
  }
  inputReply(parent: KernelMessage, value: string): void {
    this.answers.push([parent.header.msg_id, value]);
  }
  follow(msgId: string, handlers: RequestHandlers, covered: ReadonlySet<string>): void {
    this.handlers.set(msgId, handlers);
    this.followed.set(msgId, covered);
  }
  isPending(msgId: string): boolean {
    return this.handlers.has(msgId);
  }

  /** The kernel runs request `id` to its end: busy, these outputs, the reply, idle. */
  finish(id: string, count: number, outputs: [string, Record<string, unknown>][] = []): void {
    this.iopub(id, "status", { execution_state: "busy" });
    this.iopub(id, "execute_input", { execution_count: count, code: "" });
    for (const [type, content] of outputs) this.iopub(id, type, content);
    this.handlers.get(id)?.onReply?.(message("execute_reply", { status: "ok", execution_count: count }, id));
    this.iopub(id, "status", { execution_state: "idle" });
    const done = this.handlers.get(id);
    this.handlers.delete(id);
    done?.onDone?.();
  }
  iopub(id: string, type: string, content: Record<string, unknown>): void {
    this.handlers.get(id)?.onIOPub?.(message(type, content, id));
  }
}

function notebook(...sources: string[]): Notebook {
  const cells: NbCell[] = sources.map((source, i) => ({ id: `c${i}`, cell_type: "code", source, metadata: {}, outputs: [], execution_count: null }));
  return Notebook.fromJSON({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
}

function setup(...sources: string[]) {
  const nb = notebook(...sources);
  const pager: string[] = [];
  const runs = new Runs(nb, { outputView: () => undefined, showPager: (text) => pager.push(text) });
  return { nb, runs, pager };
}

const stdout = (text: string): [string, Record<string, unknown>] => ["stream", { name: "stdout", text }];

describe("cell runs", () => {
  it("send the cell's code and show its state, count and outputs until it finishes", async () => {
    const { nb, runs } = setup("print('hi')");
    const cell = nb.cells[0];
    const kernel = new FakeConnection();
    const executed: Record<string, unknown>[] = [];
    events.on("cell_executed", (detail) => executed.push(detail));
    const done = runs.run(kernel, cell);
    expect(cell.state).toBe("queued");
    expect(kernel.requests).toEqual([{ id: kernel.requests[0].id, code: "print('hi')", cellId: "c0" }]);
    kernel.iopub(kernel.requests[0].id, "status", { execution_state: "busy" });
    expect(cell.state).toBe("running");
    kernel.finish(kernel.requests[0].id, 3, [stdout("hi\n")]);
    await done;
    expect(cell.state).toBe("idle");
    expect(cell.executionCount).toBe(3);
    expect(cell.outputs.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "hi\n" }]);
    expect(executed.at(-1)).toMatchObject({ cell_id: "c0", status: "ok", execution_count: 3 });
  });

  it("an empty cell is not sent, and no connection runs nothing", async () => {
    const { nb, runs } = setup("  ", "1");
    const kernel = new FakeConnection();
    await runs.run(kernel, nb.cells[0]);
    await runs.run(null, nb.cells[1]);
    expect(kernel.requests).toEqual([]);
    expect(nb.cells.map((c) => c.state)).toEqual(["idle", "idle"]);
  });

  it("runs a lost kernel never got wait and run on the next kernel, in order; the others end", async () => {
    const { nb, runs } = setup("a", "b", "c");
    const [a, b, c] = nb.cells;
    const lost = new FakeConnection();
    const ran = runs.run(lost, a);
    lost.iopub(lost.requests[0].id, "status", { execution_state: "busy" });
    lost.offline = true; // the socket closed: what follows is queued
    const waitingB = runs.run(lost, b);
    const waitingC = runs.run(lost, c);
    runs.carryOver(lost);
    runs.resetRunning(lost);
    await ran; // it was running in the lost kernel: it ends there
    expect([a.state, b.state, c.state]).toEqual(["idle", "queued", "queued"]);
    const next = new FakeConnection();
    runs.sendWaiting(next);
    expect(next.requests.map((r) => r.code)).toEqual(["b", "c"]);
    next.finish(next.requests[0].id, 1, [["execute_result", { data: { "text/plain": "'b'" }, metadata: {}, execution_count: 1 }]]);
    next.finish(next.requests[1].id, 2);
    await Promise.all([waitingB, waitingC]);
    expect([b.executionCount, c.executionCount]).toEqual([1, 2]);
    expect(b.outputs.outputs).toHaveLength(1);
  });

  it("a kernel restart ends the runs it had, sent or not", async () => {
    const { nb, runs } = setup("a");
    const kernel = new FakeConnection(true);
    const done = runs.run(kernel, nb.cells[0]);
    runs.resetRunning(kernel);
    await done;
    expect(nb.cells[0].state).toBe("idle");
    const next = new FakeConnection();
    runs.sendWaiting(next);
    expect(next.requests).toEqual([]); // not carried over: a restart drops what was queued
  });

  it("answers input() in the cell's output view and shows pager payloads", async () => {
    const nb = notebook("input()");
    const pager: string[] = [];
    const asked: string[] = [];
    const view = { askInput: async (prompt: string) => (asked.push(prompt), "Ada") };
    const runs = new Runs(nb, { outputView: () => view as never, showPager: (text) => pager.push(text) });
    const kernel = new FakeConnection();
    void runs.run(kernel, nb.cells[0]);
    const id = kernel.requests[0].id;
    const request = message("input_request", { prompt: "Name: ", password: false }, id);
    (kernel as unknown as { handlers: Map<string, RequestHandlers> }).handlers.get(id)?.onStdin?.(request);
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toEqual(["Name: "]);
    expect(kernel.answers).toEqual([[request.header.msg_id, "Ada"]]);
  });

  it("routes display updates to every cell showing that display, and leaves claimed outputs alone", () => {
    const { nb, runs } = setup("a", "b");
    const shown = { data: { "text/plain": "first" }, metadata: {}, transient: { display_id: "d1" } };
    for (const cell of nb.cells) cell.outputs.handle({ msgType: "display_data", content: shown });
    runs.route(message("update_display_data", { data: { "text/plain": "updated" }, metadata: {}, transient: { display_id: "d1" } }));
    expect(nb.cells.map((c) => (c.outputs.outputs[0] as { data: Record<string, unknown> }).data["text/plain"])).toEqual(["updated", "updated"]);
    runs.outputClaimed = (msg) => msg.header.msg_type === "stream";
    const kernel = new FakeConnection();
    void runs.run(kernel, nb.cells[0]);
    kernel.finish(kernel.requests[0].id, 1, [stdout("to a widget\n")]);
    expect(nb.cells[0].outputs.outputs).toEqual([]);
  });

  it("rejoins a run of an earlier page from its snapshot and follows it, unless it is its own", () => {
    const { nb, runs } = setup("slow");
    const kernel = new FakeConnection();
    const snapshot = { cell_id: "c0", msg_id: "old", state: "running" as const, execution_count: 4, outputs: [{ output_type: "stream", name: "stdout", text: "so far\n" }], display_ids: [null], recent_msg_ids: ["k0"] };
    runs.rejoin(kernel, snapshot);
    expect(nb.cells[0].state).toBe("running");
    expect(nb.kernelStatus).toBe("busy");
    expect(kernel.followed.get("old")).toEqual(new Set(["k0"]));
    kernel.iopub("old", "stream", { name: "stdout", text: "more\n" });
    kernel.iopub("old", "status", { execution_state: "idle" });
    (kernel as unknown as { handlers: Map<string, RequestHandlers> }).handlers.get("old")?.onDone?.();
    expect(nb.cells[0].state).toBe("idle");
    expect((nb.cells[0].outputs.outputs[0] as { text: string }).text).toBe("so far\nmore\n");
    runs.rejoin(kernel, { ...snapshot, msg_id: "mine" });
    expect(kernel.followed.has("mine")).toBe(true);
    kernel.followed.clear();
    runs.rejoin(kernel, { ...snapshot, msg_id: "mine" }); // pending: this page's own run
    expect(kernel.followed.size).toBe(0);
  });
});

describe("kernel status messages", () => {
  it("are read for the page's indicator; others are not status changes", () => {
    expect(statusChange(message("status", { execution_state: "busy" }))).toEqual({ state: "busy" });
    expect(statusChange(message("status", { execution_state: "restarting", reason: "killed", restart_count: 2 }))).toEqual({ state: "restarting", died: { reason: "killed", restart: 2 } });
    expect(statusChange(message("status", { execution_state: "restarting" }))).toEqual({ state: "restarting" });
    expect(statusChange(message("status", { execution_state: "mystery" }))).toBeNull();
    expect(statusChange(message("stream", { name: "stdout", text: "" }))).toBeNull();
  });
});
