// Builds `window.carnet.api` (the CarnetApi of ./types) for a page. Commands live in a
// table that becomes the notebook page's actions once it is attached, so a command an
// extension registers is one more action: menus, toolbar, shortcuts and Jupyter.actions
// see it like Carnet's own.

import { addShortcut } from "../model/keys";
import type { Cell } from "../model/cell";
import type { Notebook } from "../model/notebook";
import { registerRenderer } from "./renderers";
import type { CarnetApi, CellHandle, CommandSpec, NotebookApi, PageEventsApi, PageName } from "./types";

interface Action {
  label: string;
  run(): void | Promise<void>;
  keys?: string;
}

/** What the API needs of the notebook page (pages/notebook's NotebookPage). */
export interface NotebookPageLike {
  model: Notebook;
  actions: Record<string, Action>;
  header: { addToolbarButton(name: string, content?: (Node | string)[]): HTMLElement | null; addMenuItem(menu: string, name: string): HTMLElement | null };
  kernel: { run(cell: Cell): Promise<void> };
  saver: { path: string; save(checkpoint?: boolean): Promise<void> };
  /** The command-mode shortcuts in effect (the defaults with the user's edits over them). */
  keys: { refresh(): void };
  /** Draws again the outputs holding `mime` (a renderer for it came). */
  redrawOutputs(mime: string): void;
}

export interface PageApi {
  api: CarnetApi;
  attachNotebook(page: NotebookPageLike): void;
}

function fullId(id: string): string {
  if (typeof id !== "string" || !id.trim()) throw new Error("Carnet: a command needs an id");
  return id.includes(":") ? id : `extension:${id}`;
}

function cellHandle(nb: Notebook, cell: Cell): CellHandle {
  return {
    id: cell.id,
    get index() {
      return nb.indexOf(cell);
    },
    get type() {
      return cell.type;
    },
    get source() {
      return cell.source;
    },
    set source(value: string) {
      cell.source = String(value);
    },
    outputs: () => structuredClone(cell.outputs.toJSON()) as unknown[],
  };
}

function notebookApi(page: NotebookPageLike): NotebookApi {
  const nb = page.model;
  return {
    get path() {
      return page.saver.path;
    },
    cells: () => nb.cells.map((cell) => cellHandle(nb, cell)),
    get activeIndex() {
      return nb.activeIndex;
    },
    selectedIndices: () => nb.selectedCells.map((cell) => nb.indexOf(cell)),
    select: (index) => nb.select(index),
    insertCell: (index, type = "code", source = "") => cellHandle(nb, nb.insert(index, type, source)),
    execute: async (index) => {
      const cell = nb.cells[index ?? nb.activeIndex];
      if (!cell) throw new Error(`Carnet: no cell at index ${index}`);
      if (cell.type === "markdown") cell.rendered = true;
      else if (cell.type === "code") await page.kernel.run(cell);
    },
    executeAll: () => void page.actions["run-all"]?.run(),
    save: () => page.saver.save(true),
  };
}

export function createPageApi(info: { version: string; page: PageName; baseUrl: string; events: PageEventsApi }, log = console): PageApi {
  let table: Record<string, Action> = {};
  let page: NotebookPageLike | null = null;
  let notebook: NotebookApi | null = null;

  const api: CarnetApi = {
    apiVersion: 1,
    version: info.version,
    page: info.page,
    baseUrl: info.baseUrl,
    events: { on: (name, fn) => info.events.on(name, fn), off: (name, fn) => info.events.off(name, fn) },
    commands: {
      register(spec: CommandSpec): string {
        const id = fullId(spec.id);
        if (typeof spec.run !== "function") throw new Error(`Carnet: the command "${id}" has no run function`);
        table[id] = { label: String(spec.label ?? id), run: () => void spec.run(), keys: spec.keys };
        if (spec.keys && !api.keyboard.add(spec.keys, id)) log.error(`Carnet: the shortcut "${spec.keys}" of "${id}" names no key`);
        return id;
      },
      run: (id) => {
        const action = table[id] ?? table[fullId(id)];
        if (!action) throw new Error(`Carnet: no command named "${id}"`);
        return action.run();
      },
      has: (id) => id in table || fullId(id) in table,
      list: () => Object.entries(table).map(([id, a]) => ({ id, label: a.label, ...(a.keys ? { keys: a.keys } : {}) })),
    },
    keyboard: {
      add: (keys, command, mode = "command") => {
        const id = command in table ? command : fullId(command);
        if (!(id in table) || addShortcut(mode, keys, id) === null) return false;
        page?.keys.refresh();
        return true;
      },
    },
    toolbar: {
      addButton: (spec) => page?.header.addToolbarButton(spec.command in table ? spec.command : fullId(spec.command), spec.text ? [spec.text] : []) ?? null,
    },
    menus: {
      addItem: (menu, command) => page?.header.addMenuItem(menu, command in table ? command : fullId(command)) ?? null,
    },
    renderers: {
      register: (mime, render) => {
        registerRenderer(mime, render, log);
        page?.redrawOutputs(mime);
      },
    },
    get notebook() {
      return notebook;
    },
  };

  return {
    api,
    attachNotebook(target: NotebookPageLike): void {
      // Commands registered before the page existed join its actions.
      Object.assign(target.actions, table);
      table = target.actions;
      page = target;
      notebook = notebookApi(target);
    },
  };
}
