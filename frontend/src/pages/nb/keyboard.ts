// Keyboard handling for the notebook: Jupyter's command and edit mode shortcuts.

import { COMMAND_SHORTCUTS, EDIT_SHORTCUTS, KeySequencer } from "../../model/keys";
import type { Notebook } from "../../model/notebook";
import type { Actions } from "./header";

/** Returns how to change the command-mode table (the user edited the shortcuts). */
export function installKeyboard(nb: Notebook, actions: Actions): (table: Record<string, string>) => void {
  const command = new KeySequencer(COMMAND_SHORTCUTS);
  const edit = new KeySequencer(EDIT_SHORTCUTS);
  document.addEventListener(
    "keydown",
    (event) => {
      if (document.querySelector(".modal-backdrop")) return;
      const target = event.target as HTMLElement | null;
      const inEditor = Boolean(target?.closest(".cm-editor"));
      // Other inputs (rename box, stdin prompt, cell type select) and panels marked
      // data-own-keys (the table of contents) keep their keys.
      if (!inEditor && target && (target.matches("input, textarea, select") || target.closest("[data-own-keys]"))) {
        if (!(event.key === "s" && (event.ctrlKey || event.metaKey))) return;
      }
      if (["Shift", "Control", "Alt", "Meta"].includes(event.key)) return;
      const chord = { key: event.key, shift: event.shiftKey, ctrl: event.ctrlKey, alt: event.altKey, meta: event.metaKey };
      const editing = nb.mode === "edit" && inEditor;
      if (editing && event.key === "Escape" && document.querySelector(".cm-tooltip-autocomplete")) return;
      const name = editing ? edit.press(chord, event.timeStamp) : command.press(chord, event.timeStamp);
      const action = name ? actions[name] : undefined;
      if (!action) {
        if (!editing && (command.waiting || event.key === " ")) event.preventDefault();
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      void action.run();
    },
    true,
  );
  return (table) => command.setTable(table);
}
