// The kernel websocket as a worker runs it. Chromium receives a websocket message on
// the thread that owns the socket, and for a 27 MB message that native work alone is
// 200-400 ms; in a worker the page's thread never sees it. Frames up to BIG_FRAME go
// to the page as they are (transferred, not copied; the page decodes them in
// microseconds); bigger ones are decoded here and only the parsed message is posted
// (its big strings are copied in one memcpy each). One worker posts in arrival order,
// so the page sees messages in the order the kernel sent them.

import { decodeV1, type KernelMessage } from "./wire";

export const BIG_FRAME = 1 << 20;

/** What the page asks of the worker. */
export type ToRelay = { kind: "open"; url: string; protocol: string } | { kind: "send"; frame: ArrayBuffer } | { kind: "close" };

/** What the worker tells the page; "close" is the last message of a socket. */
export type FromRelay =
  | { kind: "open" }
  | { kind: "frame"; frame: ArrayBuffer }
  | { kind: "message"; message: KernelMessage }
  | { kind: "unreadable"; error: string }
  | { kind: "close" };

/** The worker's global scope, or one end of a MessageChannel in tests. */
export interface RelayPort {
  postMessage(message: FromRelay, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToRelay>) => void) | null;
}

/** The part of WebSocket the relay uses. */
export interface RelaySocket {
  binaryType: BinaryType;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  send(data: ArrayBuffer): void;
  close(): void;
}

export type SocketFactory = (url: string, protocol: string) => RelaySocket;

const webSocket: SocketFactory = (url, protocol) => new WebSocket(url, [protocol]);

/**
 * Serves one socket for the page over `port`; `done` runs once that socket has closed
 * (the worker then ends itself).
 */
export function relay(port: RelayPort, done: () => void = () => undefined, open: SocketFactory = webSocket, bigFrame = BIG_FRAME): void {
  let socket: RelaySocket | null = null;
  let closed = false;
  const finish = (): void => {
    if (closed) return;
    closed = true;
    port.postMessage({ kind: "close" }, []);
    done();
  };
  port.onmessage = (event) => {
    const command = event.data;
    if (command.kind === "open" && !socket && !closed) {
      socket = open(command.url, command.protocol);
      socket.binaryType = "arraybuffer";
      socket.onopen = () => port.postMessage({ kind: "open" }, []);
      socket.onmessage = (message) => forward(port, message.data, bigFrame);
      socket.onclose = finish;
    } else if (command.kind === "send") {
      socket?.send(command.frame);
    } else if (command.kind === "close") {
      if (socket) socket.close();
      else finish();
    }
  };
}

function forward(port: RelayPort, data: unknown, bigFrame: number): void {
  if (!(data instanceof ArrayBuffer)) return; // only the v1 binary format is spoken here
  if (data.byteLength <= bigFrame) {
    port.postMessage({ kind: "frame", frame: data }, [data]);
    return;
  }
  let message: KernelMessage;
  try {
    message = decodeV1(data);
  } catch (error) {
    port.postMessage({ kind: "unreadable", error: String(error) }, []);
    return;
  }
  port.postMessage({ kind: "message", message }, message.buffers);
}
