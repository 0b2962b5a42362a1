// The classic notebook's `base/js/namespace` and `base/js/events`, for custom.js and
// classic extensions (through the AMD loader in ./amd). DOM-free: tested in vitest.
//
// `Jupyter._target` is where links that open notebooks go: "_blank" (a new tab, the
// default) or "_self" (this tab), as in the classic notebook.
// The events bridge Carnet's page events to the classic names; handlers are called as
// jQuery's were, `handler(event, data)` with `event.type` the name.

import { carnetAction } from "../model/classicactions";
import { AmdLoader } from "./amd";

type Handler = (event: { type: string }, data?: unknown) => void;

/** Carnet's page events (src/events.ts) -> the classic names they fire. */
export const CLASSIC_NAMES: Record<string, string[]> = {
  page_loaded: ["app_initialized.NotebookApp"],
  notebook_loaded: ["notebook_loaded.Notebook"],
  kernel_ready: ["kernel_ready.Kernel", "kernel_connected.Kernel", "kernel_idle.Kernel"],
  cell_execute: ["execute.CodeCell"],
  cell_executed: ["finished_execute.CodeCell"],
  notebook_saved: ["notebook_saved.Notebook"],
};

// States rather than moments: a handler added after one (an extension loads once the
// page is ready, the kernel often before) is called at once with the last data.
const STICKY = new Set(["app_initialized.NotebookApp", "notebook_loaded.Notebook", "kernel_ready.Kernel", "kernel_connected.Kernel"]);

export class ClassicEvents {
  private handlers = new Map<string, Set<Handler>>();
  private last = new Map<string, unknown>();

  constructor(private readonly log: { error(...args: unknown[]): void } = console) {}

  /** on("a b", h) listens to both names, as jQuery's does. */
  on(names: string, handler: Handler): this {
    for (const name of names.split(/\s+/).filter(Boolean)) {
      if (!this.handlers.has(name)) this.handlers.set(name, new Set());
      this.handlers.get(name)?.add(handler);
      if (this.last.has(name)) this.call(name, handler, this.last.get(name));
    }
    return this;
  }

  one(names: string, handler: Handler): this {
    const once: Handler = (event, data) => {
      this.off(names, once);
      handler(event, data);
    };
    return this.on(names, once);
  }

  off(names: string, handler?: Handler): this {
    for (const name of names.split(/\s+/).filter(Boolean)) {
      if (handler) this.handlers.get(name)?.delete(handler);
      else this.handlers.delete(name);
    }
    return this;
  }

  trigger(name: string, data?: unknown): this {
    if (STICKY.has(name)) this.last.set(name, data);
    for (const handler of [...(this.handlers.get(name) ?? [])]) this.call(name, handler, data);
    return this;
  }

  private call(name: string, handler: Handler, data: unknown): void {
    try {
      handler({ type: name }, data);
    } catch (error) {
      // A broken custom.js or extension must not break the page.
      this.log.error(`Carnet: error in a "${name}" event handler:`, error);
    }
  }
}

export interface ActionLike {
  label: string;
  run(): unknown;
}

/** The classic `Jupyter` object: the subset Carnet offers. */
export interface JupyterNamespace {
  _target: string;
  version: string;
  notebook: unknown;
  actions: ClassicActions;
  keyboard_manager: ClassicKeyboardManager | null;
  toolbar: ClassicToolbar | null;
  events: ClassicEvents;
}

/** Jupyter.actions: call(name), get(name), exists(name), register(action, name); a classic
 * name ("jupyter-notebook:save-notebook") finds Carnet's action of the same meaning
 * (model/classicactions). */
export class ClassicActions {
  private table: Record<string, ActionLike> = {};

  /** The name `name` is registered under (classic names resolved), or null. */
  nameOf(name: string): string | null {
    const resolved = this.resolve(name);
    return resolved in this.table ? resolved : null;
  }

  private resolve(name: string): string {
    if (name in this.table) return name;
    return carnetAction(name);
  }

  attach(table: Record<string, ActionLike>): void {
    this.table = table;
  }

  exists(name: string): boolean {
    return this.resolve(name) in this.table;
  }

  get(name: string): ActionLike | undefined {
    return this.table[this.resolve(name)];
  }

  call(name: string): unknown {
    const action = this.get(name);
    if (!action) throw new Error(`Carnet: no action named "${name}"`);
    return action.run();
  }

  register(action: { handler?: () => unknown; help?: string } | (() => unknown), name: string, prefix = "user"): string {
    const run = typeof action === "function" ? action : (action.handler ?? (() => undefined));
    const label = typeof action === "function" ? name : (action.help ?? name);
    const full = name.includes(":") ? name : `${prefix}:${name}`;
    this.table[full] = { label, run };
    return full;
  }
}

type ClassicActionSpec = { handler?: () => unknown; help?: string };
type Bind = (mode: "command" | "edit", keys: string, name: string) => boolean;

export interface ClassicKeyboardManager {
  actions: ClassicActions;
  command_shortcuts: { add_shortcut(keys: string, action: string | ClassicActionSpec): void };
  edit_shortcuts: { add_shortcut(keys: string, action: string | ClassicActionSpec): void };
}

/** Jupyter.keyboard_manager: `command_shortcuts.add_shortcut("shift-e", action)`, the action
 * a name ("prefix:name", a classic one) or a {handler, help} registered on the spot. */
export function classicKeyboardManager(actions: ClassicActions, bind: Bind): ClassicKeyboardManager {
  let made = 0;
  const shortcuts = (mode: "command" | "edit") => ({
    add_shortcut(keys: string, action: string | ClassicActionSpec): void {
      const name = typeof action === "string" ? actions.nameOf(action) : actions.register(action, `shortcut-${++made}`);
      if (!name) throw new Error(`Carnet: add_shortcut("${keys}"): no action named "${String(action)}"`);
      if (!bind(mode, keys, name)) throw new Error(`Carnet: add_shortcut: "${keys}" names no key`);
    },
  });
  return { actions, command_shortcuts: shortcuts("command"), edit_shortcuts: shortcuts("edit") };
}

type ClassicButton = string | { action?: string; label?: string; callback?: () => unknown };

export interface ClassicToolbar {
  add_buttons_group(buttons: ClassicButton[]): HTMLElement[];
}

/** Jupyter.toolbar.add_buttons_group([...]): action names, or {label, callback} (icons are
 * not drawn: the label is the button's text). */
export function classicToolbar(actions: ClassicActions, add: (name: string, text?: string) => HTMLElement | null): ClassicToolbar {
  let made = 0;
  return {
    add_buttons_group(buttons: ClassicButton[]): HTMLElement[] {
      const out: HTMLElement[] = [];
      for (const button of buttons) {
        const spec = typeof button === "string" ? { action: button } : button;
        const name = spec.action ? actions.nameOf(spec.action) : spec.callback ? actions.register({ handler: spec.callback, help: spec.label }, `button-${++made}`) : null;
        const element = name ? add(name, spec.label) : null;
        if (element) out.push(element);
      }
      return out;
    },
  };
}

/** What the notebook page offers the classic `Jupyter.notebook` (a Carnet NotebookPage). */
export interface NotebookLike {
  model: { cells: readonly unknown[]; activeIndex: number; select(index: number): void };
  saver: { path: string };
  kernel: unknown;
}

/** Jupyter.notebook: the classic basics, over Carnet's page (`carnet.notebook`). */
export function classicNotebook(page: NotebookLike, actions: ClassicActions) {
  return {
    get notebook_path() {
      return page.saver.path;
    },
    get notebook_name() {
      return page.saver.path.split("/").pop() ?? "";
    },
    kernel: page.kernel,
    carnet: page,
    get_cells: () => [...page.model.cells],
    ncells: () => page.model.cells.length,
    get_selected_index: () => page.model.activeIndex,
    get_selected_cell: () => page.model.cells[page.model.activeIndex] ?? null,
    select: (index: number) => page.model.select(index),
    save_notebook: () => actions.call("save"),
    execute_selected_cells: () => actions.call("run"),
    execute_all_cells: () => actions.call("run-all"),
  };
}

export interface PageEventSource {
  on(name: string, listener: (detail: Record<string, unknown>) => void): void;
}

/** The loader with base/js/namespace and base/js/events, bridged to the page's events. */
export function classicModules(version: string, pageEvents: PageEventSource, log = console): { loader: AmdLoader; Jupyter: JupyterNamespace } {
  const events = new ClassicEvents(log);
  const actions = new ClassicActions();
  const Jupyter: JupyterNamespace = { _target: "_blank", version, notebook: null, actions, keyboard_manager: null, toolbar: null, events };
  for (const [name, classic] of Object.entries(CLASSIC_NAMES)) {
    pageEvents.on(name, (detail) => {
      for (const classicName of classic) events.trigger(classicName, detail);
    });
  }
  const loader = new AmdLoader(log);
  loader.provide("base/js/namespace", Jupyter);
  loader.provide("base/js/events", events);
  return { loader, Jupyter };
}

/** Where a link that opens a notebook goes: Jupyter._target when set, else a new tab. */
export function notebookTarget(): string {
  const ns = (globalThis as { Jupyter?: { _target?: unknown } }).Jupyter;
  return typeof ns?._target === "string" && ns._target ? ns._target : "_blank";
}
