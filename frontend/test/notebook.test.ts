import { describe, expect, it } from "vitest";
import { Notebook } from "../src/model/notebook";
import type { NbDocument } from "../src/model/types";

function doc(...sources: string[]): NbDocument {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "python3" } },
    cells: sources.map((source, i) => ({ id: `c${i}`, cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
  };
}

const sources = (nb: Notebook) => nb.cells.map((c) => c.source);

describe("Notebook", () => {
  it("round-trips nbformat and starts clean", () => {
    const input = doc("a", "b");
    input.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: "hi" }];
    input.cells[1].execution_count = 2;
    const nb = Notebook.fromJSON(input);
    expect(nb.dirty).toBe(false);
    expect(nb.toJSON()).toEqual(input);
  });

  it("says when a metadata key changes, and only then; whether to save is the caller's call", () => {
    const nb = Notebook.fromJSON(doc("x"));
    const changes: unknown[] = [];
    nb.changed.on((change) => changes.push(change));
    nb.setMetadata("kernelspec", { name: "python3" });
    expect(changes).toEqual([]);
    nb.setMetadata("kernelspec", { name: "other", display_name: "Other" });
    expect(changes).toEqual([{ kind: "metadata", key: "kernelspec" }]);
    expect(nb.toJSON().metadata.kernelspec).toEqual({ name: "other", display_name: "Other" });
    expect(nb.dirty).toBe(false);
  });

  it("gets dirty on edits, structure changes and outputs", () => {
    const nb = Notebook.fromJSON(doc("a"));
    nb.cells[0].source = "b";
    expect(nb.dirty).toBe(true);
    nb.setDirty(false);
    nb.insertBelow();
    expect(nb.dirty).toBe(true);
    nb.setDirty(false);
    nb.cells[0].outputs.handle({ msgType: "stream", content: { name: "stdout", text: "x" } });
    expect(nb.dirty).toBe(true);
  });

  it("inserts above and below the selection and selects the new cell", () => {
    const nb = Notebook.fromJSON(doc("a", "b"));
    nb.select(1);
    nb.insertAbove().source = "above";
    expect(sources(nb)).toEqual(["a", "above", "b"]);
    expect(nb.activeIndex).toBe(1);
    nb.insertBelow("markdown").source = "below";
    expect(sources(nb)).toEqual(["a", "above", "below", "b"]);
    expect(nb.activeCell?.type).toBe("markdown");
  });

  it("deletes a selection and undoes the delete", () => {
    const nb = Notebook.fromJSON(doc("a", "b", "c", "d"));
    nb.select(1);
    nb.select(2, true);
    nb.deleteSelected();
    expect(sources(nb)).toEqual(["a", "d"]);
    expect(nb.activeIndex).toBe(1);
    nb.undoDelete();
    expect(sources(nb)).toEqual(["a", "b", "c", "d"]);
    expect(nb.cells[1].id).toBe("c1");
    expect(nb.canUndoDelete).toBe(false);
  });

  it("always keeps one cell", () => {
    const nb = Notebook.fromJSON(doc("only"));
    nb.deleteSelected();
    expect(nb.cells.length).toBe(1);
    expect(nb.cells[0].source).toBe("");
  });

  it("moves selected cells up and down with the selection", () => {
    const nb = Notebook.fromJSON(doc("a", "b", "c", "d"));
    nb.select(1);
    nb.select(2, true);
    nb.moveUp();
    expect(sources(nb)).toEqual(["b", "c", "a", "d"]);
    expect(nb.selectedRange).toEqual([0, 1]);
    nb.moveUp();
    expect(sources(nb)).toEqual(["b", "c", "a", "d"]);
    nb.moveDown();
    nb.moveDown();
    expect(sources(nb)).toEqual(["a", "d", "b", "c"]);
    expect(nb.selectedCells.map((c) => c.source)).toEqual(["b", "c"]);
  });

  it("copies, cuts and pastes cells with fresh ids", () => {
    const nb = Notebook.fromJSON(doc("a", "b", "c"));
    nb.select(0);
    nb.copy();
    nb.select(2);
    nb.paste();
    expect(sources(nb)).toEqual(["a", "b", "c", "a"]);
    expect(nb.cells[3].id).not.toBe("c0");
    nb.select(1);
    nb.cut();
    expect(sources(nb)).toEqual(["a", "c", "a"]);
    nb.select(0);
    nb.paste(true);
    expect(sources(nb)).toEqual(["b", "a", "c", "a"]);
  });

  it("splits at the cursor and merges back", () => {
    const nb = Notebook.fromJSON(doc("x = 1\ny = 2"));
    nb.splitActive(6);
    expect(sources(nb)).toEqual(["x = 1", "y = 2"]);
    expect(nb.activeIndex).toBe(1);
    nb.select(0);
    nb.merge();
    expect(sources(nb)).toEqual(["x = 1\n\ny = 2"]);
  });

  it("changes type, dropping outputs of cells that stop being code", () => {
    const nb = Notebook.fromJSON(doc("# title"));
    nb.cells[0].outputs.handle({ msgType: "stream", content: { name: "stdout", text: "x" } });
    nb.changeType("markdown");
    expect(nb.cells[0].type).toBe("markdown");
    expect(nb.cells[0].outputs.length).toBe(0);
    expect(nb.toJSON().cells[0]).toEqual({ id: "c0", cell_type: "markdown", metadata: {}, source: "# title" });
  });

  it("tracks mode and leaves edit mode when another cell is selected", () => {
    const nb = Notebook.fromJSON(doc("a", "b"));
    nb.mode = "edit";
    nb.select(1);
    expect(nb.mode).toBe("command");
  });

  it("reports trust from the cells the server marked", () => {
    const input = doc("a");
    input.cells[0].outputs = [{ output_type: "display_data", data: { "text/html": "<b>x</b>" }, metadata: {} }];
    input.cells[0].metadata = { trusted: false };
    const nb = Notebook.fromJSON(input);
    expect(nb.trusted).toBe(false);
    nb.trustAll();
    expect(nb.trusted).toBe(true);
    expect(nb.toJSON().cells[0].metadata).toEqual({ trusted: true });
  });

  it("clears all outputs and counts", () => {
    const input = doc("a");
    input.cells[0].execution_count = 4;
    input.cells[0].outputs = [{ output_type: "stream", name: "stdout", text: "hi" }];
    const nb = Notebook.fromJSON(input);
    nb.clearAllOutputs();
    expect(nb.cells[0].executionCount).toBeNull();
    expect(nb.cells[0].outputs.length).toBe(0);
  });
});

describe("Notebook versions", () => {
  it("counts every change, even while already dirty", () => {
    const nb = Notebook.fromJSON(doc("a"));
    const start = nb.version;
    nb.cells[0].source = "b";
    nb.cells[0].source = "c";
    expect(nb.version).toBe(start + 2);
    nb.setDirty(false);
    expect(nb.version).toBe(start + 2);
  });
});
