import { describe, expect, it } from "vitest";
import { notebookPath } from "../src/model/savepath";

describe("Save as path", () => {
  it("adds .ipynb and drops leading, doubled and trailing slashes", () => {
    expect(notebookPath("analysis")).toEqual({ path: "analysis.ipynb" });
    expect(notebookPath(" /sub//dir/./b.ipynb ")).toEqual({ path: "sub/dir/b.ipynb" });
    expect(notebookPath("a.v2")).toEqual({ path: "a.v2.ipynb" });
  });

  it("refuses what names no notebook", () => {
    for (const junk of ["", "   ", "/", "dir/", ".ipynb", ".."]) expect(notebookPath(junk)).toHaveProperty("error");
  });

  it("refuses paths above the home folder (a browser would resolve them away in the URL)", () => {
    expect(notebookPath("../outside")).toEqual({ error: expect.stringContaining("above the home folder") });
    expect(notebookPath("a/../../b")).toHaveProperty("error");
  });
});
