// Images into Markdown cells, as cell attachments: pasted or dropped into the cell, or picked
// with Insert > Insert Image. Each becomes `![name](attachment:name)` in the source
// (model/attachments.ts keeps the data; the Markdown renderer shows it).

import { attachImage, canAttach, imageTypeOf, parseDataUrl } from "../../model/attachments";
import type { Cell } from "../../model/cell";
import { t } from "../../i18n";
import { notify } from "../../view/dialog";
import { h } from "../../view/dom";
import type { NotebookPage } from "../notebook";
import type { Actions } from "./header";

type Page = Pick<NotebookPage, "model" | "view" | "enterEdit">;

/** Where the Markdown goes: an editor offset, the cursor of the cell being edited, or the end. */
type Where = number | "cursor" | "end";

/** Paste and drop of images into Markdown cells (listening before CodeMirror does). */
export function installImageInput(page: Page): void {
  const container = page.view.element;
  const cellAt = (target: EventTarget | null): Cell | undefined => {
    const inner = target instanceof Element ? target.closest(".inner-cell") : null;
    const id = inner?.closest(".cell")?.getAttribute("data-cell-id");
    return id ? page.model.cells.find((c) => c.id === id) : undefined;
  };
  container.addEventListener("paste", (event) => {
    const files = imageFiles(event.clipboardData);
    const cell = cellAt(event.target);
    if (files.length === 0 || !cell || !canAttach(cell)) return;
    event.preventDefault();
    event.stopPropagation();
    void attachFiles(page, cell, files, "cursor");
  }, true);
  container.addEventListener("dragover", (event) => {
    const cell = cellAt(event.target);
    if (!cell || !canAttach(cell) || !event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, true);
  container.addEventListener("drop", (event) => {
    const files = Array.from(event.dataTransfer?.files ?? []);
    const cell = cellAt(event.target);
    if (files.length === 0 || !cell) return;
    if (!canAttach(cell)) {
      // CodeMirror would paste an image's bytes into the code as text.
      if (files.some(isImage)) {
        event.preventDefault();
        event.stopPropagation();
        notify(t("Images can be attached to Markdown cells only."), "error", 5000);
      }
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    const editor = page.view.viewOf(cell)?.editor;
    const inEditor = editor && event.target instanceof Node && editor.view.dom.contains(event.target);
    const at = inEditor ? editor.view.posAtCoords({ x: event.clientX, y: event.clientY }) : null;
    void attachFiles(page, cell, files, at ?? "end");
  }, true);
}

export function imageActions(page: Page): Actions {
  return {
    "insert-image": { label: "Insert Image", run: async () => {
      const cell = page.model.activeCell;
      if (!cell || !canAttach(cell)) {
        notify(t("Insert Image puts an image into a Markdown cell: select one (or make this cell Markdown with M) first."), "error", 6000);
        return;
      }
      const editor = page.view.viewOf(cell)?.editor;
      const where: Where = page.model.mode === "edit" && editor ? editor.cursor : "end";
      const files = await pickFiles("image/*");
      if (files.length) await attachFiles(page, cell, files, where);
    } },
  };
}

/** Attaches each file to the cell and inserts the Markdown showing them, in edit mode. */
export async function attachFiles(page: Page, cell: Cell, files: File[], where: Where): Promise<void> {
  const inserted: string[] = [];
  for (const file of files) {
    const parsed = parseDataUrl(await readDataUrl(file).catch(() => ""));
    const type = file.type || imageTypeOf(file.name) || parsed?.mime || "";
    const result = attachImage(cell, file.name, type, parsed?.base64 ?? "");
    if (result.ok) inserted.push(result.markdown);
    else notify(result.error, "error", 6000);
  }
  if (inserted.length) insertText(page, cell, inserted.join("\n"), where);
}

function insertText(page: Page, cell: Cell, text: string, where: Where): void {
  const { model } = page;
  const index = model.indexOf(cell);
  if (index < 0) return;
  const editing = model.mode === "edit" && model.activeIndex === index;
  if (model.activeIndex !== index) model.select(index);
  page.enterEdit();
  const editor = page.view.viewOf(cell)?.ensureEditor();
  if (!editor) return;
  const { doc, selection } = editor.view.state;
  // The cursor counts only in a cell the user was editing (a new editor's cursor is at 0).
  const atCursor = where === "cursor" && editing;
  const from = typeof where === "number" ? where : atCursor ? selection.main.from : doc.length;
  const to = atCursor ? selection.main.to : from;
  // Added at the end of the cell, the image goes on a line of its own.
  const appended = where === "end" || (where === "cursor" && !editing);
  const insert = appended && from > 0 && doc.sliceString(from - 1, from) !== "\n" ? `\n${text}` : text;
  editor.view.dispatch({ changes: { from, to, insert }, selection: { anchor: from + insert.length } });
  editor.focus();
}

function isImage(file: File): boolean {
  return file.type.startsWith("image/") || (!file.type && imageTypeOf(file.name) !== "");
}

function imageFiles(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files = Array.from(data.files);
  const fromItems = Array.from(data.items ?? [])
    .filter((item) => item.kind === "file")
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
  return (files.length ? files : fromItems).filter(isImage);
}

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ""));
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** The browser's file picker; [] when the user cancels. */
function pickFiles(accept: string): Promise<File[]> {
  return new Promise((resolve) => {
    const input = h("input", { type: "file", accept, multiple: true, hidden: true, class: "insert-image-input" });
    const done = (files: File[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener("change", () => done(Array.from(input.files ?? [])));
    input.addEventListener("cancel", () => done([]));
    document.body.append(input);
    input.click();
  });
}
