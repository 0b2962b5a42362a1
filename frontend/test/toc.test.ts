import { describe, expect, it } from "vitest";
import { currentEntry, hasChildren, headingsOf, plainText, shownKey, tableOfContents, visibleEntries } from "../src/model/toc";
import type { CellType } from "../src/model/types";

const md = (id: string, source: string) => ({ id, type: "markdown" as CellType, source });

describe("headings of a Markdown source", () => {
  it("finds ATX, setext and HTML headings, not those in code fences or code cells", () => {
    const source = ["# Title #", "text", "", "Setext one", "===", "", "Setext two", "---", "```python", "# a comment", "```", "~~~", "## nor this", "~~~", "<h3 class='x'>Raw <b>HTML</b></h3>", "####### seven is not", "#hashtag is not"].join("\n");
    expect(headingsOf(source)).toEqual([
      { level: 1, text: "Title" },
      { level: 1, text: "Setext one" },
      { level: 2, text: "Setext two" },
      { level: 3, text: "Raw HTML" },
    ]);
  });

  it("does not take a rule under a list item or a blank line for a heading", () => {
    expect(headingsOf("- item\n---\n\n---\ntext")).toEqual([]);
  });

  it("shows the text without Markdown marks", () => {
    expect(plainText("The **bold** and *it* `code` [link](http://x) ![img](a.png) snake_case_name")).toBe("The bold and it code link img snake_case_name");
  });
});

describe("the table of contents", () => {
  const cells = [
    md("a", "# Intro\n## Setup"),
    { id: "b", type: "code" as CellType, source: "# not a heading" },
    md("c", "### Deep (a skipped level)\n## Data"),
    md("d", "# Results"),
  ];

  it("numbers sections by nesting, whatever levels are skipped", () => {
    const toc = tableOfContents(cells);
    expect(toc.map((e) => [e.number, e.text, e.depth, e.cellIndex, e.nth])).toEqual([
      ["1", "Intro", 0, 0, 0],
      ["1.1", "Setup", 1, 0, 1],
      ["1.1.1", "Deep (a skipped level)", 2, 2, 0],
      ["1.2", "Data", 1, 2, 1],
      ["2", "Results", 0, 3, 0],
    ]);
    expect(new Set(toc.map((e) => e.key)).size).toBe(toc.length);
  });

  it("starts numbering at the outermost heading present (a notebook of h2s is 1, 2, 3)", () => {
    expect(tableOfContents([md("a", "## A\n## B\n### B1")]).map((e) => e.number)).toEqual(["1", "2", "2.1"]);
  });

  it("hides the subsections of folded headings", () => {
    const toc = tableOfContents(cells);
    expect(hasChildren(toc, 0)).toBe(true);
    expect(hasChildren(toc, 3)).toBe(false);
    expect(visibleEntries(toc, new Set(["a:0"])).map((e) => e.text)).toEqual(["Intro", "Results"]);
    expect(visibleEntries(toc, new Set(["a:1"])).map((e) => e.text)).toEqual(["Intro", "Setup", "Data", "Results"]);
  });

  it("highlights the folded heading a hidden current section is under", () => {
    const toc = tableOfContents(cells);
    expect(shownKey(toc, new Set(), "c:0")).toBe("c:0");
    expect(shownKey(toc, new Set(["a:1"]), "c:0")).toBe("a:1");
    expect(shownKey(toc, new Set(["a:0", "a:1"]), "c:0")).toBe("a:0");
    expect(shownKey(toc, new Set(["a:0"]), "d:0")).toBe("d:0");
    expect(shownKey(toc, new Set(), "zz:0")).toBeNull();
  });

  it("says which section a reading line is in (the first one while it shows above it)", () => {
    expect(currentEntry([100, 300, 900], 50)).toBe(0);
    expect(currentEntry([100, 300, 900], 50, 800)).toBe(0);
    expect(currentEntry([1000, 1300], 50, 800)).toBe(-1);
    expect(currentEntry([], 50)).toBe(-1);
    expect(currentEntry([100, 300, 900], 100)).toBe(0);
    expect(currentEntry([-500, 300, 900], 310)).toBe(1);
    expect(currentEntry([-900, -500, -20], 80)).toBe(2);
  });
});
