import { afterEach, describe, expect, it, vi } from "vitest";
import { KernelConnection } from "../src/kernel/connection";
import { type FromRelay, relay, type RelayPort, type RelaySocket } from "../src/kernel/socketrelay";
import { type SocketEvents, WorkerSocket, type WorkerLike } from "../src/kernel/transport";
import { encodeV1, type KernelMessage } from "../src/kernel/wire";

// Stands in for the browser's WebSocket (on the page's thread or in the worker).
class FakeSocket implements RelaySocket {
  static readonly OPEN = 1;
  static made: FakeSocket[] = [];
  binaryType: BinaryType = "blob";
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  sent: ArrayBuffer[] = [];
  closed = false;

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: ArrayBuffer): void {
    this.sent.push(data);
  }
  close(): void {
    this.closed = true;
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.({} as CloseEvent));
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(data: ArrayBuffer): void {
    this.onmessage?.({ data } as MessageEvent);
  }
}

function frame(id: string, text = ""): ArrayBuffer {
  const msg: KernelMessage = {
    channel: "iopub",
    header: { msg_id: id, msg_type: "stream", session: "k", username: "", date: "", version: "5.3" },
    parent_header: { msg_id: "req" },
    metadata: {},
    content: { name: "stdout", text },
    buffers: [],
  };
  return encodeV1(msg);
}

/** The page's WorkerSocket and a relay joined by a real MessageChannel (structured clone, transfers). */
function pair(bigFrame: number) {
  const channel = new MessageChannel();
  const posted: FromRelay["kind"][] = [];
  const workerSide = channel.port1 as unknown as RelayPort;
  const post = workerSide.postMessage.bind(workerSide);
  workerSide.postMessage = (message, transfer) => {
    posted.push(message.kind);
    post(message, transfer);
  };
  let done = 0;
  relay(workerSide, () => (done += 1), (url) => new FakeSocket(url), bigFrame);
  const got: string[] = [];
  const messages: KernelMessage[] = [];
  const events: SocketEvents = {
    open: () => got.push("open"),
    message: (msg) => {
      messages.push(msg);
      got.push(`${msg.header.msg_id}:${String(msg.content.text).length}`);
    },
    unreadable: () => got.push("unreadable"),
    close: () => got.push("close"),
  };
  const socket = new WorkerSocket("ws://x/channels", events, channel.port2 as unknown as WorkerLike);
  const cleanup = () => {
    channel.port1.close();
    channel.port2.close();
  };
  return { socket, got, messages, posted, done: () => done, cleanup };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => {
  FakeSocket.made = [];
  vi.unstubAllGlobals();
});

describe("the kernel socket in a worker", () => {
  it("delivers small and big frames in arrival order, big ones decoded by the relay", async () => {
    const { socket, got, posted, cleanup } = pair(200);
    await tick();
    const ws = FakeSocket.made[0];
    expect(ws.url).toBe("ws://x/channels");
    expect(ws.binaryType).toBe("arraybuffer");
    ws.open();
    const small = frame("a", "x");
    ws.receive(small);
    ws.receive(frame("b", "y".repeat(5000)));
    ws.receive(frame("c", "z"));
    ws.receive(frame("d", "w".repeat(300)));
    ws.receive(frame("e", "v"));
    await tick();
    expect(got).toEqual(["open", "a:1", "b:5000", "c:1", "d:300", "e:1"]);
    expect(posted).toEqual(["open", "frame", "message", "frame", "message", "frame"]);
    // Small frames are moved to the page, not copied.
    expect(small.byteLength).toBe(0);
    expect(socket.isOpen).toBe(true);
    cleanup();
  });

  it("moves the binary buffers of a big message to the page", async () => {
    const { messages, posted, cleanup } = pair(200);
    await tick();
    const ws = FakeSocket.made[0];
    ws.open();
    const msg: KernelMessage = {
      channel: "iopub",
      header: { msg_id: "buf", msg_type: "comm_msg", session: "k", username: "", date: "", version: "5.3" },
      parent_header: {},
      metadata: {},
      content: { data: {} },
      buffers: [new Uint8Array([7, 8, 9]).buffer, new Uint8Array(1000).fill(5).buffer],
    };
    ws.receive(encodeV1(msg));
    await tick();
    expect(posted).toEqual(["open", "message"]);
    expect(messages[0].buffers.map((b) => Array.from(new Uint8Array(b).slice(0, 3)))).toEqual([[7, 8, 9], [5, 5, 5]]);
    expect(messages[0].buffers[1].byteLength).toBe(1000);
    cleanup();
  });

  it("sends the page's frames through the worker's socket", async () => {
    const { socket, cleanup } = pair(200);
    await tick();
    FakeSocket.made[0].open();
    await tick();
    socket.send(frame("out", "hi"));
    await tick();
    expect(FakeSocket.made[0].sent.map((f) => f.byteLength)).toEqual([frame("out", "hi").byteLength]);
    cleanup();
  });

  it("reports an unreadable big frame and goes on with the next ones", async () => {
    const { got, cleanup } = pair(200);
    await tick();
    const ws = FakeSocket.made[0];
    ws.open();
    const junk = new ArrayBuffer(4096);
    new DataView(junk).setBigUint64(0, 99n, true);
    ws.receive(junk);
    ws.receive(frame("after", "ok"));
    await tick();
    expect(got).toEqual(["open", "unreadable", "after:2"]);
    cleanup();
  });

  it("delivers nothing once closed, even what the worker had already posted", async () => {
    const { socket, got, done, cleanup } = pair(200);
    await tick();
    const ws = FakeSocket.made[0];
    ws.open();
    await tick();
    ws.receive(frame("stale", "q".repeat(1000)));
    socket.close(); // before the posted message reaches the page
    await tick();
    expect(got).toEqual(["open"]);
    expect(ws.closed).toBe(true);
    expect(done()).toBe(1);
    expect(socket.isOpen).toBe(false);
    cleanup();
  });

  it("tells the page when the server closes the socket", async () => {
    const { socket, got, done, cleanup } = pair(200);
    await tick();
    FakeSocket.made[0].open();
    FakeSocket.made[0].close();
    await tick();
    expect(got).toEqual(["open", "close"]);
    expect(done()).toBe(1);
    expect(socket.isOpen).toBe(false);
    cleanup();
  });

  it("falls back to a socket on the page's thread when the worker fails to start", async () => {
    vi.stubGlobal("WebSocket", FakeSocket);
    const worker = { postMessage: vi.fn(), onmessage: null, onerror: null, terminate: vi.fn() } as WorkerLike;
    const got: string[] = [];
    let failed = false;
    const events: SocketEvents = {
      open: () => got.push("open"),
      message: (msg) => got.push(msg.header.msg_id),
      unreadable: () => got.push("unreadable"),
      close: () => got.push("close"),
    };
    const socket = new WorkerSocket("ws://x/channels", events, worker, () => (failed = true));
    worker.onerror?.(new Event("error") as ErrorEvent);
    expect(failed).toBe(true);
    expect(worker.terminate).toHaveBeenCalled();
    const ws = FakeSocket.made[0];
    expect(ws.binaryType).toBe("arraybuffer");
    ws.open();
    ws.receive(frame("m1", "x"));
    socket.send(frame("out"));
    expect(got).toEqual(["open", "m1"]);
    expect(ws.sent).toHaveLength(1);
    expect(socket.isOpen).toBe(true);
  });
});

describe("the connection's receive path", () => {
  it("drops messages of the socket it left when switching kernels", async () => {
    vi.stubGlobal("WebSocket", FakeSocket); // no Worker in Node: sockets on the page's thread
    const conn = new KernelConnection("ws://x/", "k1");
    const seen: string[] = [];
    const statuses: string[] = [];
    conn.iopub.on((msg) => seen.push(msg.header.msg_id));
    conn.status.on((status) => statuses.push(status));
    conn.connect();
    const first = FakeSocket.made[0];
    first.open();
    first.receive(frame("old-1"));
    conn.switchKernel("k2");
    expect(conn.state).toBe("connecting");
    first.receive(frame("old-2")); // arrives after the switch: not for the new kernel
    const second = FakeSocket.made[1];
    expect(second.url).toContain("/api/kernels/k2/channels");
    second.open();
    second.receive(frame("new-1"));
    await tick();
    expect(seen).toEqual(["old-1", "new-1"]);
    expect(conn.state).toBe("connected");
    // The new kernel's socket opening is heard: the page probes the new kernel then.
    expect(statuses).toEqual(["connected", "connecting", "connected"]);
    conn.close();
  });

  it("names the last message it got when it reconnects after a drop, and none on a new kernel", async () => {
    vi.useFakeTimers();
    try {
      vi.stubGlobal("WebSocket", FakeSocket);
      FakeSocket.made = [];
      const conn = new KernelConnection("ws://x/", "k1");
      conn.connect();
      const first = FakeSocket.made[0];
      expect(first.url).not.toContain("last_msg_id");
      first.open();
      first.receive(frame("m-1"));
      first.receive(frame("m/2"));
      first.onclose?.({} as CloseEvent); // the network dropped
      await vi.runAllTimersAsync();
      const second = FakeSocket.made[1];
      expect(new URL(second.url).searchParams.get("last_msg_id")).toBe("m/2");
      conn.switchKernel("k2");
      expect(FakeSocket.made[2].url).not.toContain("last_msg_id");
      conn.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
