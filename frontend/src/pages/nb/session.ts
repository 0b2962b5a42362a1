// The notebook's kernel: its session on the server, its websocket, its status, and what
// happens when either goes away. Phases and their moves are in lifecycle.ts, runs and IOPub
// routing in runs.ts.

import { Api, type KernelspecsModel, type SessionModel } from "../../kernel/api";
import { CommManager } from "../../kernel/comm";
import { KernelConnection } from "../../kernel/connection";
import type { KernelMessage } from "../../kernel/wire";
import type { Cell } from "../../model/cell";
import type { Notebook } from "../../model/notebook";
import { events } from "../../events";
import { INITIAL, reduce, type SessionEvent, type SessionState, takesChecks } from "./lifecycle";
import { type Check, checkServer, type Finding, ServerWatch } from "./recovery";
import { adoptRuns } from "./rejoin";
import { type RunHooks as RunViewHooks, Runs, statusChange } from "./runs";

export interface RunHooks extends RunViewHooks {
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
  /** Called when the server restarted without the kernel and a new one was started. */
  onKernelLost: () => void = () => {};
  /** Called when the server no longer accepts this page's login (while reconnecting). */
  onLoginRefused: () => void = () => {};
  private state: SessionState = INITIAL;
  private readonly runs: Runs;
  private readonly watch = new ServerWatch(
    async () => {
      const kernelId = this.kernelId ?? "";
      return { ...(await checkServer(this.api, kernelId, this.state.serverStarted)), kernelId };
    },
    (check, previous) => this.onCheck(check, previous),
  );

  constructor(
    private readonly api: Api,
    private readonly wsBase: string,
    private readonly nb: Notebook,
    private readonly hooks: RunHooks,
  ) {
    this.runs = new Runs(nb, hooks);
  }

  get phase(): SessionState["phase"] {
    return this.state.phase;
  }

  /** True when an IOPub output of a run belongs elsewhere (an Output widget), not the cell. */
  get outputClaimed(): (msg: KernelMessage) => boolean {
    return this.runs.outputClaimed;
  }

  set outputClaimed(claimed: (msg: KernelMessage) => boolean) {
    this.runs.outputClaimed = claimed;
  }

  get kernelId(): string | null {
    return this.session?.kernel?.id ?? null;
  }

  get kernelName(): string {
    return this.session?.kernel?.name ?? "";
  }

  displayName(name = this.kernelName): string {
    return this.specs?.kernelspecs[name]?.spec.display_name ?? name;
  }

  private move(event: SessionEvent): void {
    this.state = reduce(this.state, event);
  }

  /** Starts (or joins) the session for `path`, with the notebook's kernel or the default. */
  async start(path: string): Promise<void> {
    this.move({ type: "start" });
    this.specs = await this.api.kernelspecs().catch(() => null);
    const wanted = (this.nb.metadata.kernelspec as { name?: string } | undefined)?.name ?? null;
    const known = wanted && this.specs && wanted in this.specs.kernelspecs ? wanted : (this.specs?.default ?? null);
    this.nb.kernelStatus = "starting";
    void this.api.call<{ started?: string }>("GET", "api/status").then((status) => this.move({ type: "server-known", started: status.started ?? null }), () => undefined);
    try {
      this.session = await this.api.startSession(path, known);
    } catch (error) {
      this.move({ type: "start-failed" });
      throw error;
    }
    this.move({ type: "started" });
    this.recordKernelspec();
    this.connect();
  }

  /** What the server said about the kernel while its websocket is down; true: done watching. */
  private onCheck(check: Check & { kernelId?: string }, previous: Finding | null): boolean {
    // A check about a kernel this page has left (Change kernel) says nothing about it now.
    if (!takesChecks(this.state) || check.kernelId !== (this.kernelId ?? "")) return false;
    if (check.finding === "kernel-alive" && previous !== "kernel-alive") this.connection?.reconnectNow();
    if (check.finding === "refused" && previous !== "refused") this.onLoginRefused();
    if (check.finding === "kernel-gone") {
      this.move({ type: "kernel-gone" });
      this.lose();
      this.nb.kernelStatus = "dead";
    }
    if (check.finding === "server-restarted") void this.replaceLostKernel(check.started);
    return check.finding === "kernel-gone" || check.finding === "server-restarted";
  }

  /** The server restarted and the kernel went with it: a new session for the notebook. */
  private async replaceLostKernel(started: string | null): Promise<void> {
    this.move({ type: "server-restarted" });
    this.lose();
    try {
      await this.startAgain(started);
    } catch (error) {
      // The server went away again, or refuses: watch until it answers, then try again.
      console.warn("Carnet: could not start a new kernel", error);
      this.move({ type: "start-failed" });
      this.nb.kernelStatus = "reconnecting";
      this.watch.start();
      return;
    }
    this.onKernelLost();
  }

  /** A new session (and kernel) for the notebook, whose kernel is no more. */
  private async startAgain(serverStarted?: string | null): Promise<void> {
    this.nb.kernelStatus = "starting";
    this.session = await this.api.startSession(this.session?.path ?? "", this.kernelName || null);
    this.move(serverStarted === undefined ? { type: "started" } : { type: "started", serverStarted });
    this.recordKernelspec();
    this.connect();
  }

  /** Stops using the kernel: no more reconnects, running cells idle, its comms gone. */
  private lose(): void {
    this.runs.carryOver(this.connection);
    this.runs.resetRunning(this.connection);
    this.connection?.close();
    this.comms.reset();
  }

  private connect(): void {
    const id = this.kernelId;
    if (!id) return;
    // Runs asked for on the old connection after it was lost go to the new kernel too.
    this.runs.carryOver(this.connection);
    const connection = new KernelConnection(this.wsBase, id);
    this.connection = connection;
    // Outputs of cells that were running before this page connected are held until
    // their snapshot arrives, then shown after it (see rejoinRuns).
    connection.holdUnclaimed();
    let rejoined = false;
    connection.status.on((status) => {
      if (this.connection !== connection) return;
      if (status === "reconnecting") {
        this.move({ type: "socket-down" });
        this.nb.kernelStatus = "reconnecting";
        this.watch.start();
      }
      if (status === "disconnected") this.nb.kernelStatus = "disconnected";
      if (status === "connected") {
        this.move({ type: "socket-up" });
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
    this.runs.sendWaiting(connection);
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
    const change = statusChange(msg);
    if (!change) {
      this.runs.route(msg);
      return;
    }
    // The kernel died on its own; the server restarts it and says why.
    if (change.died) this.onKernelDied(change.died.reason, change.died.restart);
    const state = change.state;
    this.nb.kernelStatus = state;
    if (state === "restarting" || state === "dead") this.runs.resetRunning(this.connection);
    if (state === "restarting" || state === "dead" || state === "starting") this.comms.reset();
    if (state === "starting") this.probe();
  }

  /** Queues a code cell for execution; resolves when it has finished. */
  run(cell: Cell): Promise<void> {
    return this.runs.run(this.connection, cell);
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
      if (this.connection === connection) for (const run of runs) this.runs.rejoin(connection, run);
    } catch (error) {
      console.warn("Carnet: could not rejoin the cells running in the kernel", error);
    } finally {
      connection.releaseHeld();
    }
  }

  async interrupt(): Promise<void> {
    if (this.kernelId) await this.api.interrupt(this.kernelId);
  }

  async restart(): Promise<void> {
    if (!this.kernelId) return;
    if (this.state.phase === "gone") {
      this.move({ type: "revive" });
      // Runs asked for while the kernel was gone run on the new one.
      this.runs.carryOver(this.connection);
      this.runs.resetRunning(this.connection);
      await this.startAgain().catch((error) => {
        this.move({ type: "start-failed" });
        this.nb.kernelStatus = "dead";
        throw error;
      });
      return;
    }
    this.nb.kernelStatus = "restarting";
    this.runs.resetRunning(this.connection);
    await this.api.restart(this.kernelId);
    this.probe();
  }

  /** Switches the session to another kernelspec (a new kernel process). */
  async changeKernel(name: string): Promise<void> {
    if (!this.session) return;
    this.move({ type: "switch" });
    this.runs.resetRunning(this.connection);
    this.nb.kernelStatus = "starting";
    try {
      // The server shuts the old kernel down: its websocket closes before this answers.
      this.session = await this.api.patchSession(this.session.id, { kernel: { name } });
    } catch (error) {
      this.move({ type: "switch-failed" });
      throw error;
    }
    this.move({ type: "switched" });
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

  /** The notebook's metadata names the session's kernel (a change event: the header follows). */
  private recordKernelspec(): void {
    const name = this.kernelName;
    const spec = this.specs?.kernelspecs[name]?.spec;
    if (!name) return;
    this.nb.setMetadata("kernelspec", { name, display_name: spec?.display_name ?? name, language: spec?.language ?? "" });
  }
}
