// Help > Edit Keyboard Shortcuts: each command with its command-mode shortcuts, a × to remove
// one and a box to add one. The rules (taken keys, spelling) are model/shortcuts.

import { display, normalizeShortcut } from "../model/shortcuts";
import { choiceDialog } from "./dialog";
import { t } from "../i18n";
import { h } from "./dom";
import "./tools.css";

export interface ShortcutHooks {
  /** The commands, in the order shown. */
  commands(): { name: string; label: string }[];
  keysOf(action: string): string[];
  /** Adds or removes a shortcut; null when done, else why nothing changed. */
  add(action: string, typed: string): Promise<string | null>;
  remove(action: string, keys: string): Promise<string | null>;
}

export async function shortcutDialog(hooks: ShortcutHooks): Promise<void> {
  const message = h("p", { class: "shortcut-error", role: "alert" });
  const table = h("table", { class: "shortcut-editor" });
  const say = (text: string, error: boolean) => {
    message.textContent = text;
    message.hidden = !text;
    message.classList.toggle("ok", !error);
  };
  say("", true);
  const act = async (work: Promise<string | null>, done: string) => {
    const refused = await work.catch((error: unknown) => t("Not saved: {reason}", { reason: error instanceof Error ? error.message : String(error) }));
    if (refused) say(refused, true);
    else {
      say(done, false);
      draw();
    }
    return !refused;
  };
  const adders = new WeakMap<HTMLInputElement, () => Promise<void>>();
  const draw = () => {
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.closest("tr")?.dataset.action : undefined;
    table.replaceChildren();
    for (const { name, label } of hooks.commands()) {
      const chips = hooks.keysOf(name).map((keys) =>
        h("span", { class: "shortcut-chip", "data-keys": keys }, h("kbd", {}, display(keys)), h("button", { class: "shortcut-remove", title: t("Remove {keys}", { keys: display(keys) }), "aria-label": t("Remove {keys} from {action}", { keys: display(keys), action: label }), onclick: () => void act(hooks.remove(name, keys), t('{keys} removed from "{action}".', { keys: display(keys), action: label })) }, "×")),
      );
      const input = h("input", { type: "text", class: "form-control shortcut-input", placeholder: t("add shortcut"), "aria-label": t("New shortcut for {action}", { action: label }), spellcheck: "false" });
      const add = async () => {
        const typed = input.value.trim();
        if (!typed) return;
        if (await act(hooks.add(name, typed), t('"{action}" now has {keys}.', { action: label, keys: display(normalizeShortcut(typed) ?? typed) }))) table.querySelector<HTMLInputElement>(`tr[data-action="${name}"] .shortcut-input`)?.focus();
      };
      adders.set(input, add);
      const button = h("button", { class: "btn btn-xs shortcut-add", onclick: () => void add() }, t("Add"));
      table.append(h("tr", { "data-action": name }, h("td", { class: "shortcut-label" }, label), h("td", { class: "shortcut-keys" }, ...chips), h("td", { class: "shortcut-new" }, input, button)));
    }
    if (focused) table.querySelector<HTMLElement>(`tr[data-action="${focused}"] .shortcut-input`)?.focus();
  };
  draw();
  const help = h("p", { class: "shortcut-help" }, t("Command-mode shortcuts: type one or two key presses, such as shift-k, ctrl-alt-x or g,g. Saved in nbconfig/notebook.json and in effect at once."));
  // Ahead of the dialog's own key handling (registered when it opens, it would close on
  // Enter), so Enter in a box adds its shortcut.
  const enter = (event: KeyboardEvent) => {
    const add = event.key === "Enter" && event.target instanceof HTMLInputElement ? adders.get(event.target) : undefined;
    if (!add) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    void add();
  };
  document.addEventListener("keydown", enter, true);
  try {
    await choiceDialog(t("Edit Keyboard Shortcuts"), h("div", { class: "shortcut-dialog" }, help, message, h("div", { class: "shortcut-scroll" }, table)), [{ label: t("Close"), value: "close", primary: true }]);
  } finally {
    document.removeEventListener("keydown", enter, true);
  }
}
