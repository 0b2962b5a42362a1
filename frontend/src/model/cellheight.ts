// A cell's height guessed from its model alone (no layout): how many cells fill the first
// screen, and the size an off-screen cell reserves until drawn, so the scrollbar and the
// cells that come near the screen are about right before anything is measured.

import { countNewlines, DEFAULT_STREAM_LIMITS, isHuge, lineCount } from "./clip";
import type { Output } from "./types";

/** What the guess needs of a cell: the Cell model has these. */
export interface SizedCell {
  type: string;
  source: string;
  outputs: { outputs: readonly Output[] };
}

// Pixels, as styles.css lays them out (13px monospace at 1.21429em; 14px editor lines).
export const LINE = 16;
const SOURCE_LINE = 17;
const CELL_CHROME = 30;
const OUTPUT_CHROME = 10;
const IMAGE = 300;
const CLIP_BAR = 30;

export function estimateOutputHeight(output: Output): number {
  switch (output.output_type) {
    case "stream": {
      const text = output.text;
      const lines = lineCount(countNewlines(text), text.length, text.endsWith("\n"));
      const { maxLines, headLines, tailLines } = DEFAULT_STREAM_LIMITS;
      const shown = isHuge(lines, text.length, DEFAULT_STREAM_LIMITS) ? headLines + tailLines : Math.min(lines, maxLines);
      return OUTPUT_CHROME + shown * LINE + (shown < lines ? CLIP_BAR : 0);
    }
    case "error":
      return OUTPUT_CHROME + (output.traceback.length || 1) * LINE * 2;
    default: {
      const data = output.data;
      if (Object.keys(data).some((mime) => mime.startsWith("image/"))) return OUTPUT_CHROME + IMAGE;
      if ("text/html" in data) return OUTPUT_CHROME + 10 * LINE;
      const plain = data["text/plain"];
      const text = typeof plain === "string" ? plain : Array.isArray(plain) ? plain.join("") : "";
      return OUTPUT_CHROME + (countNewlines(text) + 1) * LINE;
    }
  }
}

export function estimateCellHeight(cell: SizedCell): number {
  const sourceLines = countNewlines(cell.source) + 1;
  let height = CELL_CHROME + sourceLines * SOURCE_LINE;
  if (cell.type === "code") for (const output of cell.outputs.outputs) height += estimateOutputHeight(output);
  return Math.round(height);
}

/** How many of the first cells fill `screen` px (at least one): drawn at once, the rest later. */
export function cellsFilling(cells: readonly SizedCell[], screen: number, atMost: number): number {
  let height = 0;
  let n = 0;
  while (n < cells.length && n < atMost && height < screen) {
    height += estimateCellHeight(cells[n]);
    n += 1;
  }
  return Math.max(1, n);
}
