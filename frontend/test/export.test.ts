import { describe, expect, it } from "vitest";
import { attachmentName } from "../src/pages/nb/export";

describe("attachmentName", () => {
  it("reads the RFC 5987 name the server sends", () => {
    expect(attachmentName("attachment; filename*=utf-8''Report%20One.html", "x")).toBe("Report One.html");
  });
  it("reads a plain filename", () => {
    expect(attachmentName('attachment; filename="a.py"', "x")).toBe("a.py");
  });
  it("falls back without a header", () => {
    expect(attachmentName(null, "nb.ipynb")).toBe("nb.ipynb");
  });
});
