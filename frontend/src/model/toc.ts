// The table of contents: the Markdown cells' headings, numbered as sections (1, 1.1, 1.2, 2),
// which section a scroll position is in, and which entries a collapsed heading hides. DOM-free.

import type { CellType } from "./types";

export interface Heading {
  /** 1 to 6, as h1 to h6. */
  level: number;
  /** The heading's text without Markdown markup. */
  text: string;
}

export interface TocEntry extends Heading {
  cellId: string;
  cellIndex: number;
  /** Which heading of its cell (the nth h1-h6 of the rendered cell). */
  nth: number;
  /** Nesting in the table (0 for the outermost), whatever levels were skipped. */
  depth: number;
  /** "1", "1.2", "2.1.3". */
  number: string;
  /** Unique in the table: the cell's id and nth. */
  key: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const HTML_HEADING = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi;
// Lines that cannot be a setext heading's text: blank, quotes, list items, tables' rules.
const NOT_PARAGRAPH = /^\s*$|^ {0,3}(>|[-*+] |\d+[.)] |#|<|\|)/;

/** The headings of one Markdown source, in order (none inside code fences). */
export function headingsOf(source: string): Heading[] {
  const headings: Heading[] = [];
  const lines = source.split(/\r?\n/);
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const open = FENCE.exec(line);
    if (fence) {
      if (open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = null;
      continue;
    }
    if (open) {
      fence = open[1];
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      headings.push({ level: atx[1].length, text: plainText(atx[2] ?? "") });
      continue;
    }
    const next = lines[i + 1];
    const setext = next === undefined ? null : SETEXT.exec(next);
    if (setext && !NOT_PARAGRAPH.test(line) && !(setext[1][0] === "-" && /^\s*$/.test(line))) {
      headings.push({ level: setext[1][0] === "=" ? 1 : 2, text: plainText(line) });
      i += 1;
      continue;
    }
    for (const match of line.matchAll(HTML_HEADING)) headings.push({ level: Number(match[1]), text: plainText(match[2]) });
  }
  return headings.filter((h) => h.text !== "");
}

/** Heading text as shown: emphasis, code marks, links and tags removed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_](?!\s)(.+?)[*_](?=[^\w*]|$)/g, "$1$2")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** The table of contents of these cells (only Markdown cells have headings). */
export function tableOfContents(cells: readonly { id: string; type: CellType; source: string }[]): TocEntry[] {
  const entries: TocEntry[] = [];
  // Levels of the open sections, outermost first; counters per depth.
  const open: number[] = [];
  const counters: number[] = [];
  cells.forEach((cell, cellIndex) => {
    if (cell.type !== "markdown") return;
    headingsOf(cell.source).forEach((heading, nth) => {
      while (open.length && open[open.length - 1] >= heading.level) open.pop();
      const depth = open.length;
      open.push(heading.level);
      counters.length = depth + 1;
      counters[depth] = (counters[depth] ?? 0) + 1;
      entries.push({ ...heading, cellId: cell.id, cellIndex, nth, depth, number: counters.join("."), key: `${cell.id}:${nth}` });
    });
  });
  return entries;
}

/**
 * The entry whose section a reader is in: the last one whose heading is at or above `line`
 * (tops are the headings' positions, in the same order). Above the first heading, the first
 * one if it shows (above `bottom`, the screen's end), else -1.
 */
export function currentEntry(tops: readonly number[], line: number, bottom = Infinity): number {
  let current = -1;
  for (let i = 0; i < tops.length; i++) {
    if (tops[i] <= line) current = i;
  }
  return current === -1 && tops.length > 0 && tops[0] < bottom ? 0 : current;
}

/** Which entries show when the entries keyed in `collapsed` hide their subsections. */
export function visibleEntries(entries: readonly TocEntry[], collapsed: ReadonlySet<string>): TocEntry[] {
  const shown: TocEntry[] = [];
  let hidingBelow: number | null = null;
  for (const entry of entries) {
    if (hidingBelow !== null && entry.depth > hidingBelow) continue;
    hidingBelow = collapsed.has(entry.key) ? entry.depth : null;
    shown.push(entry);
  }
  return shown;
}

/** The entry to highlight for the current one: itself, or the folded heading it is under. */
export function shownKey(entries: readonly TocEntry[], collapsed: ReadonlySet<string>, key: string | null): string | null {
  const index = entries.findIndex((entry) => entry.key === key);
  if (index < 0) return null;
  const shown = new Set(visibleEntries(entries, collapsed));
  let depth = entries[index].depth + 1;
  for (let i = index; i >= 0; i--) {
    if (entries[i].depth >= depth) continue;
    depth = entries[i].depth;
    if (shown.has(entries[i])) return entries[i].key;
  }
  return null;
}

/** Whether an entry has subsections (so it can be collapsed). */
export function hasChildren(entries: readonly TocEntry[], index: number): boolean {
  return (entries[index + 1]?.depth ?? -1) > (entries[index]?.depth ?? 0);
}
