// The notebook's kernel session as a state machine: its phases, what moves it, and which
// moves are allowed (any other is a bug and throws). A pure reducer: session.ts does the
// work (requests, sockets) and records each step here.
//
//   new -> starting -> live <-> reconnecting -> replacing -> live   (the server restarted)
//            |                      |              \-> reconnecting (no new kernel yet)
//            v                      \-> gone -> reviving -> live     (Restart; gone again if it fails)
//          failed     live, reconnecting or gone -> switching -> live (or back, if the PATCH failed)

export type Phase =
  /** No session asked for yet. */
  | "new"
  /** The page's first session is being started. */
  | "starting"
  /** The page could not get a first session (the page says so; nothing more is tried). */
  | "failed"
  /** A kernel and its websocket (open, or opening). */
  | "live"
  /** The websocket is down: the server is asked, again and again, what became of the kernel. */
  | "reconnecting"
  /** The server restarted without the kernel: a new session is being started. */
  | "replacing"
  /** The kernel is no more (shut down, culled): dead until Restart. */
  | "gone"
  /** Restart after the kernel was gone: a new session is being started. */
  | "reviving"
  /** Change kernel: the server swaps the session's kernel. */
  | "switching";

export interface SessionState {
  readonly phase: Phase;
  /** When the kernel's server started (GET /api/status): a later start means a restart. */
  readonly serverStarted: string | null;
  /** Where a failed switch goes back to. */
  readonly resume: Phase | null;
}

export type SessionEvent =
  | { type: "start" }
  | { type: "started"; serverStarted?: string | null }
  | { type: "start-failed" }
  | { type: "server-known"; started: string | null }
  | { type: "socket-down" }
  | { type: "socket-up" }
  | { type: "kernel-gone" }
  | { type: "server-restarted" }
  | { type: "revive" }
  | { type: "switch" }
  | { type: "switched" }
  | { type: "switch-failed" };

type EventType = SessionEvent["type"];

/** For each event, the phases it may happen in and where it leads ("resume": back to before the switch). */
export const TRANSITIONS: Readonly<Record<EventType, Partial<Record<Phase, Phase | "resume">>>> = {
  start: { new: "starting" },
  started: { starting: "live", replacing: "live", reviving: "live" },
  "start-failed": { starting: "failed", replacing: "reconnecting", reviving: "gone" },
  // Known at any time: the answer to GET /api/status comes when it comes.
  "server-known": { new: "new", starting: "starting", failed: "failed", live: "live", reconnecting: "reconnecting", replacing: "replacing", gone: "gone", reviving: "reviving", switching: "switching" },
  // The old kernel's socket closes (or opens again) while the server swaps it: no move.
  "socket-down": { live: "reconnecting", reconnecting: "reconnecting", switching: "switching" },
  "socket-up": { live: "live", reconnecting: "live", switching: "switching" },
  // Checks go on until the socket opens: after a switch, one may land while it opens.
  "kernel-gone": { reconnecting: "gone", live: "gone" },
  "server-restarted": { reconnecting: "replacing", live: "replacing" },
  revive: { gone: "reviving" },
  switch: { live: "switching", reconnecting: "switching", gone: "switching" },
  switched: { switching: "live" },
  "switch-failed": { switching: "resume" },
};

export const INITIAL: SessionState = { phase: "new", serverStarted: null, resume: null };

export class IllegalTransition extends Error {
  constructor(
    readonly phase: Phase,
    readonly event: EventType,
  ) {
    super(`kernel session: "${event}" cannot happen while ${phase}`);
    this.name = "IllegalTransition";
  }
}

/** Whether `event` may happen in `state` (callers that may ignore an event ask first). */
export function allowed(state: SessionState, event: EventType): boolean {
  return TRANSITIONS[event][state.phase] !== undefined;
}

/** The state after `event`; throws IllegalTransition for a move the table does not have. */
export function reduce(state: SessionState, event: SessionEvent): SessionState {
  const target = TRANSITIONS[event.type][state.phase];
  if (target === undefined) throw new IllegalTransition(state.phase, event.type);
  const phase = target === "resume" ? (state.resume ?? "live") : target;
  let serverStarted = state.serverStarted;
  if (event.type === "server-known") serverStarted = event.started;
  if (event.type === "started" && event.serverStarted !== undefined) serverStarted = event.serverStarted;
  const resume = event.type === "switch" ? state.phase : phase === "switching" ? state.resume : null;
  return { phase, serverStarted, resume };
}

/** Whether what the server says about the kernel (while the socket is down) is taken. */
export function takesChecks(state: SessionState): boolean {
  return state.phase === "reconnecting" || state.phase === "live";
}
