// Head and tail of a huge stream output: what is shown while the full text stays in the model.

export interface StreamLimits {
  /** Past this many lines (or maxChars characters) only the head and tail are shown. */
  maxLines: number;
  maxChars: number;
  headLines: number;
  tailLines: number;
  /** A head or tail never holds more than this, even when its lines are very long. */
  partChars: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { maxLines: 5000, maxChars: 1_000_000, headLines: 100, tailLines: 200, partChars: 50_000 };

export function countNewlines(text: string): number {
  let n = 0;
  let at = text.indexOf("\n");
  while (at !== -1) {
    n += 1;
    at = text.indexOf("\n", at + 1);
  }
  return n;
}

/** The number of lines of a text of this length with this many newlines. */
export function lineCount(newlines: number, length: number, endsWithNewline: boolean): number {
  return length === 0 ? 0 : newlines + (endsWithNewline ? 0 : 1);
}

/** Whether a text of this size is shown clipped. */
export function isHuge(lines: number, chars: number, limits: StreamLimits): boolean {
  return lines > limits.maxLines || chars > limits.maxChars;
}

/** The first headLines lines of `text`, within partChars. */
export function clipHead(text: string, limits: StreamLimits): string {
  let end = 0;
  for (let i = 0; i < limits.headLines && end < text.length; i++) {
    const next = text.indexOf("\n", end);
    end = next === -1 ? text.length : next + 1;
  }
  return text.slice(0, Math.min(end, limits.partChars));
}

/** The last tailLines lines of `text` (an unfinished last line included), within partChars. */
export function clipTail(text: string, limits: StreamLimits): string {
  // A final newline ends the last line; it does not start another.
  let scan = text.endsWith("\n") ? text.length - 1 : text.length;
  let start = text.length;
  for (let i = 0; i < limits.tailLines && scan > 0; i++) {
    const previous = text.lastIndexOf("\n", scan - 1);
    start = previous + 1;
    scan = previous;
  }
  return text.slice(Math.max(start, text.length - limits.partChars));
}

export interface Clipped {
  head: string;
  tail: string;
  hiddenLines: number;
  hiddenChars: number;
}

/** Head and tail of a whole text with `lines` lines (they never overlap). */
export function clipText(text: string, lines: number, limits: StreamLimits): Clipped {
  const head = clipHead(text, limits);
  const tail = clipTail(text.slice(head.length), limits);
  return describeClip(head, tail, lines, text.length);
}

/** What is hidden between a head and a tail of a text of `lines` lines and `length` characters. */
export function describeClip(head: string, tail: string, lines: number, length: number): Clipped {
  const hiddenChars = length - head.length - tail.length;
  // Counted from the totals, so the (possibly megabytes of) hidden text is not read.
  const shown = countNewlines(head) + lineCount(countNewlines(tail), tail.length, tail.endsWith("\n"));
  return { head, tail, hiddenLines: hiddenChars > 0 ? Math.max(1, lines - shown) : 0, hiddenChars };
}
