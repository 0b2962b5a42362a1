// The notebook's kernel: its session on the server, its websocket, its status, and runs.

import { Api, type KernelspecsModel, type SessionModel } from "../../kernel/api";
import { CommManager } from "../../kernel/comm";
import { KernelConnection } from "../../kernel/connection";
import type { KernelMessage } from "../../kernel/wire";
import type { Cell } from "../../model/cell";
import type { KernelStatus, Notebook } from "../../model/notebook";
import { events } from "../../events";
import type { OutputView } from "../../view/outputview";
import { type Check, checkServer, type Finding, ServerWatch } from "./recovery";
import { adoptRuns, type RunSnapshot, showSnapshot } from "./rejoin";

export interface RunHooks {
  outputView(cell: Cell): OutputView | undefined;
  showPager(text: string): void;
  /**
   * Takes the notebook as the server now has it, if it changed since the page loaded it (the
   * server recorded a run that ended meanwhile); called before running cells are rejoined.
   */
  refresh?(): Promise<void>;
}

export class KernelSession {
  session: SessionModel | null = null;
  connection: KernelConnection | null = null;
  specs: KernelspecsModel | null = null;
  /** The comms of the current kernel; frontend code registers its comm targets here. */
  readonly comms = new CommManager(null);
  /** Called when the kernel died by itself and is being restarted (why, which restart). */
  onKernelDied: (reason: string, restart: number) => void = () => {};
  /** True when an IOPub output of a run belongs elsewhere (an Output widget), not the cell. */
  outputClaimed: (msg: KernelMessage) => boolean = () => false;
  /** Called when the server restarted without the kernel and a new one was started. */
  onKernelLost: () => void = () => {};
  /** Called when the server no longer accepts this page's login (while reconnecting). */
  onLoginRefused: () => void = () => {};
  // When the kernel's server started (GET /api/status): a later one means a restart.
  private serverStarted: string | null = null;
  // The kernel is no more (shut down, culled): Restart starts a new one.
  private gone = false;
  private readonly watch = new ServerWatch(
    async () => {
      const kernelId = this.kernelId ?? "";
      return { ...(await checkServer(this.api, kernelId, this.serverStarted)), kernelId };
    },
    (check, previous) => this.onCheck(check, previous),
  );
  // Set while the session moves to another kernel: the old one going away is expected.
  private switching = false;

  constructor(
    private readonly api: Api,
    private readonly wsBase: string,
    private readonly nb: Notebook,
    private readonly hooks: RunHooks,
  ) {}

  get kernelId(): string | null {
    return this.session?.kernel?.id ?? null;
  }

  get kernelName(): string {
    return this.session?.kernel?.name ?? "";
  }

  displayName(name = this.kernelName): string {
    return this.specs?.kernelspecs[name]?.spec.display_name ?? name;
  }

  /** Starts (or joins) the session for `path`, with the notebook's kernel or the default. */
  async start(path: string): Promise<void> {
    this.specs = await this.api.kernelspecs().catch(() => null);
    const wanted = (this.nb.metadata.kernelspec as { name?: string } | undefined)?.name ?? null;
    const known = wanted && this.specs && wanted in this.specs.kernelspecs ? wanted : (this.specs?.default ?? null);
    this.nb.kernelStatus = "starting";
    void this.api.call<{ started?: string }>("GET", "api/status").then((status) => (this.serverStarted = status.started ?? null), () => undefined);
    this.session = await this.api.startSession(path, known);
    this.recordKernelspec();
    this.connect();
  }

  /** What the server said about the kernel while its websocket is down; true: done watching. */
  private onCheck(check: Check & { kernelId?: string }, previous: Finding | null): boolean {
    // A check about a kernel this page has left (Change kernel) says nothing about it now.
    if (this.switching || check.kernelId !== (this.kernelId ?? "")) return false;
    if (check.finding === "kernel-alive" && previous !== "kernel-alive") this.connection?.reconnectNow();
    if (check.finding === "refused" && previous !== "refused") this.onLoginRefused();
    if (check.finding === "kernel-gone") {
      this.lose();
      this.gone = true;
      this.nb.kernelStatus = "dead";
    }
    if (check.finding === "server-restarted") void this.replaceLostKernel(check.started);
    return check.finding === "kernel-gone" || check.finding === "server-restarted";
  }

  /** The server restarted and the kernel went with it: a new session for the notebook. */
  private async replaceLostKernel(started: string | null): Promise<void> {
    this.lose();
    try {
      await this.startAgain();
    } catch (error) {
      // The server went away again, or refuses: watch until it answers, then try again.
      console.warn("Carnet: could not start a new kernel", error);
      this.nb.kernelStatus = "reconnecting";
      this.watch.start();
      return;
    }
    this.serverStarted = started;
    this.onKernelLost();
  }

  /** A new session (and kernel) for the notebook, whose kernel is no more. */
  private async startAgain(): Promise<void> {
    this.nb.kernelStatus = "starting";
    this.session = await this.api.startSession(this.session?.path ?? "", this.kernelName || null);
    this.gone = false;
    this.recordKernelspec();
    this.connect();
  }

  /** Stops using the kernel: no more reconnects, running cells idle, its comms gone. */
  private lose(): void {
    this.resetRunning();
    this.connection?.close();
    this.comms.reset();
  }

  private connect(): void {
    const id = this.kernelId;
    if (!id) return;
    const connection = new KernelConnection(this.wsBase, id);
    this.connection = connection;
    // Outputs of cells that were running before this page connected are held until
    // their snapshot arrives, then shown after it (see rejoinRuns).
    connection.holdUnclaimed();
    let rejoined = false;
    connection.status.on((status) => {
      if (this.connection !== connection) return;
      if (status === "reconnecting") {
        this.nb.kernelStatus = "reconnecting";
        this.watch.start();
      }
      if (status === "disconnected") this.nb.kernelStatus = "disconnected";
      if (status === "connected") {
        this.watch.stop();
        if (!rejoined) void this.rejoinRuns(connection);
        rejoined = true;
        this.probe();
      }
    });
    this.comms.setTransport(connection);
    connection.iopub.on((msg) => this.comms.handle(msg));
    connection.iopub.on((msg) => this.onIOPub(msg));
    connection.connect();
  }

  /** kernel_info_request: once answered, the kernel is ready. */
  private probe(): void {
    const connection = this.connection;
    if (!connection) return;
    connection.request("shell", "kernel_info_request", {}).then(
      () => {
        if (this.nb.kernelStatus !== "busy") this.nb.kernelStatus = "idle";
        events.emit("kernel_ready", { kernel_id: this.kernelId, name: this.kernelName });
      },
      () => {
        this.nb.kernelStatus = "unknown";
      },
    );
  }

  private onIOPub(msg: KernelMessage): void {
    const type = msg.header.msg_type;
    if (type === "status") {
      const state = String(msg.content.execution_state) as KernelStatus;
      if (state === "restarting" && msg.content.reason !== undefined) {
        // The kernel died on its own; the server restarts it and says why (a requested restart has no reason).
        this.onKernelDied(String(msg.content.reason), Number(msg.content.restart_count ?? 0));
      }
      // Status of our own kernel_info probes would flicker "busy"; all else counts.
      if (state === "restarting" || state === "dead" || state === "starting") this.nb.kernelStatus = state;
      else if (state === "busy" || state === "idle") this.nb.kernelStatus = state;
      if (state === "restarting" || state === "dead") this.resetRunning();
      if (state === "restarting" || state === "dead" || state === "starting") this.comms.reset();
      if (state === "starting") this.probe();
    } else if (type === "update_display_data") {
      const id = String((msg.content.transient as { display_id?: string } | undefined)?.display_id ?? "");
      if (!id) return;
      const data = (msg.content.data ?? {}) as Record<string, unknown>;
      const metadata = (msg.content.metadata ?? {}) as Record<string, unknown>;
      for (const cell of this.nb.cells) cell.outputs.updateDisplay(id, data, metadata);
    }
  }

  /** Queues a code cell for execution; resolves when it has finished. */
  run(cell: Cell): Promise<void> {
    const connection = this.connection;
    if (cell.type !== "code" || !connection) return Promise.resolve();
    cell.outputs.clear();
    // Output the user produces in this session is trusted.
    cell.trusted = true;
    if (!cell.source.trim()) {
      cell.executionCount = null;
      return Promise.resolve();
    }
    cell.state = "queued";
    return new Promise((resolve) => {
      let status = "ok";
      connection.execute(cell.source, {
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
          this.finished(cell, status);
          resolve();
        },
      }, { cellId: cell.id });
    });
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

  /**
   * Shows the cells the kernel was running for a page before this one (the tab was closed or
   * reloaded): their outputs so far from the server, then the rest as it comes. Adopting them
   * tells the server that this page saves them.
   */
  private async rejoinRuns(connection: KernelConnection): Promise<void> {
    try {
      const runs = await adoptRuns(this.api, connection);
      // Adopted from now on: the server writes nothing more of these into the file.
      await this.hooks.refresh?.().catch((error) => console.warn("Carnet: could not check the notebook on disk", error));
      if (this.connection === connection) for (const run of runs) this.rejoin(connection, run);
    } catch (error) {
      console.warn("Carnet: could not rejoin the cells running in the kernel", error);
    } finally {
      connection.releaseHeld();
    }
  }

  private askInput(connection: KernelConnection, cell: Cell, msg: KernelMessage): void {
    if (msg.header.msg_type !== "input_request") return;
    const view = this.hooks.outputView(cell);
    const prompt = String(msg.content.prompt ?? "");
    view?.askInput(prompt, Boolean(msg.content.password)).then((value) => connection.inputReply(msg, value));
  }

  private rejoin(connection: KernelConnection, run: RunSnapshot): void {
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

  async interrupt(): Promise<void> {
    if (this.kernelId) await this.api.interrupt(this.kernelId);
  }

  async restart(): Promise<void> {
    if (!this.kernelId) return;
    if (this.gone) {
      this.resetRunning();
      await this.startAgain().catch((error) => {
        this.nb.kernelStatus = "dead";
        throw error;
      });
      return;
    }
    this.nb.kernelStatus = "restarting";
    this.resetRunning();
    await this.api.restart(this.kernelId);
    this.probe();
  }

  /** Switches the session to another kernelspec (a new kernel process). */
  async changeKernel(name: string): Promise<void> {
    if (!this.session) return;
    this.resetRunning();
    this.nb.kernelStatus = "starting";
    this.switching = true;
    try {
      // The server shuts the old kernel down: its websocket closes before this answers.
      this.session = await this.api.patchSession(this.session.id, { kernel: { name } });
    } finally {
      this.switching = false;
    }
    this.gone = false;
    this.recordKernelspec();
    this.nb.setDirty(true);
    if (this.connection && this.kernelId) this.connection.switchKernel(this.kernelId);
  }

  /** The path changed (rename): the session follows, so the kernel keeps its state. */
  async rename(path: string): Promise<void> {
    if (this.session) this.session = await this.api.patchSession(this.session.id, { path, name: path.split("/").pop() ?? path });
  }

  async complete(code: string, cursor: number): Promise<{ matches: string[]; start: number; end: number } | null> {
    if (!this.connection || this.nb.kernelStatus === "dead") return null;
    const reply = await this.connection.request("shell", "complete_request", { code, cursor_pos: cursor });
    if (reply.status !== "ok") return null;
    return { matches: (reply.matches as string[]) ?? [], start: Number(reply.cursor_start ?? cursor), end: Number(reply.cursor_end ?? cursor) };
  }

  async inspect(code: string, cursor: number): Promise<string | null> {
    if (!this.connection) return null;
    const reply = await this.connection.request("shell", "inspect_request", { code, cursor_pos: cursor, detail_level: 0 });
    if (reply.status !== "ok" || !reply.found) return null;
    return String(((reply.data ?? {}) as Record<string, unknown>)["text/plain"] ?? "");
  }

  private resetRunning(): void {
    this.connection?.failPending();
    for (const cell of this.nb.cells) cell.state = "idle";
  }

  private recordKernelspec(): void {
    const name = this.kernelName;
    const spec = this.specs?.kernelspecs[name]?.spec;
    if (!name) return;
    this.nb.metadata.kernelspec = { name, display_name: spec?.display_name ?? name, language: spec?.language ?? "" };
  }
}
