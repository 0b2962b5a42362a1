// Cell runs and the kernel's IOPub messages: which cell a message belongs to, what it does
// there (state, count, outputs), runs that wait for a kernel, and runs of an earlier page
// this one takes over.

import type { KernelConnection } from "../../kernel/connection";
import type { KernelMessage } from "../../kernel/wire";
import type { Cell } from "../../model/cell";
import type { KernelStatus, Notebook } from "../../model/notebook";
import { events } from "../../events";
import type { OutputView } from "../../view/outputview";
import { type RunSnapshot, showSnapshot } from "./rejoin";

/** What runs need of the kernel's connection (a fake one in tests). */
export type RunConnection = Pick<KernelConnection, "execute" | "unsent" | "failPending" | "inputReply" | "follow" | "isPending">;

export interface RunHooks {
  outputView(cell: Cell): OutputView | undefined;
  showPager(text: string): void;
}

/** A cell's run: sent to the kernel, or waiting for one (the kernel was lost before it got it). */
interface Run {
  cell: Cell;
  code: string;
  msgId: string;
  resolve: () => void;
}

/** What a `status` message on IOPub says about the kernel, for the page's indicator. */
export interface KernelStatusChange {
  state: KernelStatus;
  /** The kernel died on its own and the server restarts it: why, and which restart. */
  died?: { reason: string; restart: number };
}

/** Reads a kernel `status` message; null for any other message and for unknown states. */
export function statusChange(msg: KernelMessage): KernelStatusChange | null {
  if (msg.header.msg_type !== "status") return null;
  const raw = String(msg.content.execution_state);
  // An automatic restart is "restarting" (as Jupyter Server says it) with Carnet's reason.
  if (raw === "restarting" && msg.content.reason !== undefined) {
    return { state: "restarting", died: { reason: String(msg.content.reason ?? "it exited"), restart: Number(msg.content.restart_count ?? 0) } };
  }
  const known: KernelStatus[] = ["restarting", "dead", "starting", "busy", "idle"];
  return known.includes(raw as KernelStatus) ? { state: raw as KernelStatus } : null;
}

export class Runs {
  /** True when an IOPub output of a run belongs elsewhere (an Output widget), not the cell. */
  outputClaimed: (msg: KernelMessage) => boolean = () => false;
  // Runs sent and not finished; runs waiting for the kernel that replaces a lost one.
  private readonly sent = new Set<Run>();
  private readonly waiting: Run[] = [];

  constructor(
    private readonly nb: Notebook,
    private readonly hooks: RunHooks,
  ) {}

  /** Queues a code cell for execution; resolves when it has finished. */
  run(connection: RunConnection | null, cell: Cell): Promise<void> {
    if (cell.type !== "code" || !connection) return Promise.resolve();
    cell.outputs.clear();
    // Output the user produces in this session is trusted.
    cell.trusted = true;
    if (!cell.source.trim()) {
      cell.executionCount = null;
      return Promise.resolve();
    }
    cell.state = "queued";
    return new Promise((resolve) => this.send(connection, { cell, code: cell.source, msgId: "", resolve }));
  }

  /**
   * Runs the kernel never got (asked for while the page was reconnecting, then the kernel was
   * lost): they wait for the next kernel instead of being dropped without a word.
   */
  carryOver(connection: RunConnection | null): void {
    if (!connection) return;
    for (const run of this.sent) {
      if (!connection.unsent(run.msgId)) continue;
      this.sent.delete(run);
      this.waiting.push(run);
    }
  }

  /** Sends the waiting runs to a new kernel, in the order they were asked for. */
  sendWaiting(connection: RunConnection): void {
    for (const run of this.waiting.splice(0)) this.send(connection, run);
  }

  /** The kernel will not answer the runs it has (restart, death): they end; waiting ones wait on. */
  resetRunning(connection: RunConnection | null): void {
    connection?.failPending();
    const waiting = new Set(this.waiting.map((run) => run.cell));
    for (const cell of this.nb.cells) if (!waiting.has(cell)) cell.state = "idle";
  }

  /** IOPub messages of no run of this page that still change cells (display updates). */
  route(msg: KernelMessage): void {
    if (msg.header.msg_type !== "update_display_data") return;
    const id = String((msg.content.transient as { display_id?: string } | undefined)?.display_id ?? "");
    if (!id) return;
    const data = (msg.content.data ?? {}) as Record<string, unknown>;
    const metadata = (msg.content.metadata ?? {}) as Record<string, unknown>;
    for (const cell of this.nb.cells) cell.outputs.updateDisplay(id, data, metadata);
  }

  /** Shows a run of a page before this one (closed or reloaded) and follows it to its end. */
  rejoin(connection: RunConnection, run: RunSnapshot): void {
    // A run this page sent itself (Shift+Enter before the websocket opened) is already shown.
    if (connection.isPending(run.msg_id)) return;
    const cell = this.nb.cells.find((c) => c.id === run.cell_id);
    if (!cell || cell.type !== "code") return;
    showSnapshot(cell, run);
    if (run.state === "idle") return;
    if (run.state === "running") this.nb.kernelStatus = "busy";
    let status = "ok";
    const show = this.showOutput(cell);
    connection.follow(
      run.msg_id,
      {
        onIOPub: (msg) => {
          if (msg.header.msg_type === "error") status = "error";
          show(msg);
        },
        // An input() prompt of a run whose page is gone comes to the page that took it over.
        onStdin: (msg) => this.askInput(connection, cell, msg),
        onDone: () => this.finished(cell, status),
      },
      new Set(run.recent_msg_ids),
    );
  }

  private send(connection: RunConnection, run: Run): void {
    const cell = run.cell;
    this.sent.add(run);
    let status = "ok";
    events.emit("cell_execute", { cell_id: cell.id, index: this.nb.indexOf(cell) });
    run.msgId = connection.execute(run.code, {
      onIOPub: this.showOutput(cell),
      onStdin: (msg) => this.askInput(connection, cell, msg),
      onReply: (msg) => {
        status = String(msg.content.status ?? "ok");
        if (typeof msg.content.execution_count === "number") cell.executionCount = msg.content.execution_count;
        for (const payload of (msg.content.payload ?? []) as Record<string, unknown>[]) {
          if (payload.source === "page") {
            const data = (payload.data ?? {}) as Record<string, string>;
            this.hooks.showPager(data["text/plain"] ?? "");
          }
        }
      },
      onDone: () => {
        // Not when carried over to another kernel: it runs there.
        if (!this.sent.delete(run)) return;
        this.finished(cell, status);
        run.resolve();
      },
    }, { cellId: cell.id });
  }

  /** What a cell's run does with its IOPub messages: state, execution count, outputs. */
  private showOutput(cell: Cell): (msg: KernelMessage) => void {
    return (msg) => {
      const type = msg.header.msg_type;
      if (type === "status" && msg.content.execution_state === "busy") cell.state = "running";
      else if (type === "execute_input" && typeof msg.content.execution_count === "number") cell.executionCount = msg.content.execution_count;
      else if (!this.outputClaimed(msg)) cell.outputs.handle({ msgType: type, content: msg.content });
    };
  }

  private finished(cell: Cell, status: string): void {
    cell.state = "idle";
    const index = this.nb.indexOf(cell);
    events.emit("cell_executed", { cell_id: cell.id, index, status, execution_count: cell.executionCount });
  }

  private askInput(connection: RunConnection, cell: Cell, msg: KernelMessage): void {
    if (msg.header.msg_type !== "input_request") return;
    const view = this.hooks.outputView(cell);
    const prompt = String(msg.content.prompt ?? "");
    view?.askInput(prompt, Boolean(msg.content.password)).then((value) => connection.inputReply(msg, value));
  }
}
