import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KernelConnection } from "../src/kernel/connection";
import { type Check, type Finding, ServerWatch } from "../src/pages/nb/recovery";

// Node has no window or document: EventTargets stand in for the events the watch listens to.
let win: EventTarget;
let doc: EventTarget & { visibilityState: string };

beforeEach(() => {
  vi.useFakeTimers();
  win = new EventTarget();
  doc = Object.assign(new EventTarget(), { visibilityState: "visible" });
  vi.stubGlobal("window", win);
  vi.stubGlobal("document", doc);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A watch whose checks answer `answers` in turn (the last one again and again). */
function watching(answers: Finding[], done: (finding: Finding) => boolean = () => false) {
  const seen: [Finding, Finding | null][] = [];
  let asked = 0;
  const watch = new ServerWatch(
    async (): Promise<Check> => {
      const finding = answers[Math.min(asked, answers.length - 1)];
      asked += 1;
      return { finding, started: "t0" };
    },
    (check, previous) => {
      seen.push([check.finding, previous]);
      return done(check.finding);
    },
  );
  return { watch, seen, asked: () => asked };
}

describe("the server watch while the kernel socket is down", () => {
  it("asks every second while the server does not answer, then every ten seconds", async () => {
    const { watch, seen } = watching(["unreachable", "unreachable", "kernel-alive"]);
    watch.start();
    await vi.advanceTimersByTimeAsync(499);
    expect(seen).toHaveLength(0); // a socket back within its first retry costs no request
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen).toEqual([
      ["unreachable", null],
      ["unreachable", "unreachable"],
      ["kernel-alive", "unreachable"],
    ]);
    await vi.advanceTimersByTimeAsync(9999);
    expect(seen).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen[3]).toEqual(["kernel-alive", "kernel-alive"]);
    watch.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(4);
  });

  it("asks at once when the page gets focus, goes online or becomes visible again", async () => {
    const { watch, asked } = watching(["unreachable"]);
    watch.start();
    await vi.advanceTimersByTimeAsync(500);
    expect(asked()).toBe(1);
    win.dispatchEvent(new Event("online"));
    await vi.advanceTimersByTimeAsync(0);
    expect(asked()).toBe(2);
    win.dispatchEvent(new Event("focus"));
    await vi.advanceTimersByTimeAsync(0);
    expect(asked()).toBe(3);
    doc.visibilityState = "hidden";
    doc.dispatchEvent(new Event("visibilitychange")); // hidden: nothing at once
    await vi.advanceTimersByTimeAsync(999);
    expect(asked()).toBe(3);
    await vi.advanceTimersByTimeAsync(1); // the quick check already planned
    expect(asked()).toBe(4);
    await vi.advanceTimersByTimeAsync(9999); // hidden: every ten seconds
    expect(asked()).toBe(4);
    doc.visibilityState = "visible";
    doc.dispatchEvent(new Event("visibilitychange"));
    await vi.advanceTimersByTimeAsync(0);
    expect(asked()).toBe(5);
    watch.stop();
  });

  it("ends when the finding settles it, and then no event wakes it", async () => {
    const { watch, seen } = watching(["unreachable", "server-restarted"], (f) => f === "server-restarted");
    watch.start();
    await vi.advanceTimersByTimeAsync(1500);
    expect(seen.map(([f]) => f)).toEqual(["unreachable", "server-restarted"]);
    expect(watch.watching).toBe(false);
    win.dispatchEvent(new Event("focus"));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen).toHaveLength(2);
  });

  it("asks once at a time: a wake during a slow answer does not start a second one", async () => {
    let pending = 0;
    let most = 0;
    const watch = new ServerWatch(
      async () => {
        pending += 1;
        most = Math.max(most, pending);
        await new Promise((resolve) => setTimeout(resolve, 3000));
        pending -= 1;
        return { finding: "unreachable", started: null };
      },
      () => false,
    );
    watch.start();
    await vi.advanceTimersByTimeAsync(600);
    win.dispatchEvent(new Event("focus"));
    win.dispatchEvent(new Event("online"));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(most).toBe(1);
    watch.stop();
  });
});

// Stands in for the browser's WebSocket: opens or fails when the test says.
class FakeSocket {
  static made: FakeSocket[] = [];
  binaryType = "blob";
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: (() => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(): void {}
  close(): void {}
  fail(): void {
    this.readyState = 3;
    this.onclose?.();
  }
}

describe("the connection's reconnectNow", () => {
  it("skips the backoff only while it waits to reconnect", async () => {
    FakeSocket.made = [];
    vi.stubGlobal("WebSocket", FakeSocket);
    const conn = new KernelConnection("ws://x/", "k1");
    conn.reconnectNow(); // not reconnecting: nothing
    expect(FakeSocket.made).toHaveLength(0);
    conn.connect();
    conn.reconnectNow(); // connecting: nothing either
    expect(FakeSocket.made).toHaveLength(1);
    FakeSocket.made[0].fail();
    expect(conn.state).toBe("reconnecting");
    conn.reconnectNow();
    expect(FakeSocket.made).toHaveLength(2);
    conn.reconnectNow(); // that attempt is under way
    expect(FakeSocket.made).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(20_000); // the planned attempt was cancelled
    expect(FakeSocket.made).toHaveLength(2);
    conn.close();
    conn.reconnectNow();
    expect(FakeSocket.made).toHaveLength(2);
  });
});
