// Widget state in the notebook metadata, as classic Jupyter's "Save Notebook Widget State":
// metadata.widgets["application/vnd.jupyter.widget-state+json"] = {version_major: 2,
// version_minor: 0, state: {model_id: {model_name, model_module, model_module_version,
// state, buffers?}}}. DOM-free: the widget manager produces and consumes the state.

import type { NbDocument } from "../model/types";

export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";

export interface ModelState {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
  buffers?: { path: (string | number)[]; data: string; encoding: "base64" | "hex" }[];
}

export interface WidgetState {
  version_major: number;
  version_minor: number;
  state: Record<string, ModelState>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The saved state of a notebook's metadata, or null when absent or not readable. */
export function readWidgetState(metadata: Record<string, unknown>): WidgetState | null {
  const widgets = metadata.widgets;
  if (!isObject(widgets)) return null;
  const saved = widgets[WIDGET_STATE_MIME];
  if (!isObject(saved) || !isObject(saved.state)) return null;
  if (typeof saved.version_major !== "number" || saved.version_major > 2) return null;
  const state: Record<string, ModelState> = {};
  for (const [id, model] of Object.entries(saved.state)) {
    if (!isObject(model) || typeof model.model_name !== "string" || typeof model.model_module !== "string") continue;
    state[id] = {
      model_name: model.model_name,
      model_module: model.model_module,
      model_module_version: typeof model.model_module_version === "string" ? model.model_module_version : "",
      state: isObject(model.state) ? model.state : {},
      ...(Array.isArray(model.buffers) ? { buffers: model.buffers as ModelState["buffers"] } : {}),
    };
  }
  return { version_major: saved.version_major, version_minor: typeof saved.version_minor === "number" ? saved.version_minor : 0, state };
}

/** Writes `state` into the metadata (or removes the entry when there is nothing to keep). */
export function writeWidgetState(metadata: Record<string, unknown>, state: WidgetState | null): void {
  const widgets = isObject(metadata.widgets) ? { ...metadata.widgets } : {};
  if (state && Object.keys(state.state).length > 0) widgets[WIDGET_STATE_MIME] = state;
  else delete widgets[WIDGET_STATE_MIME];
  if (Object.keys(widgets).length > 0) metadata.widgets = widgets;
  else delete metadata.widgets;
}

function collectRefs(value: unknown, into: Set<string>): void {
  if (typeof value === "string") {
    if (value.startsWith("IPY_MODEL_")) into.add(value.slice("IPY_MODEL_".length));
  } else if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (isObject(value)) {
    for (const item of Object.values(value)) collectRefs(item, into);
  }
}

function viewIds(outputs: unknown, into: Set<string>): void {
  if (!Array.isArray(outputs)) return;
  for (const output of outputs) {
    if (!isObject(output) || !isObject(output.data)) continue;
    const view = output.data[WIDGET_VIEW_MIME];
    if (isObject(view) && typeof view.model_id === "string") into.add(view.model_id);
  }
}

/** The model ids the notebook's outputs display. */
export function displayedModelIds(doc: Pick<NbDocument, "cells">): Set<string> {
  const ids = new Set<string>();
  for (const cell of doc.cells) viewIds((cell as { outputs?: unknown }).outputs, ids);
  return ids;
}

/**
 * Keeps only the models a displayed widget needs: the displayed ones, what their state
 * references (IPY_MODEL_ strings: children, layouts, styles, links) and what the outputs
 * of Output widgets display, transitively. Stale models of earlier runs are dropped so
 * the saved state does not grow with every save.
 */
export function pruneWidgetState(state: WidgetState, roots: Iterable<string>): WidgetState {
  const keep: Record<string, ModelState> = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (id in keep || !(id in state.state)) continue;
    const model = state.state[id];
    keep[id] = model;
    const refs = new Set<string>();
    collectRefs(model.state, refs);
    viewIds(model.state.outputs, refs);
    queue.push(...refs);
  }
  // Links (jslink) are not referenced by what they link; keep those whose ends are kept.
  for (const [id, model] of Object.entries(state.state)) {
    if (id in keep || !/LinkModel$/.test(model.model_name)) continue;
    const refs = new Set<string>();
    collectRefs(model.state, refs);
    if (refs.size > 0 && [...refs].every((ref) => ref in keep)) keep[id] = model;
  }
  return { version_major: 2, version_minor: 0, state: keep };
}
