// The classic notebook's action names (jupyter-notebook:NAME, notebook 5 and 6) and Carnet's
// action of the same meaning: custom.js's Jupyter.actions and nbconfig's key bindings use them.

/** Classic name (without its prefix) -> Carnet's action. The first name of an action is the one written. */
export const CLASSIC_ACTIONS: Record<string, string> = {
  "run-cell": "run",
  "run-cell-and-select-next": "run-select-next",
  "run-cell-and-insert-below": "run-insert-below",
  "run-all-cells": "run-all",
  "run-all-cells-above": "run-above",
  "run-all-cells-below": "run-below",
  "save-notebook": "save",
  "interrupt-kernel": "interrupt",
  "restart-kernel": "restart",
  "enter-edit-mode": "edit",
  "insert-cell-above": "insert-above",
  "insert-cell-below": "insert-below",
  "delete-cell": "delete",
  "undo-cell-deletion": "undo-delete",
  "change-cell-to-code": "to-code",
  "change-cell-to-markdown": "to-markdown",
  "change-cell-to-raw": "to-raw",
  "copy-cell": "copy",
  "cut-cell": "cut",
  "paste-cell-below": "paste-below",
  "paste-cell-above": "paste-above",
  "merge-cell-with-next-cell": "merge",
  "move-cell-up": "move-up",
  "move-cell-down": "move-down",
  "select-previous-cell": "select-previous",
  "select-next-cell": "select-next",
  "extend-selection-previous": "extend-previous",
  "extend-selection-next": "extend-next",
  "show-keyboard-shortcuts": "shortcuts",
  "toggle-cell-output-collapsed": "toggle-output",
  "toggle-cell-output-scrolled": "toggle-scroll",
  "toggle-all-line-numbers": "toggle-line-numbers",
  "toggle-header": "toggle-header",
  "toggle-toolbar": "toggle-toolbar",
  "clear-cell-output": "clear-output",
  "split-cell-at-cursor": "split",
  "find-and-replace": "find-replace",
  "show-command-palette": "command-palette",
};

const PREFIX = "jupyter-notebook:";
const TO_CLASSIC: Record<string, string> = {};
for (const [classic, carnet] of Object.entries(CLASSIC_ACTIONS)) TO_CLASSIC[carnet] ??= classic;

/** Carnet's action for a name in either spelling ("jupyter-notebook:delete-cell" or "delete"). */
export function carnetAction(name: string): string {
  const bare = name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name;
  return CLASSIC_ACTIONS[bare] ?? bare;
}

/** The classic notebook's full name of an action when it has one, else Carnet's name. */
export function classicAction(action: string): string {
  const classic = TO_CLASSIC[action];
  return classic ? PREFIX + classic : action;
}
