import { describe, expect, it } from "vitest";
import { appendStream, applyControlChars } from "../src/model/text";

describe("stream control characters", () => {
  it("overwrites a line after a carriage return", () => {
    expect(applyControlChars("abc\rd")).toBe("dbc");
    expect(applyControlChars("10%\r20%\r30%\n")).toBe("30%\n");
  });

  it("treats CRLF as a plain newline", () => {
    expect(applyControlChars("a\r\nb")).toBe("a\nb");
  });

  it("erases with backspace, never across lines", () => {
    expect(applyControlChars("abc\b\bd")).toBe("ad");
    expect(applyControlChars("a\n\bb")).toBe("a\nb");
  });

  it("keeps a trailing carriage return so the next chunk overwrites", () => {
    const first = appendStream("", "loading 1\r");
    expect(first).toBe("loading 1\r");
    expect(appendStream(first, "loading 2\r")).toBe("loading 2\r");
    expect(appendStream(appendStream(first, "done     \n"), "next")).toBe("done     \nnext");
  });

  it("leaves earlier lines alone when appending", () => {
    expect(appendStream("x\ry\n", "z")).toBe("x\ry\nz");
  });
});
