// Metadata edits as the cell toolbar and the metadata editors make them: tags, raw format,
// slide type, whole-metadata JSON; validated against nbformat 4's schema rules, DOM-free.

import type { Cell } from "./cell";
import type { Notebook } from "./notebook";
import type { CellType, JsonObject } from "./types";

export type Result = { ok: true } | { ok: false; error: string };

const OK: Result = { ok: true };
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** The cell toolbars of the classic notebook's View > Cell Toolbar, by their metadata name. */
export const CELL_TOOLBARS = ["None", "Edit Metadata", "Raw Cell Format", "Slideshow", "Attachments", "Tags"] as const;
export type CellToolbarName = (typeof CELL_TOOLBARS)[number];

/** The raw cell formats the classic notebook offers, [label, MIME type]. */
export const RAW_FORMATS: [string, string][] = [
  ["-", ""],
  ["LaTeX", "text/latex"],
  ["reST", "text/restructuredtext"],
  ["HTML", "text/html"],
  ["Markdown", "text/markdown"],
  ["Python", "text/x-python"],
  ["PDF", "application/pdf"],
];

export const SLIDE_TYPES: [string, string][] = [
  ["-", "-"],
  ["Slide", "slide"],
  ["Sub-Slide", "subslide"],
  ["Fragment", "fragment"],
  ["Skip", "skip"],
  ["Notes", "notes"],
];

/** The notebook's chosen cell toolbar ("None" when unset or unknown). */
export function cellToolbarOf(nb: Notebook): CellToolbarName {
  const value = nb.metadata.celltoolbar;
  return (CELL_TOOLBARS as readonly unknown[]).includes(value) ? (value as CellToolbarName) : "None";
}

/** Chooses the cell toolbar; kept in metadata.celltoolbar (removed for None) as the classic does. */
export function setCellToolbar(nb: Notebook, name: CellToolbarName): void {
  if (cellToolbarOf(nb) === name && (name !== "None" || !("celltoolbar" in nb.metadata))) return;
  nb.setMetadata("celltoolbar", name === "None" ? undefined : name);
  nb.setDirty(true);
}

// --- tags -----------------------------------------------------------------------------

export function tagsOf(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** Why a tag cannot be used, or null when it can. */
export function tagError(tag: string): string | null {
  if (tag === "") return "A tag cannot be empty.";
  if (/\s/.test(tag)) return `A tag cannot contain spaces: "${tag}".`;
  // nbformat's schema: a tag is a string without commas.
  if (tag.includes(",")) return `A tag cannot contain commas: "${tag}".`;
  return null;
}

/** Adds tags (the input may hold several, separated by spaces); all valid, or none is added. */
export function addTags(cell: Cell, input: string): Result {
  const words = input.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return fail("Type a tag to add.");
  for (const word of words) {
    const error = tagError(word);
    if (error) return fail(error);
  }
  const tags = tagsOf(cell);
  const fresh = words.filter((w, i) => !tags.includes(w) && words.indexOf(w) === i);
  if (fresh.length === 0) return fail(words.length === 1 ? `The cell already has the tag "${words[0]}".` : "The cell already has these tags.");
  cell.setMetadataKey("tags", [...tags, ...fresh]);
  return OK;
}

export function removeTag(cell: Cell, tag: string): void {
  const tags = tagsOf(cell).filter((t) => t !== tag);
  cell.setMetadataKey("tags", tags.length ? tags : undefined);
}

// --- raw format and slides ------------------------------------------------------------------

/** The raw cell's format: nbformat's `format`, or the classic notebook's `raw_mimetype`. */
export function rawFormatOf(cell: Cell): string {
  const { format, raw_mimetype: mime } = cell.metadata;
  return typeof format === "string" ? format : typeof mime === "string" ? mime : "";
}

/**
 * Sets the raw cell's format ("" clears it). Written to `format` (nbformat's schema) and to
 * `raw_mimetype`, which nbconvert's templates and the classic notebook read.
 */
export function setRawFormat(cell: Cell, mime: string): Result {
  const value = mime.trim();
  if (/\s/.test(value) || (value && !/^[\w.+-]+\/[\w.+-]+$/.test(value))) return fail(`Not a MIME type: "${mime}" (for example text/latex).`);
  const next: JsonObject = { ...cell.metadata };
  delete next.format;
  delete next.raw_mimetype;
  if (value) Object.assign(next, { format: value, raw_mimetype: value });
  cell.replaceMetadata(next);
  return OK;
}

export function slideTypeOf(cell: Cell): string {
  const slideshow = cell.metadata.slideshow;
  const type = isObject(slideshow) ? slideshow.slide_type : undefined;
  return typeof type === "string" ? type : "-";
}

export function setSlideType(cell: Cell, type: string): Result {
  if (!SLIDE_TYPES.some(([, v]) => v === type)) return fail(`Unknown slide type: "${type}".`);
  const slideshow = isObject(cell.metadata.slideshow) ? cell.metadata.slideshow : {};
  cell.setMetadataKey("slideshow", { ...slideshow, slide_type: type });
  return OK;
}

// --- whole metadata as JSON -----------------------------------------------------------------

/** A cell's metadata as the editor shows it (without the transient `trusted`). */
export function cellMetadataText(cell: Cell): string {
  const { trusted: _trusted, ...rest } = cell.metadata;
  return JSON.stringify(rest, null, 2);
}

/** Parses and validates the editor's text; the metadata changes only when all is well. */
export function editCellMetadata(cell: Cell, text: string): Result {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const error = cellMetadataError(parsed.value, cell.type);
  if (error) return fail(error);
  cell.replaceMetadata(parsed.value);
  return OK;
}

export function notebookMetadataText(nb: Notebook): string {
  return JSON.stringify(nb.metadata, null, 2);
}

export function editNotebookMetadata(nb: Notebook, text: string): Result {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const error = notebookMetadataError(parsed.value);
  if (error) return fail(error);
  nb.replaceMetadata(parsed.value);
  return OK;
}

export function parseObject(text: string): { ok: true; value: JsonObject } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`Invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(value)) return fail(`The metadata must be a JSON object ({…}), not ${describe(value)}.`);
  return { ok: true, value };
}

/** nbformat 4.5's rules for cell metadata (the keys it defines; others are free). */
export function cellMetadataError(meta: JsonObject, type: CellType): string | null {
  if ("tags" in meta) {
    const tags = meta.tags;
    if (!Array.isArray(tags)) return '"tags" must be a list of strings.';
    for (const tag of tags) {
      if (typeof tag !== "string") return '"tags" must be a list of strings.';
      const error = tagError(tag);
      if (error) return error;
    }
    if (new Set(tags).size !== tags.length) return '"tags" must not repeat a tag.';
  }
  if ("name" in meta && (typeof meta.name !== "string" || meta.name === "")) return '"name" must be a non-empty string.';
  if ("jupyter" in meta && !isObject(meta.jupyter)) return '"jupyter" must be an object.';
  if (isObject(meta.jupyter)) {
    for (const key of ["source_hidden", "outputs_hidden"]) {
      if (key in meta.jupyter && typeof meta.jupyter[key] !== "boolean") return `"jupyter.${key}" must be true or false.`;
    }
  }
  if (type === "raw" && "format" in meta && typeof meta.format !== "string") return '"format" must be a string (a MIME type).';
  if (type === "code") {
    if ("collapsed" in meta && typeof meta.collapsed !== "boolean") return '"collapsed" must be true or false.';
    if ("scrolled" in meta && ![true, false, "auto"].includes(meta.scrolled as never)) return '"scrolled" must be true, false or "auto".';
    if ("execution" in meta && !isObject(meta.execution)) return '"execution" must be an object.';
  }
  if ("slideshow" in meta && !isObject(meta.slideshow)) return '"slideshow" must be an object.';
  return null;
}

/** nbformat 4.5's rules for the notebook's metadata. */
export function notebookMetadataError(meta: JsonObject): string | null {
  if ("kernelspec" in meta) {
    const spec = meta.kernelspec;
    if (!isObject(spec)) return '"kernelspec" must be an object with "name" and "display_name".';
    for (const key of ["name", "display_name"]) {
      if (typeof spec[key] !== "string") return `"kernelspec.${key}" is required and must be a string.`;
    }
  }
  if ("language_info" in meta) {
    const info = meta.language_info;
    if (!isObject(info)) return '"language_info" must be an object with a "name".';
    if (typeof info.name !== "string") return '"language_info.name" is required and must be a string.';
    for (const key of ["file_extension", "mimetype", "pygments_lexer"]) {
      if (key in info && typeof info[key] !== "string") return `"language_info.${key}" must be a string.`;
    }
    if ("codemirror_mode" in info && typeof info.codemirror_mode !== "string" && !isObject(info.codemirror_mode)) return '"language_info.codemirror_mode" must be a string or an object.';
  }
  if ("orig_nbformat" in meta && !(Number.isInteger(meta.orig_nbformat) && (meta.orig_nbformat as number) >= 1)) return '"orig_nbformat" must be an integer of at least 1.';
  if ("title" in meta && typeof meta.title !== "string") return '"title" must be a string.';
  if ("authors" in meta && (!Array.isArray(meta.authors) || !meta.authors.every(isObject))) return '"authors" must be a list of objects.';
  return null;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}
