// The front-end config (the classic notebook's nbconfig): sections from /api/config/NAME,
// and what the notebook page takes from them. DOM-free: tested in vitest.
//
//   {"CodeCell": {"cm_config": {"lineNumbers": true}}}       line numbers in code cells
//   {"Cell": {"cm_config": {"indentUnit": 2, "tabSize": 2, "lineWrapping": false}}}
//   {"Notebook": {"Header": false, "Toolbar": false}}          hide the header / toolbar
// `common` applies to every page; `notebook` is merged over it.

import type { CellType } from "../model/types";
import type { CmOptions } from "../view/editor";

export type Section = Record<string, unknown>;

interface Caller {
  call<T>(method: string, url: string, body?: unknown): Promise<T>;
}

/** One section; {} (with a console warning) when it cannot be read: the page goes on. */
export async function fetchSection(api: Caller, name: string): Promise<Section> {
  try {
    const data = await api.call<unknown>("GET", `api/config/${encodeURIComponent(name)}`);
    return isObject(data) ? data : {};
  } catch (error) {
    console.warn(`Carnet: the front-end config "${name}" is not applied:`, error instanceof Error ? error.message : error);
    return {};
  }
}

/** `common` with the page's section merged over it, recursively. */
export async function fetchPageConfig(api: Caller, page: string): Promise<Section> {
  const [common, own] = await Promise.all([fetchSection(api, "common"), fetchSection(api, page)]);
  return merge(common, own);
}

export function merge(base: Section, over: Section): Section {
  const out: Section = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isObject(value) && isObject(current) ? merge(current, value) : value;
  }
  return out;
}

const CLASS_OF: Record<CellType, string> = { code: "CodeCell", markdown: "MarkdownCell", raw: "RawCell" };

/** The editor options of one cell type: Cell.cm_config, then the type's own over it. */
export function cmOptions(config: Section, type: CellType): CmOptions {
  const all = { ...cmConfig(config, "Cell"), ...cmConfig(config, CLASS_OF[type]) };
  const out: CmOptions = {};
  if (typeof all.lineNumbers === "boolean") out.lineNumbers = all.lineNumbers;
  if (typeof all.lineWrapping === "boolean") out.lineWrapping = all.lineWrapping;
  if (isCount(all.indentUnit)) out.indentUnit = all.indentUnit;
  if (isCount(all.tabSize)) out.tabSize = all.tabSize;
  return out;
}

export function cmOptionsByType(config: Section): Record<CellType, CmOptions> {
  return { code: cmOptions(config, "code"), markdown: cmOptions(config, "markdown"), raw: cmOptions(config, "raw") };
}

/** Notebook.Header / Notebook.Toolbar: false hides them; anything else leaves them shown. */
export function visibility(config: Section): { header: boolean; toolbar: boolean } {
  const nb = isObject(config.Notebook) ? config.Notebook : {};
  return { header: nb.Header !== false, toolbar: nb.Toolbar !== false };
}

function cmConfig(config: Section, cls: string): Section {
  const section = config[cls];
  const cm = isObject(section) ? section.cm_config : undefined;
  return isObject(cm) ? cm : {};
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 16;
}

function isObject(value: unknown): value is Section {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
