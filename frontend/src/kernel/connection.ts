// One browser connection to a kernel: the websocket (v1 format, see transport.ts),
// request/reply matching, IOPub routing by parent msg_id, stdin requests, and
// reconnection with backoff.

import { Emitter } from "../model/emitter";
import type { ExecuteRequest, InputReply, MessageContents, ReplyContent, RequestType } from "./messages";
import type { Channel, ContentOf, KernelMessage } from "./wire";
import { type KernelSocket, openKernelSocket } from "./transport";
import { encodeV1, isMessage } from "./wire";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "disconnected";

/** Callbacks for everything one request causes. */
export interface RequestHandlers {
  onIOPub?: (msg: KernelMessage) => void;
  onReply?: (msg: KernelMessage) => void;
  onStdin?: (msg: KernelMessage) => void;
  /** Called once: the reply arrived and the kernel went idle for this request. */
  onDone?: () => void;
}

interface Pending {
  handlers: RequestHandlers;
  replied: boolean;
  idle: boolean;
  /** IOPub messages already shown from a snapshot (a run followed mid-way): not applied again. */
  covered?: ReadonlySet<string>;
}

const MAX_BACKOFF_MS = 10_000;

function uuid(): string {
  return typeof globalThis.crypto?.randomUUID === "function" && globalThis.isSecureContext !== false ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export class KernelConnection {
  readonly status = new Emitter<ConnectionStatus>();
  /** Every IOPub message (kernel status, messages of other clients, comms later). */
  readonly iopub = new Emitter<KernelMessage>();
  readonly sessionId = uuid();
  private ws: KernelSocket | null = null;
  private pending = new Map<string, Pending>();
  // Frames written while no socket was open, with their msg_ids: sent once one opens.
  private queue: { id: string; frame: ArrayBuffer }[] = [];
  private attempts = 0;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private _status: ConnectionStatus = "connecting";
  // IOPub messages of requests not ours, kept while a snapshot of runs in progress is awaited.
  private held: KernelMessage[] | null = null;
  // The last message received from the kernel: named on reconnect, so the server sends again
  // what it wrote after it but the drop lost (in socket buffers, a proxy).
  private lastMsgId = "";

  constructor(
    private readonly wsBase: string,
    public kernelId: string,
    private readonly username = "",
  ) {}

  get state(): ConnectionStatus {
    return this._status;
  }

  connect(): void {
    this.closed = false;
    const resume = this.lastMsgId ? `&last_msg_id=${encodeURIComponent(this.lastMsgId)}` : "";
    const url = `${this.wsBase}api/kernels/${encodeURIComponent(this.kernelId)}/channels?session_id=${this.sessionId}${resume}`;
    // Events of a socket this connection has replaced or closed are not applied.
    const socket: KernelSocket = openKernelSocket(url, {
      open: () => {
        if (this.ws !== socket) return;
        this.attempts = 0;
        this.setStatus("connected");
        for (const { frame } of this.queue.splice(0)) socket.send(frame);
      },
      message: (msg) => {
        if (this.ws !== socket) return;
        this.lastMsgId = msg.header.msg_id;
        try {
          this.dispatch(msg);
        } catch (error) {
          console.error("Carnet: kernel message not applied", error);
        }
      },
      unreadable: (error) => console.error("Carnet: unreadable kernel message", error),
      close: () => {
        if (this.ws !== socket) return;
        this.ws = null;
        if (this.closed) {
          this.setStatus("disconnected");
          return;
        }
        this.scheduleReconnect();
      },
    });
    this.ws = socket;
  }

  /** Reconnects to another kernel id (after changing the kernel). */
  switchKernel(kernelId: string): void {
    this.close();
    this.kernelId = kernelId;
    this.lastMsgId = "";
    this.failPending();
    // Connected again only once the new kernel's socket opens: listeners that act on
    // "connected" (the page asks the new kernel for its info) must hear it.
    this.attempts = 0;
    this.setStatus("connecting");
    this.connect();
  }

  /** Tries again at once instead of waiting out the backoff (the server answers again). */
  reconnectNow(): void {
    if (this.closed || this.ws || this._status !== "reconnecting") return;
    if (this.timer) clearTimeout(this.timer);
    this.connect();
  }

  /** Kernel > Reconnect: drops the websocket and opens a new one to the same kernel, as a lost
   * network would (outputs sent meanwhile are replayed by the server). */
  reconnect(): void {
    this.close();
    this.attempts = 0;
    this.setStatus("reconnecting");
    this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
  }

  /** Sends a request; handlers get its replies and outputs. Returns the msg_id. */
  send<T extends string>(channel: Channel, msgType: T, content: ContentOf<T>, handlers: RequestHandlers = {}, metadata: Record<string, unknown> = {}): string {
    const msg = this.message(channel, msgType, content, {}, metadata);
    this.pending.set(msg.header.msg_id, { handlers, replied: false, idle: false });
    this.sendFrame(encodeV1(msg), msg.header.msg_id);
    return msg.header.msg_id;
  }

  /** Sends a message that gets no reply (comm_open, comm_msg, comm_close), with binary buffers. */
  post<T extends string>(channel: Channel, msgType: T, content: ContentOf<T>, metadata: Record<string, unknown> = {}, buffers: ArrayBuffer[] = []): string {
    const msg = this.message(channel, msgType, content, {}, metadata);
    msg.buffers = buffers;
    this.sendFrame(encodeV1(msg), msg.header.msg_id);
    return msg.header.msg_id;
  }

  /** A request whose reply content is all the caller wants (typed, as the kernel sent it, unchecked). */
  request<T extends RequestType>(channel: Channel, msgType: T, content: MessageContents[T]): Promise<ReplyContent<T>> {
    return new Promise((resolve, reject) => {
      const id = this.send<string>(channel, msgType, content, { onReply: (reply) => resolve(reply.content as ReplyContent<T>) });
      setTimeout(() => {
        if (this.pending.has(id)) {
          this.pending.delete(id);
          reject(new Error(`${msgType} got no reply`));
        }
      }, 30_000);
    });
  }

  /** `cellId` goes in the request's metadata (JupyterLab's convention): the server uses it
   * to save the cell's outputs into the notebook if the page is gone when the cell ends. */
  execute(code: string, handlers: RequestHandlers, options: { silent?: boolean; storeHistory?: boolean; cellId?: string } = {}): string {
    const metadata = options.cellId ? { cellId: options.cellId } : {};
    const content: ExecuteRequest = {
      code,
      silent: options.silent ?? false,
      store_history: options.storeHistory ?? true,
      user_expressions: {},
      allow_stdin: true,
      stop_on_error: true,
    };
    return this.send("shell", "execute_request", content, handlers, metadata);
  }

  /** Answers an input_request (stdin channel) of the request `parent`. */
  inputReply(parent: KernelMessage, value: string): void {
    const content: InputReply = { value };
    const msg = this.message("stdin", "input_reply", content, parent.header);
    this.sendFrame(encodeV1(msg), msg.header.msg_id);
  }

  /** Keeps IOPub and stdin messages of unknown requests until releaseHeld(), so that `follow` misses none. */
  holdUnclaimed(): void {
    this.held = [];
  }

  /** Whether a request is this connection's own (sent or followed) and not finished. */
  isPending(msgId: string): boolean {
    return this.pending.has(msgId);
  }

  /** Stops keeping them (the snapshot is applied, or failed). */
  releaseHeld(): void {
    this.held = null;
  }

  /**
   * Follows a request another page sent (a cell still running when this page opened): its
   * IOPub messages go to `handlers`, except those in `covered`, which the snapshot that
   * showed its outputs so far already holds. Its reply went to the other page; idle ends it.
   */
  follow(msgId: string, handlers: RequestHandlers, covered: ReadonlySet<string>): void {
    const pending: Pending = { handlers, replied: true, idle: false, covered };
    this.pending.set(msgId, pending);
    const mine = (this.held ?? []).filter((msg) => msg.parent_header?.msg_id === msgId);
    if (this.held) this.held = this.held.filter((msg) => msg.parent_header?.msg_id !== msgId);
    for (const msg of mine) {
      if (msg.channel === "stdin") handlers.onStdin?.(msg);
      else this.onRequestIOPub(msgId, pending, msg);
    }
  }

  /** Forgets pending requests (the kernel restarted: their replies will never come). */
  failPending(): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.handlers.onDone?.();
  }

  private message(channel: Channel, msgType: string, content: Record<string, unknown>, parent: KernelMessage["parent_header"], metadata: Record<string, unknown> = {}): KernelMessage {
    return {
      channel,
      header: { msg_id: uuid(), msg_type: msgType, session: this.sessionId, username: this.username, date: new Date().toISOString(), version: "5.3" },
      parent_header: parent,
      metadata,
      content,
      buffers: [],
    };
  }

  /** Whether a message never reached a socket (none was open since it was sent): it is safe
   * to send it to another kernel when this one is lost. */
  unsent(msgId: string): boolean {
    return this.queue.some((queued) => queued.id === msgId);
  }

  private sendFrame(frame: ArrayBuffer, id: string): void {
    if (this.ws?.isOpen) this.ws.send(frame);
    else this.queue.push({ id, frame });
  }

  private dispatch(msg: KernelMessage): void {
    const parentId = msg.parent_header?.msg_id ?? "";
    const pending = parentId ? this.pending.get(parentId) : undefined;
    if (msg.channel === "iopub") {
      this.iopub.emit(msg);
      if (pending) this.onRequestIOPub(parentId, pending, msg);
      else if (parentId && this.held) this.held.push(msg);
      return;
    }
    if (!pending) {
      // An input() prompt of a run this page is about to follow (handed over on adoption).
      if (msg.channel === "stdin" && parentId && this.held) this.held.push(msg);
      return;
    }
    if (msg.channel === "stdin") {
      pending.handlers.onStdin?.(msg);
      return;
    }
    pending.replied = true;
    pending.handlers.onReply?.(msg);
    // Replies without an IOPub idle of their own (e.g. from a busy-less kernel) still finish.
    if (!pending.handlers.onIOPub) pending.idle = true;
    this.maybeDone(parentId, pending);
  }

  private onRequestIOPub(id: string, pending: Pending, msg: KernelMessage): void {
    if (pending.covered?.has(msg.header.msg_id)) return;
    pending.handlers.onIOPub?.(msg);
    if (isMessage(msg, "status") && msg.content.execution_state === "idle") {
      pending.idle = true;
      this.maybeDone(id, pending);
    }
  }

  private maybeDone(id: string, pending: Pending): void {
    if (!pending.replied || !pending.idle) return;
    this.pending.delete(id);
    pending.handlers.onDone?.();
  }

  private scheduleReconnect(): void {
    this.setStatus("reconnecting");
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempts) * (0.75 + Math.random() / 2);
    this.attempts += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this._status) return;
    this._status = status;
    this.status.emit(status);
  }
}
