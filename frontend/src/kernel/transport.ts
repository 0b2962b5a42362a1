// The kernel websocket as the connection sees it: decoded messages in arrival order.
// The socket lives in a worker when the browser allows one (socketrelay.ts says why);
// otherwise, or when the worker fails to start, on the page's thread as before.

import type { FromRelay, ToRelay } from "./socketrelay";
import { decodeV1, type KernelMessage, V1_PROTOCOL } from "./wire";

export interface SocketEvents {
  open(): void;
  message(msg: KernelMessage): void;
  /** A frame that is not a v1 kernel message (logged, then skipped). */
  unreadable(error: unknown): void;
  /** The socket closed (not called after close()). */
  close(): void;
}

export interface KernelSocket {
  readonly isOpen: boolean;
  send(frame: ArrayBuffer): void;
  close(): void;
}

/** The part of Worker used here (a MessagePort in tests). */
export interface WorkerLike {
  postMessage(message: ToRelay, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<FromRelay>) => void) | null;
  onerror?: ((event: ErrorEvent) => void) | null;
  terminate?(): void;
}

// Set once a worker could not be made or died before any worked: later sockets stay on
// the page's thread. One that fails after others worked (say, while the server restarts)
// is only replaced by a page socket for that attempt.
let workersFailed = false;
let workersWorked = false;

export function openKernelSocket(url: string, events: SocketEvents): KernelSocket {
  if (!workersFailed && typeof Worker !== "undefined") {
    try {
      // Written out in full so that Vite bundles the worker as its own module.
      const worker = new Worker(new URL("./decoder.worker.ts", import.meta.url), { type: "module", name: "kernel-socket" });
      const watched: SocketEvents = {
        ...events,
        open: () => {
          workersWorked = true;
          events.open();
        },
      };
      return new WorkerSocket(url, watched, worker, () => {
        if (!workersWorked) workersFailed = true;
      });
    } catch {
      workersFailed = true;
    }
  }
  return new DirectSocket(url, events);
}

/** A websocket on the page's thread, decoding every frame there. */
export class DirectSocket implements KernelSocket {
  private readonly ws: WebSocket;

  constructor(url: string, events: SocketEvents) {
    const ws = new WebSocket(url, [V1_PROTOCOL]);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => events.open();
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") deliver(events, event.data as ArrayBuffer);
    };
    ws.onclose = () => events.close();
    this.ws = ws;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: ArrayBuffer): void {
    this.ws.send(frame);
  }

  close(): void {
    this.ws.close();
  }
}

/** A websocket in a worker running relay(); small frames are decoded here, big ones there. */
export class WorkerSocket implements KernelSocket {
  private opened = false;
  private ended = false;
  // Where the socket went when the worker failed before the socket opened.
  private direct: DirectSocket | null = null;

  constructor(
    private readonly url: string,
    private readonly events: SocketEvents,
    private readonly worker: WorkerLike,
    private readonly onFailure: () => void = () => undefined,
  ) {
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail();
    };
    worker.postMessage({ kind: "open", url, protocol: V1_PROTOCOL }, []);
  }

  get isOpen(): boolean {
    return this.direct ? this.direct.isOpen : this.opened && !this.ended;
  }

  send(frame: ArrayBuffer): void {
    if (this.direct) this.direct.send(frame);
    else if (!this.ended) this.worker.postMessage({ kind: "send", frame }, [frame]);
  }

  close(): void {
    if (this.direct) {
      this.direct.close();
      return;
    }
    if (this.ended) return;
    // Nothing more is delivered, even what the worker already posted (a stale message
    // must not reach a connection that moved on); the worker ends once its socket closes.
    this.ended = true;
    this.worker.postMessage({ kind: "close" }, []);
  }

  private receive(data: FromRelay): void {
    if (this.ended) return;
    switch (data.kind) {
      case "open":
        this.opened = true;
        this.events.open();
        break;
      case "frame":
        deliver(this.events, data.frame);
        break;
      case "message":
        this.events.message(data.message);
        break;
      case "unreadable":
        this.events.unreadable(new Error(data.error));
        break;
      case "close":
        this.ended = true;
        this.events.close();
        break;
    }
  }

  private fail(): void {
    if (this.ended || this.direct) return;
    this.onFailure();
    this.worker.terminate?.();
    if (this.opened) {
      this.ended = true;
      this.events.close();
    } else {
      this.direct = new DirectSocket(this.url, this.events);
    }
  }
}

function deliver(events: SocketEvents, frame: ArrayBuffer): void {
  let msg: KernelMessage;
  try {
    msg = decodeV1(frame);
  } catch (error) {
    events.unreadable(error);
    return;
  }
  events.message(msg);
}
