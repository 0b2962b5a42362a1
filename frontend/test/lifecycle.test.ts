import { describe, expect, it } from "vitest";
import { allowed, IllegalTransition, INITIAL, reduce, type SessionEvent, type SessionState, takesChecks, TRANSITIONS } from "../src/pages/nb/lifecycle";

/** The state after these events, from a new session. */
function after(...events: SessionEvent[]): SessionState {
  return events.reduce(reduce, INITIAL);
}

const live: SessionEvent[] = [{ type: "start" }, { type: "started" }];

describe("the kernel session's lifecycle", () => {
  it("starts, goes live, and follows its socket down and up", () => {
    expect(after({ type: "start" }).phase).toBe("starting");
    expect(after(...live).phase).toBe("live");
    expect(after(...live, { type: "socket-down" }).phase).toBe("reconnecting");
    expect(after(...live, { type: "socket-down" }, { type: "socket-down" }, { type: "socket-up" }).phase).toBe("live");
  });

  it("a first start that fails is final", () => {
    const failed = after({ type: "start" }, { type: "start-failed" });
    expect(failed.phase).toBe("failed");
    expect(() => reduce(failed, { type: "started" })).toThrow(IllegalTransition);
  });

  it("replaces a kernel lost with its server, and watches again when that fails", () => {
    const down = after(...live, { type: "server-known", started: "t0" }, { type: "socket-down" });
    const replacing = reduce(down, { type: "server-restarted" });
    expect(replacing.phase).toBe("replacing");
    expect(reduce(replacing, { type: "start-failed" }).phase).toBe("reconnecting");
    const back = reduce(replacing, { type: "started", serverStarted: "t1" });
    expect(back).toEqual({ phase: "live", serverStarted: "t1", resume: null });
  });

  it("a kernel gone is dead until Restart starts a new one (and stays gone if that fails)", () => {
    const gone = after(...live, { type: "socket-down" }, { type: "kernel-gone" });
    expect(gone.phase).toBe("gone");
    expect(() => reduce(gone, { type: "socket-up" })).toThrow(/socket-up.*gone/);
    const reviving = reduce(gone, { type: "revive" });
    expect(reduce(reviving, { type: "start-failed" }).phase).toBe("gone");
    expect(reduce(reviving, { type: "started" }).phase).toBe("live");
  });

  it("a failed switch goes back to where it was; the old socket's moves change nothing meanwhile", () => {
    const gone = after(...live, { type: "socket-down" }, { type: "kernel-gone" });
    const switching = reduce(gone, { type: "switch" });
    expect(switching.phase).toBe("switching");
    expect(takesChecks(switching)).toBe(false);
    const still = [{ type: "socket-down" }, { type: "socket-up" }].reduce((s, e) => reduce(s, e as SessionEvent), switching);
    expect(still).toEqual(switching);
    expect(reduce(still, { type: "switch-failed" }).phase).toBe("gone");
    expect(reduce(still, { type: "switched" }).phase).toBe("live");
    expect(reduce(reduce(after(...live), { type: "switch" }), { type: "switch-failed" }).phase).toBe("live");
  });

  it("learns when the server started in any phase, without moving", () => {
    for (const phase of Object.keys(TRANSITIONS["server-known"])) {
      const state = { ...INITIAL, phase } as SessionState;
      expect(reduce(state, { type: "server-known", started: "t9" })).toEqual({ ...state, serverStarted: "t9" });
    }
  });

  it("refuses moves its table does not have", () => {
    expect(() => reduce(INITIAL, { type: "started" })).toThrow(IllegalTransition);
    expect(() => after({ type: "start" }, { type: "start" })).toThrow(/"start" cannot happen while starting/);
    expect(() => after(...live, { type: "revive" })).toThrow(IllegalTransition);
    expect(() => after(...live, { type: "switched" })).toThrow(IllegalTransition);
    expect(allowed(after(...live), "kernel-gone")).toBe(true);
    expect(allowed(after({ type: "start" }), "kernel-gone")).toBe(false);
  });
});
