// Menu actions for finding and commanding: Edit > Find and Replace (F), the command palette
// (Ctrl-Shift-P, P) and Help > Edit Keyboard Shortcuts.

import type { Cell } from "../../model/cell";
import { t } from "../../i18n";
import { countSummary, planReplaceAll } from "../../model/findreplace";
import type { Notebook } from "../../model/notebook";
import { addShortcut, removeShortcut } from "../../model/shortcuts";
import { notify } from "../../view/dialog";
import { type FindState, findReplaceDialog } from "../../view/finddialog";
import { openPalette } from "../../view/paletteview";
import { shortcutDialog } from "../../view/shortcutdialog";
import type { Actions } from "./header";
import type { CommandKeys } from "./keymap";

interface Page {
  model: Notebook;
  keys: CommandKeys;
  actions: Actions;
  enterCommand(): void;
}

/** The menus show each action's first shortcut in effect (after the user edited them). */
export function syncMenuKeys(menubar: ParentNode, keys: CommandKeys): void {
  for (const item of menubar.querySelectorAll<HTMLElement>("li[data-action]")) {
    const name = item.dataset.action ?? "";
    if (!keys.hasTableKeys(name)) continue;
    const [first] = keys.allKeys(name);
    let kbd = item.querySelector(":scope > kbd");
    if (!first) kbd?.remove();
    else (kbd ??= item.appendChild(document.createElement("kbd"))).textContent = first;
  }
}

// Kept between openings, as the classic notebook keeps its search.
const state: FindState = { find: "", replace: "", regex: false, caseSensitive: false, selectedOnly: false };

export function toolActions(page: Page): Actions {
  const nb = page.model;
  return {
    "find-replace": { label: "Find and Replace", keys: "F", run: async () => {
      await findReplaceDialog<Cell>(state, {
        targets: (selectedOnly) => (selectedOnly ? nb.selectedCells : nb.cells),
        replaceAll: (targets, query) => {
          const plan = planReplaceAll(targets, query, query.replace);
          if (!plan.ok) return plan.error;
          nb.replaceSources(plan.edits.map((e) => ({ cell: e.target, source: e.after })));
          notify(t("Replaced {summary}. Z in command mode undoes it.", { summary: countSummary(plan.count, plan.edits.length) }), "info", 5000);
          return null;
        },
      });
      page.enterCommand();
    } },
    "command-palette": { label: "Command Palette", keys: "Ctrl-Shift-P", run: () => {
      const seen = new Set<string>();
      const commands = Object.entries(page.actions)
        .filter(([name, action]) => name !== "command-palette" && !seen.has(action.label) && seen.add(action.label))
        .map(([name, action]) => {
          const keys = page.keys.allKeys(name);
          const fixed = !page.keys.hasTableKeys(name) && action.keys ? [action.keys] : [];
          return { name, label: t(action.label), keys: keys.length ? keys : fixed };
        });
      openPalette(commands, (name) => {
        page.enterCommand();
        void page.actions[name]?.run();
      });
    } },
    "edit-shortcuts": { label: "Edit Keyboard Shortcuts", run: async () => {
      const { keys } = page;
      const label = (name: string) => t(page.actions[name]?.label ?? name);
      const save = async (edited: ReturnType<typeof addShortcut>) => {
        if (!edited.ok) return edited.error;
        await keys.save(edited.config);
        return null;
      };
      await shortcutDialog({
        commands: () => Object.entries(page.actions).filter(([name, action], i, all) => all.findIndex(([, a]) => a.label === action.label) === i || keys.commandKeys(name).length > 0).map(([name, action]) => ({ name, label: t(action.label) })),
        keysOf: (name) => keys.commandKeys(name),
        add: (name, typed) => save(addShortcut(keys.defaults, keys.config, typed, name, label)),
        remove: (_name, shortcut) => save(removeShortcut(keys.defaults, keys.config, shortcut)),
      });
      page.enterCommand();
    } },
  };
}
