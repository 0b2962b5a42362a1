// While the kernel's websocket is down: is the server answering again, and does it still
// have the kernel? After a network drop the same kernel is there (the socket reconnects
// and the server replays what it missed); after a server restart it is not, and the page
// needs a new one (session.ts starts it). Asking the server, instead of waiting out the
// socket's backoff (up to 10 s), brings the page back as soon as the server is.

import { Api, ApiError } from "../../kernel/api";

export type Finding =
  /** No answer (the server is down, the network is gone, or a proxy answers 5xx). */
  | "unreachable"
  /** The server still has the kernel: reconnect now. */
  | "kernel-alive"
  /** The server started anew since the kernel was started: the kernel went with the old one. */
  | "server-restarted"
  /** The same server, without the kernel: it was shut down (elsewhere, or culled). */
  | "kernel-gone"
  /** The server refuses this page's login (it restarted with another token or password). */
  | "refused";

export interface Check {
  finding: Finding;
  /** When the server that answered started (GET /api/status), if it answered. */
  started: string | null;
}

// How often to ask while the server does not answer and the page is visible; otherwise
// the socket's own backoff is quick enough, and a hidden tab should stay quiet.
const QUICK_MS = 1000;
const SLOW_MS = 10_000;

/** Asks the server about the kernel; `knownStart` is when the kernel's server started. */
export async function checkServer(api: Api, kernelId: string, knownStart: string | null): Promise<Check> {
  let started: string | null = null;
  try {
    const status = await api.call<{ started?: string }>("GET", "api/status");
    started = status.started ?? null;
    await api.call("GET", `api/kernels/${encodeURIComponent(kernelId)}`);
    return { finding: "kernel-alive", started };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 401 || error.status === 403) return { finding: "refused", started };
    if (error.status !== 404 || started === null) return { finding: "unreachable", started };
    const restarted = knownStart === null || started !== knownStart;
    return { finding: restarted ? "server-restarted" : "kernel-gone", started };
  }
}

/**
 * Checks again and again while started: at once when the page comes back (focus, online,
 * visible), every second while the server does not answer and the page is visible, every
 * ten seconds otherwise. `act` returns true when nothing more is to be watched.
 */
export class ServerWatch {
  private active = false;
  private checking = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last: Finding | null = null;
  private readonly wake = () => {
    if (document.visibilityState !== "hidden") this.schedule(0);
  };

  constructor(
    private readonly check: () => Promise<Check>,
    private readonly act: (check: Check, previous: Finding | null) => boolean,
  ) {}

  get watching(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.last = null;
    window.addEventListener("online", this.wake);
    window.addEventListener("focus", this.wake);
    document.addEventListener("visibilitychange", this.wake);
    // Not at once: a socket that closed for a moment is usually back within its first retry.
    this.schedule(QUICK_MS / 2);
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    window.removeEventListener("online", this.wake);
    window.removeEventListener("focus", this.wake);
    document.removeEventListener("visibilitychange", this.wake);
  }

  private schedule(ms: number): void {
    if (!this.active) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (!this.active || this.checking) return;
    this.checking = true;
    let result: Check;
    try {
      result = await this.check();
    } catch (error) {
      console.warn("Carnet: could not ask the server about the kernel", error);
      result = { finding: "unreachable", started: null };
    } finally {
      this.checking = false;
    }
    if (!this.active) return;
    const previous = this.last;
    this.last = result.finding;
    if (this.act(result, previous)) {
      this.stop();
      return;
    }
    const quick = result.finding === "unreachable" && document.visibilityState !== "hidden";
    if (!this.timer) this.schedule(quick ? QUICK_MS : SLOW_MS);
  }
}
