import { describe, expect, it } from "vitest";
import {
  addTags,
  cellMetadataText,
  cellToolbarOf,
  editCellMetadata,
  editNotebookMetadata,
  rawFormatOf,
  removeTag,
  setCellToolbar,
  setRawFormat,
  setSlideType,
  slideTypeOf,
  tagsOf,
} from "../src/model/metadata";
import { Notebook, type NotebookChange } from "../src/model/notebook";
import type { CellType, NbDocument } from "../src/model/types";

function load(type: CellType = "code", metadata: Record<string, unknown> = {}): Notebook {
  const doc: NbDocument = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "python3", display_name: "Python 3" } },
    cells: [{ id: "c0", cell_type: type, source: "x", metadata, ...(type === "code" ? { outputs: [], execution_count: null } : {}) }],
  };
  return Notebook.fromJSON(doc);
}

function watch(nb: Notebook): { changes: NotebookChange[]; cellChanges: string[] } {
  const changes: NotebookChange[] = [];
  const cellChanges: string[] = [];
  nb.changed.on((c) => changes.push(c));
  nb.cells[0].changed.on((c) => cellChanges.push(c));
  return { changes, cellChanges };
}

describe("tags", () => {
  it("adds unique tags, says so, and marks the notebook dirty for saving", () => {
    const nb = load();
    const { cellChanges } = watch(nb);
    const cell = nb.cells[0];
    expect(addTags(cell, "parameters")).toEqual({ ok: true });
    expect(tagsOf(cell)).toEqual(["parameters"]);
    expect(cellChanges).toEqual(["metadata"]);
    expect(nb.dirty).toBe(true);
    expect(addTags(cell, " remove-input  hide-output parameters ")).toEqual({ ok: true });
    expect(cell.toJSON().metadata?.tags).toEqual(["parameters", "remove-input", "hide-output"]);
  });

  it("refuses empty, duplicate and bad tags with a message, changing nothing", () => {
    const nb = load("code", { tags: ["a"] });
    const { cellChanges } = watch(nb);
    const cell = nb.cells[0];
    expect(addTags(cell, "   ")).toMatchObject({ ok: false, error: expect.stringContaining("Type a tag") });
    expect(addTags(cell, "a")).toMatchObject({ ok: false, error: expect.stringContaining('already has the tag "a"') });
    expect(addTags(cell, "ok bad,tag")).toMatchObject({ ok: false, error: 'A tag cannot contain commas: "bad,tag".' });
    expect(cellChanges).toEqual([]);
    expect(nb.dirty).toBe(false);
    expect(tagsOf(cell)).toEqual(["a"]);
  });

  it("removes a tag, and the key with the last one", () => {
    const nb = load("code", { tags: ["a", "b"] });
    const cell = nb.cells[0];
    removeTag(cell, "a");
    expect(cell.metadata.tags).toEqual(["b"]);
    removeTag(cell, "b");
    expect("tags" in cell.metadata).toBe(false);
    expect(nb.dirty).toBe(true);
  });
});

describe("cell metadata editor", () => {
  it("rejects invalid JSON and non-objects with a clear message, changing nothing", () => {
    const nb = load("code", { a: 1 });
    const { cellChanges } = watch(nb);
    const cell = nb.cells[0];
    const bad = editCellMetadata(cell, "{ a: 1 ");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Invalid JSON/);
    expect(editCellMetadata(cell, "[1, 2]")).toEqual({ ok: false, error: "The metadata must be a JSON object ({…}), not a list." });
    expect(editCellMetadata(cell, "null")).toMatchObject({ ok: false });
    expect(editCellMetadata(cell, '{"tags": ["has space"]}')).toMatchObject({ ok: false, error: expect.stringContaining("spaces") });
    expect(editCellMetadata(cell, '{"tags": ["x", "x"]}')).toMatchObject({ ok: false, error: expect.stringContaining("repeat") });
    expect(editCellMetadata(cell, '{"scrolled": "yes"}')).toMatchObject({ ok: false, error: expect.stringContaining("scrolled") });
    expect(editCellMetadata(cell, '{"jupyter": {"source_hidden": 1}}')).toMatchObject({ ok: false });
    expect(cell.metadata).toEqual({ a: 1 });
    expect(cellChanges).toEqual([]);
    expect(nb.dirty).toBe(false);
  });

  it("replaces the metadata from valid JSON, keeping the transient trusted flag out of the editor", () => {
    const nb = load("code", { a: 1, trusted: true });
    const { cellChanges } = watch(nb);
    const cell = nb.cells[0];
    expect(JSON.parse(cellMetadataText(cell))).toEqual({ a: 1 });
    expect(editCellMetadata(cell, '{"b": {"c": [1]}, "tags": ["t"]}')).toEqual({ ok: true });
    expect(cell.metadata).toEqual({ b: { c: [1] }, tags: ["t"], trusted: true });
    expect(cellChanges).toEqual(["metadata"]);
    expect(nb.dirty).toBe(true);
  });

  it("an unchanged edit is no change", () => {
    const nb = load("code", { a: 1 });
    expect(editCellMetadata(nb.cells[0], '{"a": 1}')).toEqual({ ok: true });
    expect(nb.dirty).toBe(false);
  });
});

describe("raw format and slide type", () => {
  it("sets format and raw_mimetype, reads either, clears both", () => {
    const nb = load("raw", { raw_mimetype: "text/html" });
    const cell = nb.cells[0];
    expect(rawFormatOf(cell)).toBe("text/html");
    expect(setRawFormat(cell, "text/latex")).toEqual({ ok: true });
    expect(cell.metadata).toEqual({ format: "text/latex", raw_mimetype: "text/latex" });
    expect(setRawFormat(cell, "not a type")).toMatchObject({ ok: false });
    expect(setRawFormat(cell, "")).toEqual({ ok: true });
    expect(cell.metadata).toEqual({});
    expect(nb.dirty).toBe(true);
  });

  it("sets the slide type, keeping the rest of metadata.slideshow", () => {
    const nb = load("markdown", { slideshow: { other: 1 } });
    const cell = nb.cells[0];
    expect(slideTypeOf(cell)).toBe("-");
    expect(setSlideType(cell, "fragment")).toEqual({ ok: true });
    expect(cell.metadata.slideshow).toEqual({ other: 1, slide_type: "fragment" });
    expect(setSlideType(cell, "bogus")).toMatchObject({ ok: false });
    expect(slideTypeOf(cell)).toBe("fragment");
  });
});

describe("notebook metadata", () => {
  it("chooses the cell toolbar in metadata.celltoolbar, removed for None", () => {
    const nb = load();
    const { changes } = watch(nb);
    expect(cellToolbarOf(nb)).toBe("None");
    setCellToolbar(nb, "Tags");
    expect(nb.toJSON().metadata.celltoolbar).toBe("Tags");
    expect(changes).toContainEqual({ kind: "metadata", key: "celltoolbar" });
    expect(nb.dirty).toBe(true);
    setCellToolbar(nb, "None");
    expect("celltoolbar" in nb.metadata).toBe(false);
  });

  it("validates the kernelspec and language_info shapes, changing nothing on error", () => {
    const nb = load();
    const { changes } = watch(nb);
    const before = JSON.stringify(nb.metadata);
    for (const text of ["{", '"x"', '{"kernelspec": {"name": "p"}}', '{"kernelspec": 3}', '{"language_info": {}}', '{"language_info": {"name": "python", "codemirror_mode": 3}}', '{"orig_nbformat": 0}', '{"authors": [1]}']) {
      expect(editNotebookMetadata(nb, text)).toMatchObject({ ok: false, error: expect.any(String) });
    }
    expect(JSON.stringify(nb.metadata)).toBe(before);
    expect(changes).toEqual([]);
    expect(nb.dirty).toBe(false);
  });

  it("applies valid metadata with an event per changed key, and marks dirty", () => {
    const nb = load();
    const { changes } = watch(nb);
    const text = '{"kernelspec": {"name": "python3", "display_name": "Python 3"}, "title": "T", "language_info": {"name": "python"}}';
    expect(editNotebookMetadata(nb, text)).toEqual({ ok: true });
    expect(nb.metadata.title).toBe("T");
    expect(changes.filter((c) => c.kind === "metadata").map((c) => (c as { key: string }).key).sort()).toEqual(["language_info", "title"]);
    expect(nb.dirty).toBe(true);
  });
});
