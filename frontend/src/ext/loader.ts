// Loading front-end extensions, after the page is built: each enabled "name/main" is
// imported from {base_url}nbextensions/name/main.js, one after the other. A module may be
// an ES module (exporting load_ipython_extension, or a default function) or a classic AMD
// one (define([...], function () { return {load_ipython_extension: ...}; })): the page's
// define() is a global, so the AMD form runs as a module too, and its anonymous define
// is caught while that module loads. Whatever goes wrong (404, syntax error, a throw, a
// rejected promise) is one console error naming the extension; the page goes on.
// DOM-free: tested in vitest.

import type { CarnetApi, ExtensionModule } from "./types";

type Section = Record<string, unknown>;

/** Extensions Carnet does itself: enabled in many environments, never loaded. */
export const SUPERSEDED: Record<string, string> = {
  "jupyter-js-widgets/extension": "Carnet renders Jupyter widgets itself",
};

export interface AmdHook {
  origin: string;
  onAnonymous: ((value: unknown) => void) | null;
}

export interface LoaderDeps {
  importModule(url: string): Promise<unknown>;
  amd: AmdHook;
  log: { error(...args: unknown[]): void; debug(...args: unknown[]): void };
}

export type Outcome = "loaded" | "failed" | "skipped";

/** The names nbconfig's load_extensions switches on, then `extra` (the server's), once each. */
export function enabledExtensions(config: Section, extra: readonly string[] = []): string[] {
  const table = config.load_extensions;
  const names: string[] = [];
  if (table && typeof table === "object" && !Array.isArray(table)) {
    for (const [name, on] of Object.entries(table)) if (on === true) names.push(name);
  }
  for (const name of extra) if (!names.includes(name)) names.push(name);
  return names;
}

export function extensionUrl(baseUrl: string, require: string): string {
  const path = require.split("/").map(encodeURIComponent).join("/");
  return `${baseUrl}nbextensions/${path}${require.endsWith(".js") ? "" : ".js"}`;
}

function entryPoint(module: unknown, amdValue: unknown): ((api: CarnetApi) => unknown) | null {
  for (const candidate of [amdValue, module]) {
    if (!candidate || (typeof candidate !== "object" && typeof candidate !== "function")) continue;
    const mod = candidate as ExtensionModule;
    if (typeof mod.load_ipython_extension === "function") return mod.load_ipython_extension;
    if (typeof mod.default === "function") return mod.default;
    if (mod.default && typeof mod.default.load_ipython_extension === "function") return mod.default.load_ipython_extension;
  }
  return null;
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Loads one extension; how it went. */
export async function loadExtension(require: string, baseUrl: string, api: CarnetApi, deps: LoaderDeps): Promise<Outcome> {
  if (require in SUPERSEDED) {
    deps.log.debug(`Carnet: the extension "${require}" is not loaded: ${SUPERSEDED[require]}`);
    return "skipped";
  }
  if (!/^[\w.-]+(\/[\w.-]+)+$/.test(require) || require.split("/").includes("..")) {
    deps.log.error(`Carnet: the extension "${require}" is not a valid name (expected "name/main")`);
    return "failed";
  }
  const url = extensionUrl(baseUrl, require);
  let amdValue: unknown = undefined;
  let module: unknown;
  deps.amd.origin = `the extension "${require}"`;
  deps.amd.onAnonymous = (value) => (amdValue = value);
  try {
    module = await deps.importModule(url);
  } catch (error) {
    deps.log.error(`Carnet: the extension "${require}" could not be loaded from ${url}: ${message(error)}`, error);
    return "failed";
  } finally {
    deps.amd.origin = "custom.js";
    deps.amd.onAnonymous = null;
  }
  const entry = entryPoint(module, amdValue);
  if (!entry) return "loaded"; // a module that does its work when it runs
  try {
    await entry(api);
  } catch (error) {
    deps.log.error(`Carnet: the extension "${require}" failed in load_ipython_extension: ${message(error)}`, error);
    return "failed";
  }
  return "loaded";
}

/** Loads the extensions in order, each after the previous one; their outcomes. */
export async function loadExtensions(requires: readonly string[], baseUrl: string, api: CarnetApi, deps: LoaderDeps): Promise<Record<string, Outcome>> {
  const outcomes: Record<string, Outcome> = {};
  for (const require of requires) outcomes[require] = await loadExtension(require, baseUrl, api, deps);
  return outcomes;
}
