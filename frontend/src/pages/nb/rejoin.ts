// Runs a page before this one left behind (its tab was closed or reloaded while cells ran):
// the server's snapshot of them, adopting them, and showing their outputs so far.

import { Api, ApiError } from "../../kernel/api";
import type { KernelConnection } from "../../kernel/connection";
import type { Cell } from "../../model/cell";
import { normalizeOutput } from "../../model/outputs";

/** A cell the kernel runs or has queued, as GET/POST /api/kernels/{id}/runs[/adopt] gives it. */
export interface RunSnapshot {
  cell_id: string;
  msg_id: string;
  /** idle: it finished while no page was connected, and the server has not written it yet. */
  state: "queued" | "running" | "idle";
  execution_count: number | null;
  outputs: unknown[];
  display_ids: (string | null)[];
  recent_msg_ids: string[];
}

// Tries at adopting runs while the server has not attached the new websocket yet (409).
const ADOPT_TRIES = 50;

/**
 * Tells the server that this page now shows the kernel's runs (it saves them, and gets their
 * input() prompts), and returns them. The page's websocket must be open.
 */
export async function adoptRuns(api: Api, connection: KernelConnection): Promise<RunSnapshot[]> {
  const url = `api/kernels/${encodeURIComponent(connection.kernelId)}/runs/adopt`;
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.call<RunSnapshot[]>("POST", url, { session_id: connection.sessionId });
    } catch (error) {
      // 409: the server has not attached our websocket yet; anything else: nothing to rejoin.
      if (!(error instanceof ApiError) || error.status !== 409 || attempt >= ADOPT_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Puts a run's outputs so far, count and state into its cell. */
export function showSnapshot(cell: Cell, run: RunSnapshot): void {
  cell.trusted = true;
  cell.outputs.clear();
  run.outputs.forEach((output, i) => cell.outputs.add(normalizeOutput(output), run.display_ids[i] ?? null));
  cell.executionCount = run.execution_count;
  cell.state = run.state;
}
