// The Attachments cell toolbar: a Markdown cell's attachments, each with a thumbnail and a
// button that removes it. Edits go through the model (model/attachments.ts).

import { attachmentsOf, attachmentUrl, canAttach, removeAttachment } from "../model/attachments";
import type { Cell } from "../model/cell";
import { t } from "../i18n";
import { h } from "./dom";

/** The list for `cell`, or null for cells that cannot hold attachments and hold none. */
export function attachmentsBar(cell: Cell): HTMLElement | null {
  const items = attachmentsOf(cell);
  if (!canAttach(cell) && items.length === 0) return null;
  const list = h("span", { class: "attachment-list" }, h("span", { class: "attachment-label" }, t("Attachments:")));
  if (items.length === 0) list.append(h("span", { class: "attachment-none" }, t("none (paste or drop an image into the cell)")));
  for (const { name, mime, used } of items) {
    const src = attachmentUrl(cell.attachments, name);
    const title = used ? `${name} (${mime})` : t("{name} ({type}): not used in the cell, so not saved", { name, type: mime });
    list.append(
      h(
        "span",
        { class: `cell-attachment${used ? "" : " unused"}`, "data-name": name, title },
        src ? h("img", { class: "attachment-thumb", src, alt: "" }) : null,
        h("span", { class: "attachment-name" }, name),
        h("button", { class: "attachment-remove", title: t("Remove attachment {name}", { name }), "aria-label": t("Remove attachment {name}", { name }), onclick: () => removeAttachment(cell, name) }, "×"),
      ),
    );
  }
  return list;
}
