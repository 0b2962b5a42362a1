import { describe, expect, it } from "vitest";
import { clipHead, clipTail, clipText, countNewlines, DEFAULT_STREAM_LIMITS, isHuge, lineCount, type StreamLimits } from "../src/model/clip";
import { appendStreamAt } from "../src/model/text";

const small: StreamLimits = { maxLines: 50, maxChars: 10_000, headLines: 3, tailLines: 4, partChars: 1000 };

function numbered(n: number): string {
  return Array.from({ length: n }, (_, i) => `${i}\n`).join("");
}

describe("countNewlines and lineCount", () => {
  it("count the lines of a growing text from its added parts", () => {
    let text = "";
    let newlines = 0;
    for (const chunk of ["a\nb", "c\n", "d\ne\nf", "\n"]) {
      const { text: next, added } = appendStreamAt(text, chunk);
      text = next;
      newlines += countNewlines(added);
      expect(lineCount(newlines, text.length, text.endsWith("\n"))).toBe(text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
    }
    expect(lineCount(newlines, text.length, true)).toBe(5);
    expect(lineCount(0, 0, false)).toBe(0);
  });
});

describe("clipHead and clipTail", () => {
  it("take whole lines from either end", () => {
    const text = numbered(1000);
    expect(clipHead(text, small)).toBe("0\n1\n2\n");
    expect(clipTail(text, small)).toBe("996\n997\n998\n999\n");
    expect(clipTail("a\nb", small)).toBe("a\nb");
  });
});

describe("clipText", () => {
  it("keeps the head and tail lines and counts what is hidden", () => {
    const text = numbered(1000);
    expect(isHuge(1000, text.length, small)).toBe(true);
    const clipped = clipText(text, 1000, small);
    expect(clipped.head).toBe("0\n1\n2\n");
    expect(clipped.tail).toBe("996\n997\n998\n999\n");
    expect(clipped.hiddenLines).toBe(993);
    expect(clipped.head.length + clipped.hiddenChars + clipped.tail.length).toBe(text.length);
  });

  it("shows an unfinished last line in the tail", () => {
    const text = `${numbered(100)}partial`;
    const clipped = clipText(text, 101, small);
    expect(clipped.tail).toBe("97\n98\n99\npartial");
    expect(clipped.hiddenLines).toBe(94);
  });

  it("bounds head and tail by characters when lines are huge", () => {
    const line = "x".repeat(5000);
    const text = `${line}\n${line}\n${line}\n`;
    expect(isHuge(3, text.length, { ...small, maxChars: 10_000 })).toBe(true);
    const clipped = clipText(text, 3, small);
    expect(clipped.head.length).toBe(1000);
    expect(clipped.tail.length).toBe(1000);
    expect(clipped.hiddenChars).toBe(text.length - 2000);
  });

  it("leaves small outputs alone by default", () => {
    const text = numbered(5000);
    expect(isHuge(5000, text.length, DEFAULT_STREAM_LIMITS)).toBe(false);
    expect(isHuge(5001, text.length, DEFAULT_STREAM_LIMITS)).toBe(true);
    expect(isHuge(10, 1_000_001, DEFAULT_STREAM_LIMITS)).toBe(true);
  });
});
