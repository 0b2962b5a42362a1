// Cell attachments (nbformat's `attachments`: name -> {mime: base64}) as Markdown cells use
// them: images pasted, dropped or inserted, referenced as `attachment:NAME`, dropped on save
// when the source no longer uses them (as Jupyter does). DOM-free.

import { t } from "../i18n";
import type { Cell } from "./cell";
import type { JsonObject, NbCell, NbDocument } from "./types";
import { joinText } from "./types";

export type Attached = { ok: true; name: string; markdown: string } | { ok: false; error: string };

/** The image types a cell may hold as attachments (what an <img> shows), preferred first. */
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "image/bmp"];

const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/svg+xml": "svg",
  "image/bmp": "bmp",
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface AttachmentInfo {
  name: string;
  mime: string;
  /** Whether the cell's source refers to it; unused ones are not saved. */
  used: boolean;
}

/** Only Markdown cells take new attachments (raw cells keep the ones they have). */
export function canAttach(cell: Cell): boolean {
  return cell.type === "markdown";
}

export function attachmentsOf(cell: Cell): AttachmentInfo[] {
  const used = usedNames(cell.source);
  return Object.entries(cell.attachments ?? {}).map(([name, bundle]) => ({
    name,
    mime: isObject(bundle) ? (Object.keys(bundle)[0] ?? "") : "",
    used: used.has(name),
  }));
}

/** A name safe in a Markdown link (no spaces or brackets), with the type's extension. */
export function cleanName(name: string, mime: string): string {
  const ext = EXTENSIONS[mime] ?? "png";
  const base = (name.split(/[\\/]/).pop() ?? "")
    .replace(/[^\w.-]+/g, "_")
    .replace(/^[._]+/, "");
  if (!base) return `image.${ext}`;
  return /\.[A-Za-z0-9]+$/.test(base) ? base : `${base}.${ext}`;
}

/** `name`, or name-1, name-2... when the cell already holds another image under it. */
export function freeName(existing: JsonObject | undefined, name: string, mime: string, data: string): string {
  const taken = (candidate: string) => {
    const bundle = existing?.[candidate];
    if (bundle === undefined) return false;
    // The same image pasted again is the same attachment.
    return !(isObject(bundle) && joinText(bundle[mime]) === data);
  };
  if (!taken(name)) return name;
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let i = 1; ; i++) {
    const candidate = `${stem}-${i}${ext}`;
    if (!taken(candidate)) return candidate;
  }
}

/** The image type a file name says, for files the browser gives no type ("" if none). */
export function imageTypeOf(fileName: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1].toLowerCase() ?? "";
  if (ext === "jpeg") return "image/jpeg";
  return Object.entries(EXTENSIONS).find(([, known]) => known === ext)?.[0] ?? "";
}

export function imageMarkdown(name: string): string {
  return `![${name}](attachment:${name})`;
}

/** Attaches an image (base64 data) to a Markdown cell; the Markdown that shows it, to insert. */
export function attachImage(cell: Cell, fileName: string, mime: string, base64: string): Attached {
  if (!canAttach(cell)) return { ok: false, error: t("Images can be attached to Markdown cells only.") };
  if (!IMAGE_TYPES.includes(mime)) return { ok: false, error: t("Only images can be attached ({file} is {type}).", { file: fileName || t("this file"), type: mime || t("of an unknown type") }) };
  const data = base64.replace(/\s+/g, "");
  if (!data || !BASE64.test(data)) return { ok: false, error: t("Could not read the image {file}.", { file: fileName }) };
  const name = freeName(cell.attachments, cleanName(fileName, mime), mime, data);
  cell.setAttachments({ ...(cell.attachments ?? {}), [name]: { [mime]: data } });
  return { ok: true, name, markdown: imageMarkdown(name) };
}

export function removeAttachment(cell: Cell, name: string): void {
  if (!cell.attachments || !(name in cell.attachments)) return;
  const { [name]: _removed, ...rest } = cell.attachments;
  cell.setAttachments(rest);
}

/**
 * The sources and attachments of cells merged into one: an attachment whose name another cell
 * already used for another image is renamed, and its references with it.
 */
export function mergeAttachments(cells: readonly Cell[]): { sources: string[]; attachments: JsonObject | undefined } {
  let merged: JsonObject | undefined;
  const sources = cells.map((cell) => {
    let source = cell.source;
    for (const [name, bundle] of Object.entries(cell.attachments ?? {})) {
      const [mime, value] = isObject(bundle) ? (Object.entries(bundle)[0] ?? ["", ""]) : ["", ""];
      const free = freeName(merged, name, mime, joinText(value));
      if (free !== name) source = source.replace(reference(name), `attachment:${free}`);
      merged = { ...(merged ?? {}), [free]: bundle };
    }
    return source;
  });
  return { sources, attachments: merged };
}

/** The attachment names a source refers to (`attachment:NAME` in Markdown or HTML). */
export function usedNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const match of source.matchAll(/attachment:([^\s)"'<>]+)/g)) {
    names.add(match[1]);
    names.add(decode(match[1]));
  }
  return names;
}

/** The document as saved: each cell keeps only the attachments its source uses (none: no key). */
export function withoutUnusedAttachments(doc: NbDocument): NbDocument {
  return { ...doc, cells: doc.cells.map(pruneCell) };
}

function pruneCell(cell: NbCell): NbCell {
  if (!cell.attachments) return cell;
  const used = usedNames(joinText(cell.source));
  const kept = Object.fromEntries(Object.entries(cell.attachments).filter(([name]) => used.has(name)));
  const { attachments: _all, ...rest } = cell;
  return Object.keys(kept).length ? { ...rest, attachments: kept } : rest;
}

/**
 * The data: URL of the image attachment `name` (a percent-encoded name too), or null: an
 * image type only, and base64 only, so an attachment can show a picture and nothing else.
 */
export function attachmentUrl(attachments: JsonObject | undefined, name: string): string | null {
  const bundle = attachments?.[name] ?? attachments?.[decode(name)];
  if (!isObject(bundle)) return null;
  const mime = IMAGE_TYPES.find((type) => type in bundle);
  if (!mime) return null;
  const data = joinText(bundle[mime]);
  const compact = data.replace(/\s+/g, "");
  if (compact && BASE64.test(compact)) return `data:${mime};base64,${compact}`;
  // nbformat keeps SVG as text in output bundles; some tools attach it that way too.
  if (mime === "image/svg+xml" && data.trimStart().startsWith("<")) return `data:${mime},${encodeURIComponent(data)}`;
  return null;
}

/** A FileReader data: URL split into its type and base64 data (null if it is not one). */
export function parseDataUrl(url: string): { mime: string; base64: string } | null {
  const match = /^data:([^;,]*)(?:;[^;,]*)*;base64,(.*)$/s.exec(url);
  return match ? { mime: match[1], base64: match[2] } : null;
}

/** `attachment:NAME` where it ends (as usedNames reads it), not a longer name it begins. */
function reference(name: string): RegExp {
  return new RegExp(`attachment:${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=[\\s)"'<>]|$)`, "g");
}

function decode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
