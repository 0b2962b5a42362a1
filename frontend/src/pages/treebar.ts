// The tree's multi-select action bar: the buttons a selection allows (model/treelist.ts decides
// which) and what each does; the select-all box with its count and its "select" menu.

import { type Api, type ContentsModel, encodePath } from "../kernel/api";
import { enabledActions, movePlan, moveProblem, normalizeDir, selectAllState, type SelectKind, selectKind, type TreeAction } from "../model/treelist";
import { confirmDialog, notify, promptDialog } from "../view/dialog";
import { h } from "../view/dom";
import { msg, t } from "../i18n";
import { notebookTarget } from "./classic";
import "./treebar.css";

export interface TreeContext {
  api: Api;
  baseUrl: string;
  /** The directory listed (a contents path, "" for the root). */
  dir: string;
  running: ReadonlySet<string>;
  /** Lists again; `keepSelection` after a failure, so the user can correct and retry. */
  refresh(keepSelection: boolean): Promise<void>;
}

const LABELS: Record<TreeAction, string> = {
  duplicate: msg("Duplicate"),
  rename: msg("Rename"),
  move: msg("Move"),
  download: msg("Download"),
  shutdown: msg("Shutdown"),
  view: msg("View"),
  edit: msg("Edit"),
  delete: msg("Delete"),
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The buttons for `selection`, in the classic order; each refreshes the list when done. */
export function actionButtons(ctx: TreeContext, selection: ContentsModel[]): HTMLElement[] {
  return enabledActions(selection, ctx.running).map((action) => {
    const id = `${action}-button`;
    if (action === "download") {
      const item = selection[0];
      return h("a", { class: "btn", id, href: `${ctx.baseUrl}files/${encodePath(item.path)}?download=1`, download: item.name }, t(LABELS[action]));
    }
    const run = RUN[action];
    // Opening tabs needs no refresh; the rest changed the list.
    const refresh = action !== "view" && action !== "edit";
    return h("button", { class: `btn${action === "delete" ? " btn-danger" : ""}`, id, title: t(LABELS[action]), onclick: () => {
      void run(ctx, selection).then(
        () => (refresh ? ctx.refresh(false) : undefined),
        (error) => {
          notify(errorText(error), "error", 8000);
          return ctx.refresh(true);
        },
      );
    } }, t(LABELS[action]));
  });
}

type Runner = (ctx: TreeContext, items: ContentsModel[]) => Promise<void>;

const RUN: Record<Exclude<TreeAction, "download">, Runner> = {
  async rename(ctx, [item]) {
    const name = await promptDialog(item.type === "directory" ? t("Rename folder") : t("Rename file"), t("Enter a new name:"), item.name);
    if (!name || name === item.name) return;
    const base = item.path.slice(0, item.path.length - item.name.length);
    await ctx.api.rename(item.path, base + name);
  },
  async duplicate(ctx, items) {
    for (const item of items) await ctx.api.create(ctx.dir, { copy_from: item.path });
  },
  async delete(ctx, items) {
    const names = items.map((i) => i.name).join(", ");
    if (!(await confirmDialog(t("Delete"), t("Are you sure you want to permanently delete: {names}?", { names }), t("Delete"), true))) return;
    for (const item of items) await ctx.api.remove(item.path);
  },
  async shutdown(ctx, items) {
    const sessions = await ctx.api.sessions();
    for (const s of sessions) if (items.some((i) => i.path === s.path)) await ctx.api.deleteSession(s.id);
  },
  async view(ctx, items) {
    for (const item of items) window.open(`${ctx.baseUrl}files/${encodePath(item.path)}`, "_blank");
  },
  async edit(ctx, [item]) {
    window.open(`${ctx.baseUrl}edit/${encodePath(item.path)}`, notebookTarget());
  },
  move,
};

/**
 * Moves the items into a folder the user names (PATCH with the new path). Everything is checked
 * before the first move, so a refused move leaves every item where it was.
 */
async function move(ctx: TreeContext, items: ContentsModel[]): Promise<void> {
  const what = items.length === 1 ? items[0].name : t("{count} items", { count: items.length });
  const typed = await promptDialog(t("Move {what}", { what }), t("Enter the folder to move to, relative to the home folder:"), ctx.dir);
  if (typed === null) return;
  const dir = normalizeDir(typed);
  // A browser resolves ".." in a URL before the server sees it: refused here, with the reason.
  if (dir.split("/").includes("..")) throw new Error(t("Cannot move: a folder path cannot go above the home folder (..)"));
  // The server's answer says what is wrong with the folder (absent, outside the root, a file).
  const target = await ctx.api.contents(dir).catch((error) => {
    throw new Error(t("Cannot move to {dir}: {reason}", { dir: dir || t("the home folder"), reason: errorText(error) }));
  });
  if (target.type !== "directory") throw new Error(t("Cannot move to {dir}: it is not a folder", { dir }));
  const taken = new Set(((target.content as ContentsModel[] | null) ?? []).map((c) => c.path));
  const plan = movePlan(items, dir);
  const problem = moveProblem(plan, taken);
  if (problem) throw new Error(t("Cannot move: {problem}", { problem }));
  for (const { from, to } of plan) await ctx.api.rename(from, to);
  notify(t("Moved {what} to {dir}", { what, dir: dir || t("the home folder") }));
}

/**
 * The select-all box of the list header, with the count of selected items and a menu that
 * selects by kind; `onSelect(paths)` checks exactly those.
 */
export class SelectionControl {
  readonly box = h("input", { type: "checkbox", class: "select-all", id: "select-all", "aria-label": t("Select all") });
  private readonly count = h("span", { class: "selection-count", id: "selection-count" });
  private readonly menu = h("ul", { class: "dropdown-menu", id: "select-menu", role: "menu" });
  readonly element: HTMLElement;

  constructor(
    items: readonly ContentsModel[],
    running: ReadonlySet<string>,
    onSelect: (paths: string[]) => void,
  ) {
    this.box.addEventListener("change", () => onSelect(this.box.checked ? selectKind(items, "all", running) : []));
    const kinds: [SelectKind, string][] = [["folders", t("Folders")], ["notebooks", t("All Notebooks")], ["running", t("Running")], ["files", t("Files")]];
    for (const [kind, label] of kinds) {
      this.menu.append(h("li", { role: "menuitem", "data-select": kind, onclick: () => {
        wrapper.classList.remove("open");
        onSelect(selectKind(items, kind, running));
      } }, label));
    }
    const toggle = h("button", { class: "btn btn-xs dropdown-toggle", id: "select-menu-button", "aria-label": t("Select by kind") }, "▾");
    const wrapper = h("span", { class: "dropdown select-dropdown" }, toggle, this.menu);
    toggle.addEventListener("click", (event) => {
      event.stopPropagation();
      wrapper.classList.toggle("open");
    });
    document.addEventListener("click", () => wrapper.classList.remove("open"));
    this.element = h("span", { class: "selection-control" }, this.box, this.count, wrapper);
  }

  /** Shows how many of `total` are selected (the box checked, unchecked or indeterminate). */
  update(selected: number, total: number): void {
    const state = selectAllState(selected, total);
    this.box.checked = state === "all";
    this.box.indeterminate = state === "some";
    this.count.textContent = selected ? String(selected) : "";
  }
}
