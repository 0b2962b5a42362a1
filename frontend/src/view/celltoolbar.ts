// The cell toolbar of the classic notebook (View > Cell Toolbar): one bar on top of each
// cell for the chosen mode. All edits go through the model (model/metadata.ts).

import type { Cell } from "../model/cell";
import {
  addTags,
  type CellToolbarName,
  cellMetadataText,
  editCellMetadata,
  RAW_FORMATS,
  rawFormatOf,
  removeTag,
  setRawFormat,
  setSlideType,
  SLIDE_TYPES,
  slideTypeOf,
  tagsOf,
} from "../model/metadata";
import { attachmentsBar } from "./attachmentbar";
import { notify, promptDialog } from "./dialog";
import { h } from "./dom";
import { jsonDialog } from "./jsondialog";
import { t } from "../i18n";

const CUSTOM = "custom";

/** The bar for `name` on `cell`, or null when the mode shows nothing for it. */
export function renderCellToolbar(cell: Cell, name: CellToolbarName): HTMLElement | null {
  switch (name) {
    case "Tags":
      return bar("tags", tagsBar(cell));
    case "Edit Metadata":
      return bar("metadata", h("button", { class: "btn btn-sm edit-metadata", onclick: () => void editMetadata(cell) }, t("Edit Metadata")));
    case "Raw Cell Format":
      return cell.type === "raw" ? bar("raw", h("label", {}, `${t("Raw NBConvert Format")} `, rawSelect(cell))) : null;
    case "Slideshow":
      return bar("slideshow", h("label", {}, `${t("Slide Type")} `, slideSelect(cell)));
    case "Attachments": {
      const list = attachmentsBar(cell);
      return list ? bar("attachments", list) : null;
    }
    default:
      return null;
  }
}

function bar(mode: string, ...content: HTMLElement[]): HTMLElement {
  return h("div", { class: `celltoolbar celltoolbar-${mode}` }, ...content);
}

function tagsBar(cell: Cell): HTMLElement {
  const list = h("span", { class: "tag-list" });
  for (const tag of tagsOf(cell)) {
    list.append(h("span", { class: "cell-tag", "data-tag": tag }, tag, h("button", { class: "tag-remove", title: t("Remove tag {tag}", { tag }), "aria-label": t("Remove tag {tag}", { tag }), onclick: () => removeTag(cell, tag) }, "×")));
  }
  const input = h("input", { type: "text", class: "form-control add-tag", placeholder: t("Add tag"), "aria-label": t("Add tag") });
  const add = () => {
    const result = addTags(cell, input.value);
    if (!result.ok) {
      notify(result.error, "error", 5000);
      return;
    }
    // The bar was redrawn (the cell's metadata changed): the fresh input takes the next tag.
    host?.querySelector<HTMLInputElement>("input.add-tag")?.focus();
  };
  let host: Element | null = null;
  input.addEventListener("focus", () => (host = input.closest(".celltoolbar-host")));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      add();
    }
  });
  return h("span", { class: "tag-editor" }, list, input, h("button", { class: "btn btn-sm add-tag-btn", onclick: add }, t("Add tag")));
}

async function editMetadata(cell: Cell): Promise<void> {
  const help = t("Edit the cell's metadata as JSON (an object). Keep custom keys under a name of your own, so they do not clash with others'.");
  await jsonDialog(t("Edit Cell Metadata"), help, cellMetadataText(cell), (text) => editCellMetadata(cell, text));
}

function rawSelect(cell: Cell): HTMLSelectElement {
  const current = rawFormatOf(cell);
  const select = h("select", { class: "form-control raw-format", "aria-label": t("Raw NBConvert Format") });
  const known = RAW_FORMATS.some(([, mime]) => mime === current);
  for (const [label, mime] of RAW_FORMATS) select.append(h("option", { value: mime }, label));
  if (!known) select.append(h("option", { value: current }, current));
  select.append(h("option", { value: CUSTOM }, t("Other…")));
  select.value = current;
  select.addEventListener("change", async () => {
    let mime: string | null = select.value;
    if (mime === CUSTOM) mime = await promptDialog(t("Raw Cell MIME Type"), t("The MIME type of this raw cell (for example text/latex):"), current);
    if (mime === null) {
      select.value = current;
      return;
    }
    const result = setRawFormat(cell, mime);
    if (!result.ok) {
      notify(result.error, "error", 5000);
      select.value = current;
    }
  });
  return select;
}

function slideSelect(cell: Cell): HTMLSelectElement {
  const select = h("select", { class: "form-control slide-type", "aria-label": t("Slide Type") });
  for (const [label, type] of SLIDE_TYPES) select.append(h("option", { value: type }, t(label)));
  select.value = slideTypeOf(cell);
  select.addEventListener("change", () => void setSlideType(cell, select.value));
  return select;
}
