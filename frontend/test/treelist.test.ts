import { describe, expect, it } from "vitest";
import {
  DEFAULT_SORT,
  enabledActions,
  movePlan,
  moveProblem,
  nextSort,
  normalizeDir,
  parseSort,
  selectAllState,
  selectKind,
  serializeSort,
  sortItems,
} from "../src/model/treelist";

const item = (name: string, type: string, size: number | null, modified: string) => ({ name, path: `d/${name}`, type, size, last_modified: modified });
const ITEMS = [
  item("b.txt", "file", 10, "2026-01-02T00:00:00Z"),
  item("a10.txt", "file", 3000, "2026-01-01T00:00:00Z"),
  item("zdir", "directory", null, "2026-01-05T00:00:00Z"),
  item("a2.ipynb", "notebook", 10, "2026-01-03T00:00:00Z"),
  item("Adir", "directory", null, "2026-01-04T00:00:00Z"),
];
const names = (sorted: { name: string }[]) => sorted.map((i) => i.name);

describe("tree sorting", () => {
  it("lists folders first, then by name, numbers in order, case aside", () => {
    expect(names(sortItems(ITEMS, { key: "name", asc: true }))).toEqual(["Adir", "zdir", "a2.ipynb", "a10.txt", "b.txt"]);
    expect(names(sortItems(ITEMS, { key: "name", asc: false }))).toEqual(["zdir", "Adir", "b.txt", "a10.txt", "a2.ipynb"]);
  });

  it("sorts by size and modification time both ways, ties by name", () => {
    expect(names(sortItems(ITEMS, { key: "size", asc: true }))).toEqual(["Adir", "zdir", "a2.ipynb", "b.txt", "a10.txt"]);
    expect(names(sortItems(ITEMS, { key: "size", asc: false }))).toEqual(["zdir", "Adir", "a10.txt", "b.txt", "a2.ipynb"]);
    expect(names(sortItems(ITEMS, { key: "last_modified", asc: true }))).toEqual(["Adir", "zdir", "a10.txt", "b.txt", "a2.ipynb"]);
    expect(names(sortItems(ITEMS, { key: "last_modified", asc: false }))).toEqual(["zdir", "Adir", "a2.ipynb", "b.txt", "a10.txt"]);
  });

  it("does not change the list it is given", () => {
    const copy = [...ITEMS];
    sortItems(ITEMS, { key: "size", asc: false });
    expect(ITEMS).toEqual(copy);
  });

  it("a header click turns the same column around, another starts ascending", () => {
    expect(nextSort(DEFAULT_SORT, "name")).toEqual({ key: "name", asc: false });
    expect(nextSort({ key: "name", asc: false }, "name")).toEqual({ key: "name", asc: true });
    expect(nextSort({ key: "name", asc: false }, "size")).toEqual({ key: "size", asc: true });
  });

  it("remembers the order as text and reads back only what it wrote", () => {
    for (const sort of [{ key: "size", asc: false }, { key: "last_modified", asc: true }] as const) expect(parseSort(serializeSort(sort))).toEqual(sort);
    for (const junk of [null, undefined, "", "size", "owner:asc", "name:up", "name:asc:x"]) expect(parseSort(junk)).toEqual(DEFAULT_SORT);
  });
});

describe("tree selection", () => {
  const running = new Set(["nb.ipynb"]);
  const file = { path: "a.txt", type: "file" };
  const notebook = { path: "other.ipynb", type: "notebook" };
  const live = { path: "nb.ipynb", type: "notebook" };
  const folder = { path: "dir", type: "directory" };

  it("shows nothing without a selection", () => {
    expect(enabledActions([], running)).toEqual([]);
  });

  it("one file: everything but shutdown", () => {
    expect(enabledActions([file], running)).toEqual(["duplicate", "rename", "move", "download", "view", "edit", "delete"]);
  });

  it("one folder: rename, move, delete", () => {
    expect(enabledActions([folder], running)).toEqual(["rename", "move", "delete"]);
  });

  it("several items: no rename, edit or download; a folder among them: no duplicate or view", () => {
    expect(enabledActions([file, notebook], running)).toEqual(["duplicate", "move", "view", "delete"]);
    expect(enabledActions([file, folder], running)).toEqual(["move", "delete"]);
  });

  it("running notebooks can be shut down, not renamed, moved or deleted", () => {
    expect(enabledActions([live], running)).toEqual(["duplicate", "download", "shutdown", "view", "edit"]);
    expect(enabledActions([live, file], running)).toEqual(["duplicate", "view"]);
  });

  it("select menu entries pick by kind", () => {
    const items = [file, notebook, live, folder];
    expect(selectKind(items, "folders", running)).toEqual(["dir"]);
    expect(selectKind(items, "notebooks", running)).toEqual(["other.ipynb", "nb.ipynb"]);
    expect(selectKind(items, "running", running)).toEqual(["nb.ipynb"]);
    expect(selectKind(items, "files", running)).toEqual(["a.txt"]);
    expect(selectKind(items, "all", running)).toHaveLength(4);
    expect(selectKind(items, "none", running)).toEqual([]);
  });

  it("the select-all box follows the selection", () => {
    expect(selectAllState(0, 3)).toBe("none");
    expect(selectAllState(2, 3)).toBe("some");
    expect(selectAllState(3, 3)).toBe("all");
    expect(selectAllState(0, 0)).toBe("none");
  });
});

describe("moving", () => {
  it("normalizes the typed folder", () => {
    expect(normalizeDir(" /a//b/./c/ ")).toBe("a/b/c");
    expect(normalizeDir("/")).toBe("");
  });

  it("plans each item into the folder, keeping its name", () => {
    expect(movePlan([{ path: "x/a.txt", name: "a.txt" }], "y")).toEqual([{ from: "x/a.txt", to: "y/a.txt" }]);
    expect(movePlan([{ path: "x/a.txt", name: "a.txt" }], "")).toEqual([{ from: "x/a.txt", to: "a.txt" }]);
  });

  it("refuses a name that is taken, the same folder, or a folder into itself", () => {
    expect(moveProblem([{ from: "a.txt", to: "y/a.txt" }], new Set(["y/b.txt"]))).toBeNull();
    expect(moveProblem([{ from: "a.txt", to: "y/a.txt" }], new Set(["y/a.txt"]))).toMatch(/already exists/);
    expect(moveProblem([{ from: "y/a.txt", to: "y/a.txt" }], new Set())).toMatch(/already in that folder/);
    expect(moveProblem([{ from: "dir", to: "dir/sub/dir" }], new Set())).toMatch(/into itself/);
  });
});
