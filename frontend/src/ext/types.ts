// The public API of front-end extensions: `window.carnet.api`, also the argument an
// extension's entry point gets. Version 1: names here keep their meaning; anything else
// on `window.carnet` is Carnet's internals and may change. README.md ("Extensions")
// documents it with an example.

export type PageName = "tree" | "notebook" | "edit" | "terminal";
export type KeyMode = "command" | "edit";

export interface CommandSpec {
  /** "my-ext:do-thing"; a name without ':' gets the prefix "extension:". */
  id: string;
  /** Shown in menus, toolbar tooltips and the shortcuts help. */
  label: string;
  run: () => unknown;
  /** A shortcut in command mode ("Shift-E", "Ctrl-Shift-E", "g,g"). */
  keys?: string;
}

export interface CommandInfo {
  id: string;
  label: string;
  keys?: string;
}

export interface Commands {
  /** Registers a command; its full id. On the notebook page it can then go in a menu,
   * the toolbar and a shortcut, and classic code sees it in Jupyter.actions. */
  register(spec: CommandSpec): string;
  run(id: string): unknown;
  has(id: string): boolean;
  list(): CommandInfo[];
}

export interface Keyboard {
  /** Binds keys to a command in command (default) or edit mode; false when the keys
   * name no key or the command does not exist. */
  add(keys: string, command: string, mode?: KeyMode): boolean;
}

export interface ToolbarButtonSpec {
  command: string;
  /** Text on the button (default: the command's label); the label is the tooltip. */
  text?: string;
}

export interface Toolbar {
  /** A button at the end of the notebook's toolbar; null on other pages or for an
   * unknown command. */
  addButton(spec: ToolbarButtonSpec): HTMLElement | null;
}

export interface Menus {
  /** An item at the end of a notebook menu ("file", "edit", "view", "insert", "cell",
   * "kernel", "help", or a new menu of that title); null as for the toolbar. */
  addItem(menu: string, command: string): HTMLElement | null;
}

/** One cell, as extensions see it: a live handle on the notebook's cell. */
export interface CellHandle {
  readonly id: string;
  readonly index: number;
  readonly type: "code" | "markdown" | "raw";
  source: string;
  /** The cell's outputs in nbformat's JSON form (a copy). */
  outputs(): unknown[];
}

export interface NotebookApi {
  readonly path: string;
  cells(): CellHandle[];
  /** The active (cursor) cell's index. */
  readonly activeIndex: number;
  selectedIndices(): number[];
  select(index: number): void;
  insertCell(index: number, type?: "code" | "markdown" | "raw", source?: string): CellHandle;
  /** Runs the cell at `index` (default: the active one); resolves when it has run. */
  execute(index?: number): Promise<void>;
  executeAll(): void;
  save(): Promise<void>;
}

export interface RenderInfo {
  mime: string;
  bundle: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** False for outputs of a notebook the user has not trusted: never run code from them. */
  trusted: boolean;
}

export type Renderer = (data: unknown, element: HTMLElement, info: RenderInfo) => void;

export interface Renderers {
  /** Renders outputs holding `mime` (preferred over every built-in type); outputs already
   * on the page are drawn again. A renderer that throws shows its error in the output. */
  register(mime: string, render: Renderer): void;
}

export interface PageEventsApi {
  on(name: string, listener: (detail: Record<string, unknown>) => void): void;
  off(name: string, listener: (detail: Record<string, unknown>) => void): void;
}

export interface CarnetApi {
  readonly apiVersion: 1;
  /** Carnet's version. */
  readonly version: string;
  readonly page: PageName;
  readonly baseUrl: string;
  /** page_loaded, notebook_loaded, kernel_ready, cell_execute, cell_executed, notebook_saved */
  readonly events: PageEventsApi;
  readonly commands: Commands;
  readonly keyboard: Keyboard;
  readonly toolbar: Toolbar;
  readonly menus: Menus;
  readonly renderers: Renderers;
  /** The open notebook; null on the other pages (and before the notebook is loaded). */
  readonly notebook: NotebookApi | null;
}

/** What an extension module exports (ES form) or its AMD factory returns (classic form). */
export interface ExtensionModule {
  load_ipython_extension?: (api: CarnetApi) => unknown;
  default?: ((api: CarnetApi) => unknown) | { load_ipython_extension?: (api: CarnetApi) => unknown };
}
