import { describe, expect, it } from "vitest";
import { LineIndex, lineWindow } from "../src/model/lineindex";

function indexed(text: string, budget = Infinity): LineIndex {
  const index = new LineIndex();
  while (!index.extend(text, budget));
  return index;
}

describe("LineIndex", () => {
  it("counts lines with and without a final newline", () => {
    expect(indexed("").lines(0)).toBe(0);
    expect(indexed("a\nb\n").lines(4)).toBe(2);
    expect(indexed("a\nb").lines(3)).toBe(2);
    expect(indexed("\n\n").lines(2)).toBe(2);
  });

  it("finds the same lines in small steps as in one", () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join("");
    const stepped = indexed(text, 7);
    expect(stepped.lines(text.length)).toBe(5000);
    expect(stepped.slice(text, 4998, 2)).toBe("line 4998\nline 4999\n");
    expect(stepped.slice(text, 0, 1)).toBe("line 0\n");
  });

  it("says how far it got while scanning, and finishes", () => {
    const text = "a\nb\nc\nd";
    const index = new LineIndex();
    expect(index.extend(text, 2)).toBe(false);
    expect(index.lines(text.length)).toBe(2);
    expect(index.extend(text)).toBe(true);
    expect(index.lines(text.length)).toBe(4);
    expect(index.slice(text, 3, 1)).toBe("d");
  });

  it("re-scans a text changed after an offset", () => {
    const index = indexed("one\ntwo\nthr");
    const text = "one\ntwo\nthree\nfour\n";
    index.truncate(8);
    index.extend(text);
    expect(index.lines(text.length)).toBe(4);
    expect(index.slice(text, 2, 2)).toBe("three\nfour\n");
  });
});

describe("lineWindow", () => {
  it("draws the lines in view with some above and below", () => {
    const w = lineWindow(1000, 200, 1000, 10, 5);
    expect(w).toEqual({ first: 95, count: 30, top: 950, height: 10_000 });
  });

  it("stops at the ends", () => {
    expect(lineWindow(0, 200, 1000, 10, 5).first).toBe(0);
    const end = lineWindow(9800, 200, 1000, 10, 5);
    expect(end.first + end.count).toBe(1000);
  });

  it("scales a text taller than the browser allows, reaching the last line", () => {
    const lines = 3_000_000;
    const top = lineWindow(0, 300, lines, 16, 10, 1_000_000);
    expect(top.first).toBe(0);
    expect(top.height).toBe(1_000_000);
    const end = lineWindow(1_000_000 - 300, 300, lines, 16, 10, 1_000_000);
    expect(end.first + end.count).toBe(lines);
    expect(end.top + end.count * 16).toBeLessThanOrEqual(1_000_000);
  });
});
