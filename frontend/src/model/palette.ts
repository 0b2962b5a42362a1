// The command palette's model: every command by name with its shortcuts, fuzzy-ranked
// against what the user types, and the highlighted row moved by the arrow keys; DOM-free.

export interface Command {
  name: string;
  label: string;
  /** Shortcuts as the help shows them ("Shift-Enter", "D D"). */
  keys: string[];
}

export interface Ranked {
  command: Command;
  score: number;
  /** Offsets in the label of the characters that matched, for highlighting. */
  positions: number[];
}

/**
 * How well `query` matches `text` as a subsequence, ignoring case and spaces in the query;
 * null when it does not. Consecutive characters, word starts and an early start score higher;
 * the best placement of the letters wins ("tln" is T-oggle L-ine N-umbers, not Togg-l-e li-n-e).
 */
export function fuzzyScore(query: string, text: string): { score: number; positions: number[] } | null {
  const q = query.toLowerCase().replace(/\s+/g, "");
  if (q === "") return { score: 0, positions: [] };
  const t = text.toLowerCase();
  const bonus = (j: number) => 1 + (j === 0 || /[\s\-_:/.&(]/.test(t[j - 1]) ? 8 : 0);
  // best[i][j]: the best score with q[i] placed at t[j]; from[i][j]: where q[i - 1] went.
  const best: number[][] = [];
  const from: number[][] = [];
  for (let i = 0; i < q.length; i++) {
    best.push(new Array<number>(t.length).fill(-Infinity));
    from.push(new Array<number>(t.length).fill(-1));
    for (let j = i; j < t.length; j++) {
      if (t[j] !== q[i]) continue;
      if (i === 0) {
        best[i][j] = bonus(j) - j * 0.1;
        continue;
      }
      for (let k = i - 1; k < j; k++) {
        const score = best[i - 1][k] + bonus(j) + (k === j - 1 ? 5 : 0);
        if (score > best[i][j]) {
          best[i][j] = score;
          from[i][j] = k;
        }
      }
    }
  }
  const last = best[q.length - 1];
  let end = -1;
  for (let j = 0; j < t.length; j++) if (last[j] > -Infinity && (end === -1 || last[j] > last[end])) end = j;
  if (end === -1) return null;
  const positions = [end];
  for (let i = q.length - 1; i > 0; i--) positions.unshift(from[i][positions[0]]);
  return { score: last[end], positions };
}

/** The commands matching `query`, best first (all of them, alphabetically, for an empty query). */
export function rankCommands(commands: readonly Command[], query: string): Ranked[] {
  const out: Ranked[] = [];
  for (const command of commands) {
    const onLabel = fuzzyScore(query, command.label);
    const onName = fuzzyScore(query, command.name);
    if (onLabel && (!onName || onLabel.score >= onName.score)) out.push({ command, ...onLabel });
    else if (onName) out.push({ command, score: onName.score - 1, positions: [] });
  }
  return out.sort((a, b) => b.score - a.score || a.command.label.localeCompare(b.command.label));
}

/** The palette's state: the query, its results and the highlighted row. */
export class Palette {
  query = "";
  results: Ranked[];
  active = 0;

  constructor(private readonly commands: readonly Command[]) {
    this.results = rankCommands(commands, "");
  }

  search(query: string): void {
    this.query = query;
    this.results = rankCommands(this.commands, query);
    this.active = 0;
  }

  /** Moves the highlight (ArrowDown +1, ArrowUp -1, PageDown +10...), wrapping around at the ends. */
  move(delta: number): void {
    const n = this.results.length;
    if (n === 0) return;
    if (Math.abs(delta) === 1) this.active = (this.active + delta + n) % n;
    else this.active = Math.max(0, Math.min(n - 1, this.active + delta));
  }

  get chosen(): Command | null {
    return this.results[this.active]?.command ?? null;
  }
}
