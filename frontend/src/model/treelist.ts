// The file list of the tree page without the DOM: its order (remembered between visits), which
// actions a selection allows (the classic tree's rules), and the checks a Move makes first.

export type SortKey = "name" | "last_modified" | "size";
export interface Sort {
  key: SortKey;
  asc: boolean;
}

export const DEFAULT_SORT: Sort = { key: "name", asc: true };
const KEYS: readonly SortKey[] = ["name", "last_modified", "size"];

export interface Listed {
  name: string;
  type: string;
  size?: number | null;
  last_modified: string;
}

/** Folders first (as the classic tree lists them), then by the key, either way. */
export function sortItems<T extends Listed>(items: readonly T[], sort: Sort): T[] {
  const sign = sort.asc ? 1 : -1;
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: "base" });
  return [...items].sort((a, b) => {
    if ((a.type === "directory") !== (b.type === "directory")) return a.type === "directory" ? -1 : 1;
    let order = 0;
    if (sort.key === "size") order = (a.size ?? 0) - (b.size ?? 0);
    else if (sort.key === "last_modified") order = (Date.parse(a.last_modified) || 0) - (Date.parse(b.last_modified) || 0);
    // Ties (same size, same second) keep a stable, readable order: by name, the same way.
    return sign * (order || byName(a, b));
  });
}

/** A click on a column header: the same column turns around, another one starts ascending. */
export function nextSort(current: Sort, key: SortKey): Sort {
  return current.key === key ? { key, asc: !current.asc } : { key, asc: true };
}

export function serializeSort(sort: Sort): string {
  return `${sort.key}:${sort.asc ? "asc" : "desc"}`;
}

/** What serializeSort wrote; anything else (absent, edited, from another version) is the default. */
export function parseSort(text: string | null | undefined): Sort {
  const [key, way] = (text ?? "").split(":");
  if (!KEYS.includes(key as SortKey) || (way !== "asc" && way !== "desc")) return DEFAULT_SORT;
  return { key: key as SortKey, asc: way === "asc" };
}

export type TreeAction = "rename" | "move" | "duplicate" | "shutdown" | "view" | "edit" | "download" | "delete";

/** The classic tree's order of the action bar. */
const ORDER: readonly TreeAction[] = ["duplicate", "rename", "move", "download", "shutdown", "view", "edit", "delete"];

export interface Selected {
  path: string;
  type: string;
}

/**
 * The buttons a selection shows, as in the classic tree: a running notebook can only be shut
 * down (renaming, moving or deleting it would pull the file from under its kernel), folders are
 * not duplicated, viewed, edited nor downloaded, and Shutdown needs only running notebooks.
 */
export function enabledActions(selection: readonly Selected[], running: ReadonlySet<string>): TreeAction[] {
  const n = selection.length;
  if (n === 0) return [];
  const hasRunning = selection.some((s) => running.has(s.path));
  const hasDirectory = selection.some((s) => s.type === "directory");
  const onlyRunning = selection.every((s) => running.has(s.path));
  const on = new Set<TreeAction>();
  if (n === 1 && !hasRunning) on.add("rename");
  if (!hasRunning) on.add("move").add("delete");
  if (!hasDirectory) on.add("duplicate").add("view");
  if (n === 1 && !hasDirectory) on.add("edit").add("download");
  if (onlyRunning) on.add("shutdown");
  return ORDER.filter((a) => on.has(a));
}

export type SelectKind = "all" | "none" | "folders" | "notebooks" | "running" | "files";

/** The paths a "select" menu entry checks (the classic tree's Folders / All Notebooks / Running / Files). */
export function selectKind(items: readonly Selected[], kind: SelectKind, running: ReadonlySet<string>): string[] {
  const wanted = (s: Selected): boolean => {
    if (kind === "all") return true;
    if (kind === "folders") return s.type === "directory";
    if (kind === "notebooks") return s.type === "notebook";
    if (kind === "running") return running.has(s.path);
    if (kind === "files") return s.type === "file";
    return false;
  };
  return items.filter(wanted).map((s) => s.path);
}

/** The select-all box: checked, unchecked, or neither (some are selected). */
export function selectAllState(selected: number, total: number): "all" | "none" | "some" {
  if (selected === 0 || total === 0) return "none";
  return selected >= total ? "all" : "some";
}

/** A directory typed by the user, as a contents path: no leading/trailing slashes, no "." parts. */
export function normalizeDir(text: string): string {
  return text
    .trim()
    .split("/")
    .filter((part) => part !== "" && part !== ".")
    .join("/");
}

/** Where each item lands when moved into `dir` (its name kept). */
export function movePlan(items: readonly { path: string; name: string }[], dir: string): { from: string; to: string }[] {
  return items.map((item) => ({ from: item.path, to: dir ? `${dir}/${item.name}` : item.name }));
}

/**
 * Why a move cannot be made, before anything is touched (null: it can): no item may land on a
 * name the destination already has, nor on itself, nor inside itself.
 */
export function moveProblem(plan: readonly { from: string; to: string }[], taken: ReadonlySet<string>): string | null {
  for (const { from, to } of plan) {
    if (from === to) return `${from} is already in that folder`;
    if (to.startsWith(`${from}/`)) return `Cannot move the folder ${from} into itself`;
    if (taken.has(to)) return `${to} already exists: nothing was moved`;
  }
  return null;
}
