// Cursor positions cross a unit boundary here. The messaging protocol (5.2+) counts them in
// Unicode code points, as Python indexes strings; JavaScript and CodeMirror count UTF-16
// code units, where a character outside the Basic Multilingual Plane (most emoji) takes two.
// Combining marks are code points of their own in both, so they need nothing.

/** An offset in code points, the protocol's unit (complete_request, inspect_request). */
export type CodePoints = number & { readonly __unit: "code points" };

const SURROGATE = /[\uD800-\uDFFF]/;

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** The code point offset of UTF-16 offset `utf16` in `text` (clamped to the text). */
export function toCodePoints(text: string, utf16: number): CodePoints {
  const end = Math.max(0, Math.min(utf16, text.length));
  if (!SURROGATE.test(text)) return end as CodePoints;
  let points = 0;
  for (let i = 0; i < end; i++) {
    // The low half of a pair belongs to the point its high half started; a lone one counts
    // as a point, as Python counts a lone surrogate.
    if (!(isLow(text.charCodeAt(i)) && i > 0 && isHigh(text.charCodeAt(i - 1)))) points++;
  }
  return points as CodePoints;
}

/** The UTF-16 offset of code point offset `points` in `text` (clamped to the text). */
export function toUtf16(text: string, points: number): number {
  if (!SURROGATE.test(text)) return Math.max(0, Math.min(points, text.length));
  let i = 0;
  for (let p = 0; p < points && i < text.length; p++) {
    i += isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}
