// Every notebook command (menus, toolbar, shortcuts call these by name).

import { encodePath } from "../../kernel/api";
import { shortcutHelp } from "../../model/keys";
import type { Cell } from "../../model/cell";
import { chooseDialog, confirmDialog, messageDialog, notify, promptDialog } from "../../view/dialog";
import { h } from "../../view/dom";
import type { NotebookPage } from "../notebook";
import { exportActions } from "./export";
import { fileActions } from "./fileops";
import { helpActions } from "./helpmenu";
import { outputActions } from "./outputmenu";
import { metadataActions } from "./metadata";
import { imageActions } from "./attachinput";
import { tocActions } from "./toc";
import { toolActions } from "./tools";
import type { Actions } from "./header";
import { notebookTarget } from "../classic";
import { t } from "../../i18n";

type Page = NotebookPage;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function buildActions(page: Page): Actions {
  const { model: nb, kernel, saver, api, config } = page;

  const runCell = (cell: Cell): Promise<void> => {
    if (cell.type === "markdown") {
      cell.rendered = true;
      return Promise.resolve();
    }
    return kernel.run(cell);
  };
  const runSelected = () => {
    const cells = nb.selectedCells;
    page.enterCommand();
    for (const cell of cells) void runCell(cell);
  };
  const runMany = (cells: Cell[]) => {
    page.enterCommand();
    for (const cell of cells) void runCell(cell);
  };
  const guarded = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (error) {
      notify(errorText(error), "error", 6000);
    }
  };
  const restart = async (after?: () => void) => {
    if (!(await confirmDialog(t("Restart kernel?"), t("Do you want to restart the current kernel? All variables will be lost."), t("Restart"), true))) return;
    await kernel.restart();
    after?.();
  };
  const edit = (fn: () => void) => () => {
    fn();
    page.enterCommand();
  };

  const actions: Actions = {
    ...exportActions(page),
    ...metadataActions(page),
    ...fileActions(page),
    ...outputActions(page),
    ...helpActions(page),
    ...imageActions(page),
    ...tocActions(page),
    ...toolActions(page),
    "run-select-next": { label: "Run Cells and Select Below", keys: "Shift-Enter", run: () => {
      runSelected();
      const [, last] = nb.selectedRange;
      if (last === nb.cells.length - 1) {
        nb.insert(nb.cells.length, "code");
        page.enterEdit();
      } else nb.select(last + 1);
    } },
    run: { label: "Run Cells", keys: "Ctrl-Enter", run: runSelected },
    "run-insert-below": { label: "Run Cells and Insert Below", keys: "Alt-Enter", run: () => {
      runSelected();
      nb.insertBelow();
      page.enterEdit();
    } },
    "run-all": { label: "Run All", run: () => runMany(nb.cells) },
    "run-above": { label: "Run All Above", run: () => runMany(nb.cellsAbove()) },
    "run-below": { label: "Run All Below", run: () => runMany(nb.cellsBelow()) },
    edit: { label: "Edit Cell", keys: "Enter", run: () => page.enterEdit() },
    "command-mode": { label: "Command Mode", keys: "Esc", run: () => {
      const cell = nb.activeCell;
      page.enterCommand();
      if (cell?.type === "markdown" && cell.source.trim() === "") cell.rendered = false;
    } },
    "insert-above": { label: "Insert Cell Above", keys: "A", run: () => void nb.insertAbove() },
    "insert-below": { label: "Insert Cell Below", keys: "B", run: () => void nb.insertBelow() },
    delete: { label: "Delete Cells", keys: "D,D", run: () => nb.deleteSelected() },
    "undo-delete": { label: "Undo Delete Cells", keys: "Z", run: () => void nb.undoDelete() },
    "to-code": { label: "Cell Type: Code", keys: "Y", run: () => nb.changeType("code") },
    "to-markdown": { label: "Cell Type: Markdown", keys: "M", run: () => nb.changeType("markdown") },
    "to-raw": { label: "Cell Type: Raw NBConvert", keys: "R", run: () => nb.changeType("raw") },
    copy: { label: "Copy Cells", keys: "C", run: () => nb.copy() },
    cut: { label: "Cut Cells", keys: "X", run: () => nb.cut() },
    "paste-below": { label: "Paste Cells Below", keys: "V", run: () => nb.paste(false) },
    "paste-above": { label: "Paste Cells Above", keys: "Shift-V", run: () => nb.paste(true) },
    merge: { label: "Merge Cell Below / Selected", keys: "Shift-M", run: () => nb.merge() },
    "merge-above": { label: "Merge Cell Above", run: () => {
      if (nb.activeIndex === 0) return;
      nb.select(nb.activeIndex - 1);
      nb.merge();
    } },
    split: { label: "Split Cell", keys: "Ctrl-Shift-Minus", run: edit(() => {
      const editor = page.view.viewOf(nb.activeCell)?.editor;
      nb.splitActive(editor ? editor.cursor : (nb.activeCell?.source.length ?? 0));
    }) },
    "move-up": { label: "Move Cells Up", run: () => nb.moveUp() },
    "move-down": { label: "Move Cells Down", run: () => nb.moveDown() },
    "select-previous": { label: "Select Cell Above", keys: "K", run: () => nb.selectPrevious() },
    "select-next": { label: "Select Cell Below", keys: "J", run: () => nb.selectNext() },
    "extend-previous": { label: "Extend Selection Above", keys: "Shift-K", run: () => nb.selectPrevious(true) },
    "extend-next": { label: "Extend Selection Below", keys: "Shift-J", run: () => nb.selectNext(true) },
    "heading-1": { label: "Heading 1", run: () => heading(1) },
    "heading-2": { label: "Heading 2", run: () => heading(2) },
    "heading-3": { label: "Heading 3", run: () => heading(3) },
    "toggle-line-numbers": { label: "Toggle Line Numbers", keys: "L", run: () => page.toggleLineNumbers() },
    "toggle-header": { label: "Toggle Header", run: () => void document.getElementById("header-container")?.toggleAttribute("hidden") },
    "toggle-toolbar": { label: "Toggle Toolbar", run: () => void document.getElementById("maintoolbar")?.toggleAttribute("hidden") },
    "clear-output": { label: "Clear Output", run: () => {
      for (const cell of nb.selectedCells) cell.outputs.clear();
    } },
    "clear-all-output": { label: "Clear All Output", run: () => nb.clearAllOutputs() },
    save: { label: "Save and Checkpoint", keys: "Ctrl-S", run: guarded(() => saver.save(true)) },
    "revert-checkpoint": { label: "Revert to Checkpoint", run: guarded(async () => {
      if (!saver.lastCheckpoint) {
        notify(t("There is no checkpoint yet"));
        return;
      }
      const when = new Date(saver.lastCheckpoint).toLocaleString();
      if (!(await confirmDialog(t("Revert notebook to checkpoint"), t("Revert to the checkpoint of {when}? Changes since then are lost.", { when }), t("Revert"), true))) return;
      const doc = await saver.revert();
      if (doc) page.reload(doc);
      notify(t("Reverted to checkpoint"));
    }) },
    rename: { label: "Rename…", run: guarded(async () => {
      const current = saver.path.split("/").pop()?.replace(/\.ipynb$/, "") ?? "";
      const name = await promptDialog(t("Rename Notebook"), t("Enter a new notebook name:"), current);
      if (!name || name === current) return;
      const path = await saver.rename(name);
      await kernel.rename(path).catch(() => undefined);
      document.title = name.replace(/\.ipynb$/, "");
      nb.changed.emit({ kind: "dirty" });
    }) },
    "new-notebook": { label: "New Notebook", run: guarded(async () => {
      const model = await api.create(page.dir(), { type: "notebook" });
      window.open(`${config.baseUrl}notebooks/${encodePath(model.path)}`, notebookTarget());
    }) },
    open: { label: "Open…", run: () => void window.open(`${config.baseUrl}tree/${encodePath(page.dir())}`, notebookTarget()) },
    "download-ipynb": { label: "Download as Notebook (.ipynb)", run: () => {
      window.location.href = `${config.baseUrl}files/${encodePath(saver.path)}?download=1`;
    } },
    trust: { label: "Trust Notebook", run: guarded(async () => {
      if (nb.trusted) {
        notify(t("Notebook is already trusted"));
        return;
      }
      const ok = await confirmDialog(t("Trust this notebook?"), t("A trusted notebook may run code in your browser when you open it. Only trust notebooks from sources you trust."), t("Trust"), true);
      if (!ok) return;
      // Trusted here either way; if the server could not record it, the next save signs it.
      await api.trust(saver.path).catch((error) => notify(t("The server did not record the trust ({error}); saving the notebook will", { error: errorText(error) }), "error", 8000));
      nb.trustAll();
    }) },
    close: { label: "Close and Halt", run: guarded(async () => {
      if (kernel.session) await api.deleteSession(kernel.session.id);
      window.close();
    }) },
    interrupt: { label: "Interrupt", keys: "I,I", run: guarded(() => kernel.interrupt()) },
    restart: { label: "Restart", keys: "0,0", run: guarded(() => restart()) },
    "restart-clear": { label: "Restart & Clear Output", run: guarded(() => restart(() => nb.clearAllOutputs())) },
    "restart-run-all": { label: "Restart & Run All", run: guarded(() => restart(() => runMany(nb.cells))) },
    "change-kernel": { label: "Change kernel…", run: guarded(async () => {
      const specs = kernel.specs ?? (await api.kernelspecs());
      const options = Object.values(specs.kernelspecs).map((k) => ({ value: k.name, label: k.spec.display_name }));
      const name = await chooseDialog(t("Change kernel"), t("Kernel:"), options, kernel.kernelName);
      if (name && name !== kernel.kernelName) await kernel.changeKernel(name);
    }) },
    shutdown: { label: "Shutdown", run: guarded(async () => {
      if (!kernel.kernelId) return;
      if (!(await confirmDialog(t("Shut down kernel?"), t("Shut down this notebook's kernel?"), t("Shut Down"), true))) return;
      await api.shutdownKernel(kernel.kernelId);
      nb.kernelStatus = "dead";
    }) },
    inspect: { label: "Show Help (Shift-Tab)", keys: "Shift-Tab", run: guarded(async () => {
      const editor = page.view.viewOf(nb.activeCell)?.editor;
      if (!editor) return;
      const text = await kernel.inspect(editor.text, editor.kernelCursor);
      if (text) showTooltip(editor.view.dom, text);
    }) },
    shortcuts: { label: "Keyboard Shortcuts", keys: "H", run: () => messageDialog(t("Keyboard shortcuts"), shortcutTable(actions, page.keys.table)) },
    help: { label: "Keyboard Shortcuts", run: () => messageDialog(t("Keyboard shortcuts"), shortcutTable(actions, page.keys.table)) },
  };

  function heading(level: number): void {
    const cell = nb.activeCell;
    if (!cell) return;
    nb.changeType("markdown");
    cell.source = `${"#".repeat(level)} ${cell.source.replace(/^#+\s*/, "")}`;
    cell.rendered = false;
  }

  return actions;
}

function shortcutTable(actions: Actions, command: Record<string, string>): HTMLElement {
  const table = h("table", { class: "shortcut-table" });
  for (const row of shortcutHelp(command)) table.append(h("tr", {}, h("td", {}, t(row.mode)), h("td", {}, h("kbd", {}, row.keys)), h("td", {}, actions[row.action] ? t(actions[row.action].label) : row.action.replace(/-/g, " "))));
  return table;
}

function showTooltip(anchor: HTMLElement, text: string): void {
  document.querySelectorAll(".inspect-tooltip").forEach((t) => t.remove());
  const rect = anchor.getBoundingClientRect();
  const tooltip = h("div", { class: "inspect-tooltip", role: "tooltip" });
  import("../../render/ansi").then(({ ansiPre }) => tooltip.append(ansiPre(text, "tooltip-text")));
  tooltip.style.top = `${window.scrollY + rect.bottom + 4}px`;
  tooltip.style.left = `${window.scrollX + rect.left}px`;
  document.body.append(tooltip);
  const remove = (event: Event) => {
    if (event instanceof KeyboardEvent && event.key === "Shift") return;
    tooltip.remove();
    document.removeEventListener("keydown", remove, true);
    document.removeEventListener("mousedown", remove, true);
  };
  setTimeout(() => {
    document.addEventListener("keydown", remove, true);
    document.addEventListener("mousedown", remove, true);
  }, 0);
}
