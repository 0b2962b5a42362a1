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

  it("leaves paths leaving the home folder to the server, which refuses them with its reason", () => {
    expect(notebookPath("../outside")).toEqual({ path: "../outside.ipynb" });
  });
});
