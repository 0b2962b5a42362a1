// Find and replace over cell sources (Edit > Find and Replace, F): the search, the match list
// the preview shows, and the replacement; DOM-free.

import { t } from "../i18n";

export interface FindQuery {
  find: string;
  regex: boolean;
  caseSensitive: boolean;
}

/** A source to search: anything with a text (cells, in the page). */
export interface Searchable {
  source: string;
}

export interface Match<T extends Searchable = Searchable> {
  target: T;
  /** Index of the target in the list searched. */
  index: number;
  start: number;
  end: number;
  /** 1-based line of the match, and that line's text with the match's offsets in it. */
  line: number;
  lineText: string;
  lineStart: number;
  lineEnd: number;
  /** The RegExp's match, for expanding the replacement ($1...) in the preview. */
  raw: RegExpMatchArray;
}

export type Compiled = { ok: true; pattern: RegExp | null } | { ok: false; error: string };

/** The query as a global RegExp; null when there is nothing to find; an error for a bad regex. */
export function compileQuery(query: FindQuery): Compiled {
  if (query.find === "") return { ok: true, pattern: null };
  const source = query.regex ? query.find : query.find.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  // "m": ^ and $ are line starts and ends, as in an editor's search.
  const flags = query.caseSensitive ? "gm" : "gim";
  try {
    return { ok: true, pattern: new RegExp(source, flags) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, "") : String(error);
    return { ok: false, error: t("The regular expression does not compile: {reason}", { reason }) };
  }
}

/**
 * Every non-empty match of the pattern in the targets, in order. Empty matches (a* on "b")
 * are left out: they have nothing to show in the preview, and replacing them would insert text
 * the preview never announced.
 */
export function findMatches<T extends Searchable>(targets: readonly T[], pattern: RegExp, limit = Infinity): Match<T>[] {
  const out: Match<T>[] = [];
  targets.forEach((target, index) => {
    const text = target.source;
    pattern.lastIndex = 0;
    for (const m of text.matchAll(pattern)) {
      if (out.length >= limit) return;
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (end === start) continue;
      const lineFrom = text.lastIndexOf("\n", start - 1) + 1;
      const nl = text.indexOf("\n", lineFrom);
      const lineTo = nl === -1 ? text.length : nl;
      const line = text.slice(0, lineFrom).split("\n").length;
      out.push({ target, index, start, end, line, lineText: text.slice(lineFrom, lineTo), lineStart: start - lineFrom, lineEnd: Math.min(end, lineTo) - lineFrom, raw: m });
    }
  });
  return out;
}

/**
 * The replacement for one match: with a regex, $& $1 $<name> $$ $` $' as in
 * String.prototype.replace; literal otherwise.
 */
export function expandReplacement(replacement: string, match: RegExpMatchArray, regex: boolean): string {
  if (!regex) return replacement;
  const text = match.input ?? "";
  const at = match.index ?? 0;
  return replacement.replace(/\$(\$|&|`|'|<([^>]*)>|(\d{1,2}))/g, (whole, what: string, name: string | undefined, digits: string | undefined) => {
    if (what === "$") return "$";
    if (what === "&") return match[0];
    if (what === "`") return text.slice(0, at);
    if (what === "'") return text.slice(at + match[0].length);
    if (name !== undefined) return match.groups ? (match.groups[name] ?? "") : whole;
    if (digits !== undefined) {
      // $12 is group 12 when there is one, else group 1 followed by "2".
      const n = Number(digits);
      if (digits.length === 2 && n < match.length && n > 0) return match[n] ?? "";
      const one = Number(digits[0]);
      if (one > 0 && one < match.length) return (match[one] ?? "") + digits.slice(1);
    }
    return whole;
  });
}

/** A text with every non-empty match replaced, and how many there were. */
export function replaceIn(text: string, pattern: RegExp, replacement: string, regex: boolean): { text: string; count: number } {
  let out = "";
  let last = 0;
  let count = 0;
  pattern.lastIndex = 0;
  for (const m of text.matchAll(pattern)) {
    const start = m.index ?? 0;
    if (m[0].length === 0) continue;
    out += text.slice(last, start) + expandReplacement(replacement, m, regex);
    last = start + m[0].length;
    count += 1;
  }
  return { text: out + text.slice(last), count };
}

export interface SourceEdit<T extends Searchable = Searchable> {
  target: T;
  before: string;
  after: string;
}

export type Planned<T extends Searchable> = { ok: true; edits: SourceEdit<T>[]; count: number } | { ok: false; error: string };

/** The new sources replace-all would give, changing nothing yet (the page applies them as one step). */
export function planReplaceAll<T extends Searchable>(targets: readonly T[], query: FindQuery, replacement: string): Planned<T> {
  const compiled = compileQuery(query);
  if (!compiled.ok) return compiled;
  if (!compiled.pattern) return { ok: false, error: t("Type the text to find.") };
  const edits: SourceEdit<T>[] = [];
  let count = 0;
  for (const target of targets) {
    const result = replaceIn(target.source, compiled.pattern, replacement, query.regex);
    if (result.count === 0 || result.text === target.source) continue;
    edits.push({ target, before: target.source, after: result.text });
    count += result.count;
  }
  if (edits.length === 0) return { ok: false, error: t("Nothing to replace: no match.") };
  return { ok: true, edits, count };
}

/** What the dialog says about the matches: "3 matches in 2 cells". */
export function matchSummary(matches: readonly Match[]): string {
  return countSummary(matches.length, new Set(matches.map((m) => m.index)).size);
}

export function countSummary(count: number, cells: number): string {
  if (count === 0) return t("No match");
  if (count === 1) return t("1 match in 1 cell");
  return cells === 1 ? t("{count} matches in 1 cell", { count }) : t("{count} matches in {cells} cells", { count, cells });
}
