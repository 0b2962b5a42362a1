import { describe, expect, it } from "vitest";
import { Cell } from "../src/model/cell";
import { setToggle, toggleAll, toggleEach, togglesFromMetadata } from "../src/model/outputtoggles";

const code = (metadata: Record<string, unknown> = {}) =>
  Cell.fromJSON({ cell_type: "code", source: "x", metadata, outputs: [], execution_count: null } as never);

describe("output toggles", () => {
  it("reads the classic notebook's metadata (scrolled auto is not scrolled)", () => {
    expect(togglesFromMetadata({ collapsed: true, scrolled: true })).toEqual({ collapsed: true, scrolled: true });
    expect(togglesFromMetadata({ scrolled: "auto" })).toEqual({ collapsed: false, scrolled: false });
    const loaded = code({ collapsed: true });
    expect(loaded.outputs.collapsed).toBe(true);
    expect(loaded.outputs.scrolled).toBe(false);
  });

  it("keeps a toggle in the outputs and in the metadata, absent when off", () => {
    const cell = code();
    const seen: string[] = [];
    cell.changed.on((what) => seen.push(what));
    setToggle(cell, "scrolled", true);
    expect(cell.outputs.scrolled).toBe(true);
    expect(cell.toJSON().metadata).toEqual({ scrolled: true });
    setToggle(cell, "scrolled", false);
    expect(cell.toJSON().metadata).toEqual({});
    expect(seen).toEqual(["metadata", "metadata"]); // edits the notebook saves
  });

  it("a toggle made on the output area itself (the collapser) reaches the metadata too", () => {
    const cell = code();
    cell.outputs.setToggle("collapsed", true);
    expect(cell.metadata).toEqual({ collapsed: true });
    cell.outputs.setToggle("collapsed", false);
    expect(cell.metadata).toEqual({});
  });

  it("leaves markdown cells alone", () => {
    const md = Cell.fromJSON({ cell_type: "markdown", source: "# A", metadata: {} } as never);
    setToggle(md, "collapsed", true);
    expect(md.toJSON().metadata).toEqual({});
  });

  it("Toggle on all output hides all when any is shown, then shows all", () => {
    const cells = [code({ collapsed: true }), code(), Cell.fromJSON({ cell_type: "markdown", source: "", metadata: {} } as never)];
    expect(toggleAll(cells, "collapsed")).toBe(true);
    expect(cells.slice(0, 2).map((c) => c.outputs.collapsed)).toEqual([true, true]);
    expect(toggleAll(cells, "collapsed")).toBe(false);
    expect(cells.slice(0, 2).map((c) => c.metadata.collapsed)).toEqual([undefined, undefined]);
  });

  it("Toggle on current outputs turns each selected cell around", () => {
    const cells = [code({ collapsed: true }), code()];
    toggleEach(cells, "collapsed");
    expect(cells.map((c) => c.outputs.collapsed)).toEqual([false, true]);
  });
});
