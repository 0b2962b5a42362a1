import { describe, expect, it } from "vitest";
import { compileQuery, expandReplacement, findMatches, matchSummary, planReplaceAll, replaceIn } from "../src/model/findreplace";
import { Notebook } from "../src/model/notebook";
import type { NbDocument } from "../src/model/types";

const q = (find: string, opts: { regex?: boolean; caseSensitive?: boolean } = {}) => ({ find, regex: false, caseSensitive: false, ...opts });

function pattern(find: string, opts: { regex?: boolean; caseSensitive?: boolean } = {}): RegExp {
  const compiled = compileQuery(q(find, opts));
  if (!compiled.ok || !compiled.pattern) throw new Error("no pattern");
  return compiled.pattern;
}

function notebook(...sources: string[]): Notebook {
  const doc: NbDocument = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: sources.map((source, i) => ({ id: `c${i}`, cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
  };
  return Notebook.fromJSON(doc);
}

describe("compileQuery", () => {
  it("escapes plain text, so regex characters are found as typed", () => {
    const re = pattern("a.b(1)");
    expect("xa.b(1)".match(re)?.[0]).toBe("a.b(1)");
    expect("aXb(1)".match(re)).toBeNull();
  });

  it("ignores case unless asked", () => {
    expect("Foo foo".match(pattern("foo"))).toEqual(["Foo", "foo"]);
    expect("Foo foo".match(pattern("foo", { caseSensitive: true }))).toEqual(["foo"]);
  });

  it("says why a regex does not compile", () => {
    const compiled = compileQuery(q("(unclosed", { regex: true }));
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.error).toMatch(/^The regular expression does not compile: .*unclosed|group/i);
  });

  it("has no pattern for an empty query", () => {
    expect(compileQuery(q(""))).toEqual({ ok: true, pattern: null });
  });
});

describe("findMatches", () => {
  it("lists matches in cell order with their line and column", () => {
    const cells = [{ source: "x = 1\ny = x + x" }, { source: "nothing" }, { source: "x" }];
    const matches = findMatches(cells, pattern("x"));
    expect(matches.map((m) => [m.index, m.line, m.lineStart])).toEqual([
      [0, 1, 0],
      [0, 2, 4],
      [0, 2, 8],
      [2, 1, 0],
    ]);
    expect(matches[1].lineText).toBe("y = x + x");
    expect(matchSummary(matches)).toBe("4 matches in 2 cells");
    expect(matchSummary(matches.slice(0, 1))).toBe("1 match in 1 cell");
    expect(matchSummary([])).toBe("No match");
  });

  it("leaves out empty matches and anchors ^ at every line", () => {
    const cells = [{ source: "ab\ncd" }];
    expect(findMatches(cells, pattern("x*", { regex: true }))).toEqual([]);
    expect(findMatches(cells, pattern("^.", { regex: true })).map((m) => m.line)).toEqual([1, 2]);
  });

  it("stops at the limit", () => {
    expect(findMatches([{ source: "aaaa" }], pattern("a"), 2)).toHaveLength(2);
  });
});

describe("replacement", () => {
  it("expands $1, $<name>, $& and $$ for a regex, and nothing for plain text", () => {
    const m = "key=value".match(/(?<k>\w+)=(\w+)/) as RegExpMatchArray;
    expect(expandReplacement("$2:$<k> [$&] $$1", m, true)).toBe("value:key [key=value] $1");
    expect(expandReplacement("$1", m, false)).toBe("$1");
    expect(expandReplacement("$12", m, true)).toBe("key2");
  });

  it("replaces every match in a text, as String.replace would", () => {
    const re = pattern("(\\w+)@(\\w+)", { regex: true });
    const text = "a@b and c@d";
    expect(replaceIn(text, re, "$2@$1", true)).toEqual({ text: text.replace(re, "$2@$1"), count: 2 });
    expect(replaceIn("price: $5", pattern("$5"), "$6", false)).toEqual({ text: "price: $6", count: 1 });
  });
});

describe("planReplaceAll and undo", () => {
  it("plans new sources without changing the cells", () => {
    const nb = notebook("old = 1", "print(old)", "new");
    const plan = planReplaceAll(nb.cells, q("old"), "fresh");
    expect(plan.ok && plan.count).toBe(2);
    expect(plan.ok && plan.edits.map((e) => e.after)).toEqual(["fresh = 1", "print(fresh)"]);
    expect(nb.cells[0].source).toBe("old = 1");
  });

  it("refuses a bad regex, an empty query and no match", () => {
    const nb = notebook("x");
    const bad = planReplaceAll(nb.cells, q("[", { regex: true }), "y");
    expect(bad.ok === false && bad.error).toMatch(/does not compile/);
    expect(planReplaceAll(nb.cells, q(""), "y")).toEqual({ ok: false, error: "Type the text to find." });
    expect(planReplaceAll(nb.cells, q("zzz"), "y")).toEqual({ ok: false, error: "Nothing to replace: no match." });
  });

  it("applies in one step that one undo takes back", () => {
    const nb = notebook("a a", "b", "a");
    nb.setDirty(false);
    const plan = planReplaceAll(nb.cells, q("a"), "z");
    if (!plan.ok) throw new Error(plan.error);
    nb.replaceSources(plan.edits.map((e) => ({ cell: e.target, source: e.after })));
    expect(nb.cells.map((c) => c.source)).toEqual(["z z", "b", "z"]);
    expect(nb.dirty).toBe(true);
    expect(nb.canUndoDelete).toBe(true);
    expect(nb.undoDelete()).toBe(2);
    expect(nb.cells.map((c) => c.source)).toEqual(["a a", "b", "a"]);
    expect(nb.canUndoDelete).toBe(false);
  });

  it("keeps a cell edited since the replace, and undoes deletes and replaces in order", () => {
    const nb = notebook("a", "a", "c");
    nb.select(2);
    nb.deleteSelected();
    nb.replaceSources(nb.cells.map((cell) => ({ cell, source: "b" })));
    nb.cells[1].source = "typed since";
    expect(nb.undoDelete()).toBe(1);
    expect(nb.cells.map((c) => c.source)).toEqual(["a", "typed since"]);
    nb.undoDelete();
    expect(nb.cells.map((c) => c.source)).toEqual(["a", "typed since", "c"]);
  });
});
