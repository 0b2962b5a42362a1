// Output changes gathered between two animation frames and applied as one DOM update.

import type { OutputChange } from "./outputs";

/** Runs a callback once, later (requestAnimationFrame in the page, by hand in tests). */
export type Scheduler = (run: () => void) => void;

export const animationFrame: Scheduler = (run) => {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => run());
  else setTimeout(run, 16);
};

/**
 * Merges a burst of OutputChanges into the fewest that give the same result: a reset
 * swallows everything before it; an output appended and then updated is one append;
 * repeated updates of a stream become one (`from` the earliest, `added` all that followed).
 */
export class OutputChangeBatch {
  private reset = false;
  private appended = new Set<number>();
  private updated = new Map<number, { from: number; added?: string }>();
  private scheduled = false;

  constructor(
    private readonly schedule: Scheduler,
    private readonly flush: (changes: OutputChange[]) => void,
  ) {}

  get pending(): boolean {
    return this.scheduled;
  }

  push(change: OutputChange): void {
    if (change.kind === "reset") {
      this.reset = true;
      this.appended.clear();
      this.updated.clear();
    } else if (!this.reset) {
      if (change.kind === "append") this.appended.add(change.index);
      else if (!this.appended.has(change.index)) this.updated.set(change.index, merge(this.updated.get(change.index), change));
    }
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.run());
  }

  /** The merged changes so far (and forgets them): updates first, then appends in order. */
  take(): OutputChange[] {
    const changes: OutputChange[] = [];
    if (this.reset) changes.push({ kind: "reset" });
    for (const [index, { from, added }] of [...this.updated].sort((a, b) => a[0] - b[0])) {
      changes.push(added === undefined ? { kind: "update", index, from } : { kind: "update", index, from, added });
    }
    for (const index of [...this.appended].sort((a, b) => a - b)) changes.push({ kind: "append", index });
    this.reset = false;
    this.appended.clear();
    this.updated.clear();
    return changes;
  }

  /** Applies what is pending now instead of at the next frame (its frame then finds nothing). */
  flushNow(): void {
    if (this.scheduled) this.run();
  }

  private run(): void {
    this.scheduled = false;
    const changes = this.take();
    if (changes.length) this.flush(changes);
  }
}

/** Two successive stream updates as one: the text after the earlier `from`. */
function merge(earlier: { from: number; added?: string } | undefined, later: { from?: number; added?: string }): { from: number; added?: string } {
  const from = later.from ?? 0;
  if (later.added === undefined) return { from: Math.min(from, earlier?.from ?? from) };
  if (!earlier || from <= earlier.from) return { from, added: later.added };
  if (earlier.added === undefined) return { from: earlier.from };
  // The later change starts inside (or right after) what the earlier one added.
  return { from: earlier.from, added: earlier.added.slice(0, from - earlier.from) + later.added };
}
