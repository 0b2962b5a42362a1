// The page's comm manager (messaging spec, "Custom Messages"): comms opened from either
// side, comm_msg both ways with binary buffers, comm_close both ways, the targets frontend
// code registers, and comm_info_request. DOM-free: it speaks through a small transport.

import { Emitter } from "../model/emitter";
import type { CommClose, CommMsg, CommOpen } from "./messages";
import { isMessage, type Channel, type KernelMessage } from "./wire";

/** What the manager needs from a kernel connection (KernelConnection provides it). */
export interface CommTransport {
  /** Sends a message that gets no reply of its own; returns its msg_id. */
  post(channel: Channel, msgType: string, content: Record<string, unknown>, metadata?: Record<string, unknown>, buffers?: ArrayBuffer[]): string;
  request(channel: Channel, msgType: string, content: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Called when the kernel opens a comm to a target registered here. */
export type CommTarget = (comm: Comm, msg: KernelMessage) => void | Promise<void>;

type Listener = (msg: KernelMessage) => void;

function toArrayBuffers(buffers: readonly (ArrayBuffer | ArrayBufferView)[] | undefined): ArrayBuffer[] {
  return (buffers ?? []).map((b) => {
    if (b instanceof ArrayBuffer) return b;
    const view = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return view.slice().buffer;
  });
}

/** One end of a comm. Messages that arrive before a listener is set are kept for it. */
export class Comm {
  private msgListener: Listener | null = null;
  private closeListener: Listener | null = null;
  private early: KernelMessage[] = [];
  private _closed = false;

  constructor(
    private readonly manager: CommManager,
    readonly commId: string,
    readonly targetName: string,
  ) {}

  get closed(): boolean {
    return this._closed;
  }

  /** Opens this comm in the kernel (comm_open to a kernel-side target). */
  open(data: unknown = {}, metadata: Record<string, unknown> = {}, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    const content: CommOpen = { comm_id: this.commId, target_name: this.targetName, data: data as CommOpen["data"] };
    return this.manager.post("comm_open", content, metadata, buffers);
  }

  send(data: unknown, metadata: Record<string, unknown> = {}, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    if (this._closed) throw new Error(`comm ${this.commId} is closed`);
    const content: CommMsg = { comm_id: this.commId, data: data as CommMsg["data"] };
    return this.manager.post("comm_msg", content, metadata, buffers);
  }

  /** Closes both ends; the local close listener is called too, as the spec's frontends do. */
  close(data: unknown = {}, metadata: Record<string, unknown> = {}, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    if (this._closed) return "";
    const content: CommClose = { comm_id: this.commId, data: data as CommClose["data"] };
    const id = this.manager.post("comm_close", content, metadata, buffers);
    this.closedBy(null);
    return id;
  }

  onMsg(listener: Listener | null): void {
    this.msgListener = listener;
    if (listener) for (const msg of this.early.splice(0)) listener(msg);
  }

  onClose(listener: Listener | null): void {
    this.closeListener = listener;
  }

  /** @internal a comm_msg from the kernel. */
  deliver(msg: KernelMessage): void {
    if (this.msgListener) this.msgListener(msg);
    else this.early.push(msg);
  }

  /** @internal closed by the kernel (msg) or here (null); `silent` when the kernel went away
   *  (restart): the other end is gone, but what the comm shows should stay on the page. */
  closedBy(msg: KernelMessage | null, silent = false): void {
    if (this._closed) return;
    this._closed = true;
    this.early = [];
    this.manager.forget(this.commId);
    if (silent) return;
    if (this.closeListener && msg) this.closeListener(msg);
    else if (this.closeListener) this.closeListener({ content: { comm_id: this.commId, data: {} } } as unknown as KernelMessage);
  }
}

function newCommId(): string {
  if (typeof globalThis.crypto?.randomUUID === "function") return crypto.randomUUID().replace(/-/g, "");
  return `${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
}

export class CommManager {
  private readonly targets = new Map<string, CommTarget>();
  private readonly comms = new Map<string, Comm>();
  /** IOPub watchers by parent msg_id (e.g. a widget waiting for the idle after its update). */
  private readonly watchers = new Map<string, Listener>();
  /** Every IOPub message handled, before comms see it (the Output widget capture listens). */
  readonly messages = new Emitter<KernelMessage>();

  constructor(private transport: CommTransport | null) {}

  /** The kernel connection changed (or went away); open comms are closed locally. */
  setTransport(transport: CommTransport | null): void {
    this.transport = transport;
    this.reset();
  }

  get connected(): boolean {
    return this.transport !== null;
  }

  /** Registers the handler for comms the kernel opens to `name`; returns the unregister. */
  registerTarget(name: string, target: CommTarget): () => void {
    this.targets.set(name, target);
    return () => {
      if (this.targets.get(name) === target) this.targets.delete(name);
    };
  }

  hasTarget(name: string): boolean {
    return this.targets.has(name);
  }

  get(commId: string): Comm | undefined {
    return this.comms.get(commId);
  }

  get openComms(): Comm[] {
    return [...this.comms.values()];
  }

  /** A comm object for `targetName`; call `open()` to open it in the kernel, or not to
   *  attach to a comm the kernel already has (commId given). */
  createComm(targetName: string, commId: string = newCommId()): Comm {
    const existing = this.comms.get(commId);
    if (existing) return existing;
    const comm = new Comm(this, commId, targetName);
    this.comms.set(commId, comm);
    return comm;
  }

  /** Opens a comm from the page to a kernel-side target. */
  openComm(targetName: string, data: unknown = {}, metadata: Record<string, unknown> = {}, buffers?: (ArrayBuffer | ArrayBufferView)[]): Comm {
    const comm = this.createComm(targetName);
    comm.open(data, metadata, buffers);
    return comm;
  }

  /** The kernel's open comms, optionally of one target: {comm_id: {target_name}}. */
  async commInfo(targetName?: string): Promise<Record<string, { target_name: string }>> {
    if (!this.transport) throw new Error("no kernel connection");
    const reply = await this.transport.request("shell", "comm_info_request", targetName ? { target_name: targetName } : {});
    if (reply.status !== undefined && reply.status !== "ok") throw new Error(`comm_info_request failed: ${String(reply.evalue ?? reply.status)}`);
    return (reply.comms ?? {}) as Record<string, { target_name: string }>;
  }

  /** Calls `listener` with every IOPub message whose parent is `msgId`, until its idle status. */
  watch(msgId: string, listener: Listener): void {
    if (msgId) this.watchers.set(msgId, listener);
  }

  /** Feeds one IOPub message; returns true when it was a comm message. */
  handle(msg: KernelMessage): boolean {
    this.messages.emit(msg);
    const parent = msg.parent_header?.msg_id;
    const watcher = parent ? this.watchers.get(parent) : undefined;
    if (watcher) {
      if (isMessage(msg, "status") && msg.content.execution_state === "idle") this.watchers.delete(parent as string);
      watcher(msg);
    }
    // Typed, not checked: String() keeps a non-string comm_id from a foreign kernel harmless.
    if (isMessage(msg, "comm_open")) this.kernelOpened(msg);
    else if (isMessage(msg, "comm_msg")) this.comms.get(String(msg.content.comm_id))?.deliver(msg);
    else if (isMessage(msg, "comm_close")) this.comms.get(String(msg.content.comm_id))?.closedBy(msg);
    else return false;
    return true;
  }

  /** The kernel restarted or the page left it: every comm is closed here, watchers dropped. */
  reset(): void {
    for (const comm of [...this.comms.values()]) comm.closedBy(null, true);
    this.comms.clear();
    this.watchers.clear();
  }

  /** @internal */
  post(msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown>, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    if (!this.transport) throw new Error("no kernel connection");
    return this.transport.post("shell", msgType, content, metadata, toArrayBuffers(buffers));
  }

  /** @internal */
  forget(commId: string): void {
    this.comms.delete(commId);
  }

  private kernelOpened(msg: KernelMessage<CommOpen>): void {
    const commId = String(msg.content.comm_id ?? "");
    const targetName = String(msg.content.target_name ?? "");
    const target = this.targets.get(targetName);
    if (!commId) return;
    if (!target) {
      // The spec: a comm to an unknown target is closed at once.
      console.warn(`Carnet: no comm target "${targetName}"; closing comm ${commId}`);
      const content: CommClose = { comm_id: commId, data: {} };
      if (this.transport) this.post("comm_close", content, {});
      return;
    }
    const comm = this.createComm(targetName, commId);
    const fail = (error: unknown) => {
      console.error(`Carnet: comm target "${targetName}" failed`, error);
      if (!comm.closed) comm.close();
    };
    try {
      const result = target(comm, msg);
      if (result && typeof (result as Promise<void>).catch === "function") (result as Promise<void>).catch(fail);
    } catch (error) {
      fail(error);
    }
  }
}
