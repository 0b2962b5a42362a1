import { describe, expect, it } from "vitest";
import { toCodePoints, toUtf16 } from "../src/kernel/offsets";

// What Python (the kernel) counts: one per code point.
const points = (s: string) => Array.from(s).length;

describe("UTF-16 offsets <-> code point offsets (the protocol's cursor_pos)", () => {
  it("is the identity for text without astral characters", () => {
    const text = "print('héllo')";
    for (let i = 0; i <= text.length; i++) {
      expect(toCodePoints(text, i)).toBe(i);
      expect(toUtf16(text, i)).toBe(i);
    }
  });

  it("counts an emoji as one code point and two UTF-16 units", () => {
    const text = "x = '😀'; pri";
    expect(text.length).toBe(13);
    expect(toCodePoints(text, text.length)).toBe(12);
    expect(toCodePoints(text, 5)).toBe(5); // before the emoji
    expect(toCodePoints(text, 7)).toBe(6); // after it
    expect(toUtf16(text, 12)).toBe(13);
    expect(toUtf16(text, 9)).toBe(10); // where "pri" starts, as the kernel's cursor_start says
  });

  it("round-trips every boundary of astral characters from several planes", () => {
    const text = "a😀b𝔘c🇫🇷d𠀋\n💡e";
    for (let i = 0; i <= text.length; i++) {
      const low = i > 0 && /[\uDC00-\uDFFF]/.test(text[i]) && /[\uD800-\uDBFF]/.test(text[i - 1]);
      if (low) continue; // the middle of a pair is no boundary
      const cp = toCodePoints(text, i);
      expect(cp).toBe(points(text.slice(0, i)));
      expect(toUtf16(text, cp)).toBe(i);
    }
    expect(toCodePoints(text, text.length)).toBe(points(text));
  });

  it("leaves combining marks as the code points they are", () => {
    const text = "e\u0301t\u00e9 = 1; \u00e9t"; // "étè" decomposed and composed
    expect(toCodePoints(text, text.length)).toBe(text.length);
    const mixed = "😀e\u0301x";
    expect(toCodePoints(mixed, mixed.length)).toBe(4);
    expect(toUtf16(mixed, 3)).toBe(4);
  });

  it("counts a pair an offset falls inside of, and clamps offsets outside the text", () => {
    const text = "😀x";
    expect(toCodePoints(text, 1)).toBe(1);
    expect(toCodePoints(text, 99)).toBe(2);
    expect(toCodePoints(text, -1)).toBe(0);
    expect(toUtf16(text, 99)).toBe(3);
    expect(toUtf16("abc", 99)).toBe(3);
  });

  it("counts a lone surrogate as one code point, as Python does", () => {
    const text = "a\uD83Db\uDE00c";
    expect(toCodePoints(text, text.length)).toBe(5);
    expect(toUtf16(text, 2)).toBe(2);
  });
});
