// Where each line of a long text starts, found in bounded steps, and which lines a scrolled
// window shows: the DOM-free part of a virtualised output (only the lines in view are drawn).

export class LineIndex {
  // starts[i]: the offset of line i; the first `known` entries are valid.
  private starts = new Float64Array(1024);
  private known = 1;
  // The text is scanned for newlines up to here.
  private scanned = 0;

  /** Scans at most `budget` more newlines of `text`; true once the whole text is scanned. */
  extend(text: string, budget = Infinity): boolean {
    let found = 0;
    while (found < budget) {
      const at = text.indexOf("\n", this.scanned);
      if (at === -1) {
        this.scanned = text.length;
        return true;
      }
      this.push(at + 1);
      this.scanned = at + 1;
      found += 1;
    }
    return this.scanned >= text.length && text.indexOf("\n", this.scanned) === -1;
  }

  /** The text changed from `offset` on: forgets what was found after it. */
  truncate(offset: number): void {
    while (this.known > 1 && this.starts[this.known - 1] > offset) this.known -= 1;
    this.scanned = Math.min(this.scanned, this.starts[this.known - 1]);
  }

  /** Lines found so far in a text of `length` (whole lines, plus an unfinished last one). */
  lines(length: number): number {
    if (length === 0) return 0;
    const last = this.starts[this.known - 1];
    // A text ending in a newline has no line after it; an unfinished last line counts once scanned.
    return last < length && this.scanned >= length ? this.known : this.known - 1;
  }

  start(line: number): number {
    return this.starts[Math.min(line, this.known - 1)];
  }

  /** Lines first..first+count-1 of `text`, each with its newline. */
  slice(text: string, first: number, count: number): string {
    const end = first + count < this.known ? this.starts[first + count] : text.length;
    return text.slice(this.start(first), end);
  }

  private push(offset: number): void {
    if (this.known === this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.known] = offset;
    this.known += 1;
  }
}

export interface LineWindow {
  /** The first line drawn, how many, and where (px from the top of the scrolled content). */
  first: number;
  count: number;
  top: number;
  /** The height of the scrolled content (the spacer). */
  height: number;
}

// Browsers cap an element's height (Chromium near 33.5 million px): past this, a pixel of
// scroll stands for more than a line.
export const MAX_SCROLL_HEIGHT = 15_000_000;

/** The lines to draw for a viewport `viewport` px high scrolled to `scrollTop`. */
export function lineWindow(scrollTop: number, viewport: number, lines: number, lineHeight: number, overscan = 30, maxHeight = MAX_SCROLL_HEIGHT): LineWindow {
  const full = lines * lineHeight;
  const visible = Math.ceil(viewport / lineHeight);
  if (full <= maxHeight) {
    const first = Math.max(0, Math.min(lines, Math.floor(scrollTop / lineHeight)) - overscan);
    const count = Math.max(0, Math.min(lines - first, visible + 2 * overscan));
    return { first, count, top: first * lineHeight, height: full };
  }
  // Scaled: the scroll fraction picks the line shown at the top of the viewport, drawn there.
  const range = Math.max(1, maxHeight - viewport);
  const fraction = Math.max(0, Math.min(1, scrollTop / range));
  const first = Math.round(fraction * Math.max(0, lines - visible));
  const count = Math.min(lines - first, visible + overscan);
  return { first, count, top: Math.min(scrollTop, maxHeight - count * lineHeight), height: maxHeight };
}
