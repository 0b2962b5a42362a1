// Jupyter's keyboard shortcuts as data: key chords -> action names, with two-key sequences.

export interface Chord {
  key: string;
  shift?: boolean;
  ctrl?: boolean;
  alt?: boolean;
  meta?: boolean;
}

export const COMMAND_SHORTCUTS: Record<string, string> = {
  "Shift-Enter": "run-select-next",
  "Ctrl-Enter": "run",
  "Alt-Enter": "run-insert-below",
  Enter: "edit",
  a: "insert-above",
  b: "insert-below",
  "d,d": "delete",
  z: "undo-delete",
  m: "to-markdown",
  y: "to-code",
  r: "to-raw",
  "1": "heading-1",
  "2": "heading-2",
  "3": "heading-3",
  c: "copy",
  x: "cut",
  v: "paste-below",
  "Shift-V": "paste-above",
  "Shift-M": "merge",
  ArrowUp: "select-previous",
  ArrowDown: "select-next",
  k: "select-previous",
  j: "select-next",
  "Shift-ArrowUp": "extend-previous",
  "Shift-ArrowDown": "extend-next",
  "Shift-K": "extend-previous",
  "Shift-J": "extend-next",
  "Ctrl-s": "save",
  s: "save",
  "0,0": "restart",
  "i,i": "interrupt",
  h: "help",
  o: "toggle-output",
  "Shift-O": "toggle-scroll",
  l: "toggle-line-numbers",
  "Ctrl-Shift-Minus": "split",
  f: "find-replace",
  p: "command-palette",
  "Ctrl-Shift-p": "command-palette",
};

export const EDIT_SHORTCUTS: Record<string, string> = {
  "Shift-Enter": "run-select-next",
  "Ctrl-Enter": "run",
  "Alt-Enter": "run-insert-below",
  Escape: "command-mode",
  "Ctrl-m": "command-mode",
  "Ctrl-s": "save",
  "Ctrl-Shift-Minus": "split",
  "Shift-Tab": "inspect",
  "Ctrl-Shift-p": "command-palette",
};

/** A chord as the tables spell it: modifiers in a fixed order, then the key. */
export function chordName(chord: Chord): string {
  let key = chord.key === "-" || chord.key === "_" ? "Minus" : chord.key;
  if (key.length === 1 && (chord.ctrl || chord.meta)) key = key.toLowerCase();
  if (key.length === 1 && !chord.ctrl && !chord.meta && !chord.alt) {
    // Shift-j arrives as "J": spell it Shift-J; plain letters stay lower case.
    if (chord.shift && /[a-z]/i.test(key)) return `Shift-${key.toUpperCase()}`;
    return key.toLowerCase();
  }
  const mods = [chord.ctrl || chord.meta ? "Ctrl" : "", chord.alt ? "Alt" : "", chord.shift ? "Shift" : ""].filter(Boolean);
  if (key.length === 1 && /[a-z]/i.test(key)) key = key.toLowerCase();
  if (chord.shift && key.length === 1 && /[A-Z]/.test(key)) key = key.toLowerCase();
  return [...mods, key].join("-");
}

/**
 * Resolves key presses to actions, remembering the first key of a two-key sequence
 * (D D, 0 0, I I) for `timeoutMs`.
 */
export class KeySequencer {
  private pending: string | null = null;
  private pendingAt = 0;

  constructor(
    private table: Record<string, string>,
    private readonly timeoutMs = 800,
  ) {}

  /** Takes another table (the user edited the shortcuts); a half-typed sequence is dropped. */
  setTable(table: Record<string, string>): void {
    this.table = table;
    this.pending = null;
  }

  /** The action for this chord, or null; `now` is a clock reading in ms. */
  press(chord: Chord, now: number): string | null {
    const name = chordName(chord);
    if (this.pending !== null && now - this.pendingAt <= this.timeoutMs) {
      const action = this.table[`${this.pending},${name}`];
      this.pending = null;
      if (action) return action;
    }
    this.pending = null;
    const direct = this.table[name];
    if (direct) return direct;
    if (Object.keys(this.table).some((k) => k.startsWith(`${name},`))) {
      this.pending = name;
      this.pendingAt = now;
    }
    return null;
  }

  /** Whether a key is the first half of a sequence waiting for its second. */
  get waiting(): boolean {
    return this.pending !== null;
  }
}

/** Shortcut help: a readable list of the command-mode and edit-mode shortcuts. */
export function shortcutHelp(command: Record<string, string> = COMMAND_SHORTCUTS): { mode: string; keys: string; action: string }[] {
  const rows: { mode: string; keys: string; action: string }[] = [];
  for (const [keys, action] of Object.entries(command)) rows.push({ mode: "Command", keys: keys.replace(",", " "), action });
  for (const [keys, action] of Object.entries(EDIT_SHORTCUTS)) rows.push({ mode: "Edit", keys, action });
  return rows;
}

/**
 * A shortcut as a user writes it ("Shift-E", "ctrl-shift-e", "g,g") spelled as the
 * tables spell key presses, so it matches; null when it names no key.
 */
export function normalizeShortcut(keys: string): string | null {
  const parts = keys.split(",").map((chord) => chord.trim());
  const out: string[] = [];
  for (const part of parts) {
    // "Ctrl--" and "Ctrl-Minus" both mean the minus key.
    const tokens = part.endsWith("--") ? [...part.slice(0, -2).split("-"), "-"] : part.split("-");
    const key = tokens.pop();
    if (!key) return null;
    const mods = new Set(tokens.map((t) => t.toLowerCase()));
    const known = ["ctrl", "cmd", "meta", "alt", "shift"];
    if ([...mods].some((m) => !known.includes(m))) return null;
    const named = key.length === 1 ? (mods.has("shift") ? key.toUpperCase() : key) : key.charAt(0).toUpperCase() + key.slice(1);
    out.push(chordName({ key: named === "Esc" ? "Escape" : named, shift: mods.has("shift"), ctrl: mods.has("ctrl"), alt: mods.has("alt"), meta: mods.has("cmd") || mods.has("meta") }));
  }
  return out.join(",");
}

/** Binds `keys` to the action `name` in command or edit mode (an extension's shortcut);
 * the normalized keys, or null when they name no key. */
export function addShortcut(mode: "command" | "edit", keys: string, name: string): string | null {
  const normalized = normalizeShortcut(keys);
  if (normalized === null) return null;
  (mode === "edit" ? EDIT_SHORTCUTS : COMMAND_SHORTCUTS)[normalized] = name;
  return normalized;
}
