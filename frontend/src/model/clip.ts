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

/** Counts the newlines of a growing text, reading only what was added since the last call. */
export class LineCounter {
  private scanned = 0;
  private newlines = 0;

  /** The number of lines of `text`; `from` is where it changed since the last call. */
  update(text: string, from = 0): number {
    // Text changed before the counted part (a rewrite): count again from the start.
    if (from < this.scanned || text.length < this.scanned) {
      this.scanned = 0;
      this.newlines = 0;
    }
    let at = text.indexOf("\n", this.scanned);
    while (at !== -1) {
      this.newlines += 1;
      this.scanned = at + 1;
      at = text.indexOf("\n", at + 1);
    }
    return this.lines(text);
  }

  private lines(text: string): number {
    return this.newlines + (text.length > this.scanned ? 1 : 0);
  }
}

export interface Clipped {
  head: string;
  tail: string;
  hiddenLines: number;
  hiddenChars: number;
}

/** Whether a text of this size is shown clipped. */
export function isHuge(lines: number, chars: number, limits: StreamLimits): boolean {
  return lines > limits.maxLines || chars > limits.maxChars;
}

/** The first headLines and last tailLines lines of `text` (each within partChars). */
export function clipText(text: string, lines: number, limits: StreamLimits): Clipped {
  let headEnd = 0;
  for (let i = 0; i < limits.headLines && headEnd < text.length; i++) {
    const next = text.indexOf("\n", headEnd);
    headEnd = next === -1 ? text.length : next + 1;
  }
  headEnd = Math.min(headEnd, limits.partChars);
  // The tail ends at the end of the text; a final newline does not count as a line.
  let scan = text.endsWith("\n") ? text.length - 1 : text.length;
  let tailStart = text.length;
  for (let i = 0; i < limits.tailLines && scan > headEnd; i++) {
    const previous = text.lastIndexOf("\n", scan - 1);
    tailStart = Math.max(previous + 1, headEnd);
    scan = previous;
  }
  tailStart = Math.max(tailStart, text.length - limits.partChars, headEnd);
  const head = text.slice(0, headEnd);
  const tail = text.slice(tailStart);
  const hidden = text.slice(headEnd, tailStart);
  let hiddenLines = 0;
  // Counted from the total, so the (possibly megabytes of) hidden text is not read again.
  const tailLines = countLines(tail) + (tail && !tail.endsWith("\n") ? 1 : 0);
  if (hidden.length) hiddenLines = Math.max(1, lines - countLines(head) - tailLines);
  return { head, tail, hiddenLines, hiddenChars: hidden.length };
}

function countLines(part: string): number {
  let n = 0;
  let at = part.indexOf("\n");
  while (at !== -1) {
    n += 1;
    at = part.indexOf("\n", at + 1);
  }
  return n;
}
