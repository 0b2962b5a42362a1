// A JSON editor in a modal dialog: the text is checked by `apply`, and the dialog comes back
// with the message (and the user's text) until it is valid or dismissed.

import type { Result } from "../model/metadata";
import { choiceDialog } from "./dialog";
import { h } from "./dom";
import { t } from "../i18n";

/** True when `apply` accepted an edit; false when the user gave up (Cancel, Escape). */
export async function jsonDialog(title: string, help: string, text: string, apply: (text: string) => Result): Promise<boolean> {
  let error = "";
  for (;;) {
    const editor = h("textarea", { class: "form-control json-editor", spellcheck: "false", rows: "14", "aria-label": title });
    editor.value = text;
    const message = h("p", { class: "json-error", role: "alert" }, error);
    message.hidden = !error;
    const body = h("div", { class: "json-dialog" }, h("p", { class: "json-help" }, help), editor, message);
    const answer = choiceDialog(title, body, [
      { label: t("Cancel"), value: "cancel" },
      { label: t("Apply"), value: "apply", primary: true },
    ]);
    editor.focus();
    if ((await answer) !== "apply") return false;
    text = editor.value;
    const result = apply(text);
    if (result.ok) return true;
    error = result.error;
  }
}
