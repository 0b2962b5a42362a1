// The file browser (/tree): breadcrumbs, sorting (remembered), new, upload, the file list and
// its action bar (treebar.ts), and the running notebooks and kernels.

import { Api, encodePath, type ContentsModel, type KernelspecsModel } from "../kernel/api";
import { nextSort, parseSort, serializeSort, type Sort, type SortKey, sortItems } from "../model/treelist";
import { confirmDialog, notify } from "../view/dialog";
import { h } from "../view/dom";
import { icon } from "../view/icons";
import { notebookTarget } from "./classic";
import type { PageConfig } from "./config";
import { listTerminals, newTerminal, shutdownTerminal, terminalUrl, type TerminalModel } from "./terminals";
import { actionButtons, SelectionControl } from "./treebar";
import { uploadFile } from "./upload";
import { t } from "../i18n";
import { formatSize, relativeTime } from "../model/humanize";

// The list's order, kept between visits as the classic tree's users expect.
const SORT_KEY = "carnet.tree.sort";

const ICON: Record<string, string> = { directory: "folder", notebook: "notebook", file: "file" };

export async function startTreePage(config: PageConfig): Promise<void> {
  const api = new Api(config.baseUrl, config.xsrfToken);
  const page = new TreePage(api, config);
  await page.init();
}

class TreePage {
  private items: ContentsModel[] = [];
  private running = new Set<string>();
  private sort: Sort = parseSort(readStored(SORT_KEY));
  private selection: SelectionControl | null = null;
  private specs: KernelspecsModel | null = null;
  private terminalsEnabled = false;
  private readonly list = h("div", { id: "notebook_list", class: "list" });
  private readonly crumbs = h("ul", { class: "breadcrumb", id: "breadcrumbs" });
  private readonly actions = h("div", { class: "dynamic-buttons" });
  private readonly runningList = h("div", { id: "running_list", class: "list" });
  private readonly newMenu = h("ul", { class: "dropdown-menu", id: "new-menu" });

  constructor(
    private readonly api: Api,
    private readonly config: PageConfig,
  ) {}

  private get dir(): string {
    return this.config.path.replace(/^\/+|\/+$/g, "");
  }

  async init(): Promise<void> {
    document.title = this.dir ? `${this.dir} - Carnet` : `${t("Home")} - Carnet`;
    document.body.classList.add("tree_app");
    const upload = h("input", { type: "file", multiple: true, id: "upload-input", hidden: true });
    upload.addEventListener("change", () => void this.upload(Array.from(upload.files ?? [])).then(() => (upload.value = "")));
    const newToggle = h("button", { class: "btn btn-primary dropdown-toggle", id: "new-dropdown-button" }, `${t("New")} ▾`);
    const newDropdown = h("div", { class: "dropdown" }, newToggle, this.newMenu);
    newToggle.addEventListener("click", (e) => {
      e.stopPropagation();
      newDropdown.classList.toggle("open");
    });
    document.addEventListener("click", () => newDropdown.classList.remove("open"));
    const filesTab = h("div", { id: "notebooks", class: "tab-pane active" },
      h("div", { class: "list-toolbar" }, this.crumbs, h("div", { class: "tree-buttons" }, this.actions,
        h("button", { class: "btn", id: "upload-button", onclick: () => upload.click() }, t("Upload")), newDropdown,
        h("button", { class: "btn", id: "refresh", title: t("Refresh"), onclick: () => void this.refresh() }, icon("refresh")), upload)),
      this.list);
    const runningTab = h("div", { id: "running", class: "tab-pane" }, h("h3", {}, t("Currently running Jupyter processes")), this.runningList);
    const tabs = h("ul", { class: "nav-tabs" });
    for (const [id, label, pane] of [["files", t("Files"), filesTab], ["running-tab", t("Running"), runningTab]] as const) {
      const tab = h("li", { id, class: id === "files" ? "active" : "", onclick: () => {
        tabs.querySelectorAll("li").forEach((t) => t.classList.remove("active"));
        tab.classList.add("active");
        document.querySelectorAll(".tab-pane").forEach((p) => p.classList.remove("active"));
        pane.classList.add("active");
        if (id === "running-tab") void this.refreshRunning();
      } }, label);
      tabs.append(tab);
    }
    const header = h("div", { id: "header" }, h("div", { id: "header-container" },
      h("a", { id: "logo", href: `${this.config.baseUrl}tree` }, icon("notebook", 22), h("span", { class: "logo-text" }, "Carnet"))));
    document.body.replaceChildren(header, h("div", { id: "site" }, h("div", { class: "container tree-container" }, tabs, filesTab, runningTab)));
    // Jupyter._target, read at the click: custom.js may set it after the list is drawn.
    document.body.addEventListener("click", (e) => {
      const link = (e.target as Element | null)?.closest?.("a.item-name[target]");
      if (link && link.getAttribute("target")) link.setAttribute("target", notebookTarget());
    }, true);
    document.body.addEventListener("dragover", (e) => e.preventDefault());
    document.body.addEventListener("drop", (e) => {
      e.preventDefault();
      void this.upload(Array.from(e.dataTransfer?.files ?? []));
    });
    [this.specs, this.terminalsEnabled] = await Promise.all([
      this.api.kernelspecs().catch(() => null),
      listTerminals(this.api).then((list) => list !== null, () => false),
    ]);
    this.buildNewMenu();
    await this.refresh();
  }

  private buildNewMenu(): void {
    const item = (label: string, id: string, run: () => Promise<void>) =>
      h("li", { id, role: "menuitem", onclick: () => void run().catch((e) => notify(String(e.message ?? e), "error")) }, label);
    this.newMenu.replaceChildren(h("li", { class: "dropdown-header" }, t("Notebook:")));
    const specs = Object.values(this.specs?.kernelspecs ?? {}).sort((a, b) => a.spec.display_name.localeCompare(b.spec.display_name));
    for (const spec of specs) this.newMenu.append(item(spec.spec.display_name, `new-kernel-${spec.name}`, () => this.newNotebook(spec.name)));
    if (specs.length === 0) this.newMenu.append(item(t("Notebook"), "new-notebook", () => this.newNotebook(null)));
    this.newMenu.append(h("li", { class: "divider" }), h("li", { class: "dropdown-header" }, t("Other:")),
      item(t("Text File"), "new-file", () => this.newUntitled("file", ".txt")),
      item(t("Folder"), "new-folder", () => this.newUntitled("directory")));
    if (this.terminalsEnabled) this.newMenu.append(item(t("Terminal"), "new-terminal", () => this.openTerminal()));
  }

  private async openTerminal(): Promise<void> {
    // Opened before the request, so the browser does not take the new tab for a pop-up.
    const tab = window.open("", "_blank");
    try {
      const model = await newTerminal(this.api, this.dir);
      if (tab) tab.location.href = terminalUrl(this.config.baseUrl, model.name);
      else window.location.href = terminalUrl(this.config.baseUrl, model.name);
    } catch (error) {
      tab?.close();
      throw error;
    }
  }

  private async newNotebook(kernel: string | null): Promise<void> {
    const model = await this.api.create(this.dir, { type: "notebook" });
    if (kernel) {
      const spec = this.specs?.kernelspecs[kernel]?.spec;
      const content = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: kernel, display_name: spec?.display_name ?? kernel, language: spec?.language ?? "" } }, cells: [] };
      await this.api.save(model.path, { type: "notebook", format: "json", content } as never);
    }
    window.location.href = `${this.config.baseUrl}notebooks/${encodePath(model.path)}`;
  }

  private async newUntitled(type: "file" | "directory", ext = ""): Promise<void> {
    const model = await this.api.create(this.dir, ext ? { type, ext } : { type });
    if (type === "file") window.location.href = `${this.config.baseUrl}edit/${encodePath(model.path)}`;
    else await this.refresh();
  }

  async refresh(keepSelection = false): Promise<void> {
    try {
      const [dir, sessions] = await Promise.all([this.api.contents(this.dir), this.api.sessions().catch(() => [])]);
      this.items = (dir.content as ContentsModel[]) ?? [];
      this.running = new Set(sessions.map((s) => s.path));
    } catch (error) {
      this.list.replaceChildren(h("div", { class: "list-empty error" }, `Cannot list ${this.dir || "the home directory"}: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    this.renderCrumbs();
    // Read at the end: a box checked while the list reloaded counts too.
    this.renderList(keepSelection ? this.checkedPaths() : new Set());
  }

  private renderCrumbs(): void {
    const parts = this.dir ? this.dir.split("/") : [];
    this.crumbs.replaceChildren(h("li", {}, h("a", { href: `${this.config.baseUrl}tree`, title: t("Home") }, icon("home", 16))));
    parts.forEach((part, i) => {
      const path = parts.slice(0, i + 1).join("/");
      this.crumbs.append(h("li", {}, h("a", { href: `${this.config.baseUrl}tree/${encodePath(path)}` }, part)));
    });
  }

  /** `keep`: what is checked stays checked (after a failed action, to try again). */
  private renderList(keep: ReadonlySet<string> = new Set()): void {
    this.selection = new SelectionControl(this.items, this.running, (paths) => this.check(paths));
    const header = h("div", { class: "list-header row" }, this.selection.element,
      this.sortButton("name", t("Name")), this.sortButton("last_modified", t("Last Modified")), this.sortButton("size", t("File size")));
    const rows = sortItems(this.items, this.sort).map((item) => this.row(item, keep.has(item.path)));
    if (this.dir) {
      const parent = this.dir.includes("/") ? this.dir.slice(0, this.dir.lastIndexOf("/")) : "";
      rows.unshift(h("div", { class: "list-item row" }, h("span", { class: "check-spacer" }), h("a", { class: "item-name", href: `${this.config.baseUrl}tree/${encodePath(parent)}` }, h("span", { class: "item-icon icon-directory" }, icon("folder", 16)), "..")));
    }
    this.list.replaceChildren(header, ...rows);
    if (this.items.length === 0) this.list.append(h("div", { class: "list-empty" }, t("The notebook list is empty.")));
    this.renderActions();
  }

  /** Checks exactly these paths (the select-all box, the select menu). */
  private check(paths: string[]): void {
    const wanted = new Set(paths);
    this.list.querySelectorAll<HTMLInputElement>(".item-check").forEach((c) => (c.checked = wanted.has(c.dataset.path ?? "")));
    this.renderActions();
  }

  private sortButton(key: SortKey, label: string): HTMLElement {
    const active = this.sort.key === key;
    const order = active ? (this.sort.asc ? "ascending" : "descending") : "none";
    return h("button", { class: `sort-button sort-${key}${active ? " active" : ""}`, "aria-sort": order, "data-order": order, title: `Sort by ${label.toLowerCase()}`, onclick: () => {
      this.sort = nextSort(this.sort, key);
      writeStored(SORT_KEY, serializeSort(this.sort));
      this.renderList(this.checkedPaths()); // the selection stays
    } }, label, active ? (this.sort.asc ? " ▲" : " ▼") : "");
  }

  private href(item: ContentsModel): string {
    const path = encodePath(item.path);
    if (item.type === "directory") return `${this.config.baseUrl}tree/${path}`;
    if (item.type === "notebook") return `${this.config.baseUrl}notebooks/${path}`;
    return `${this.config.baseUrl}edit/${path}`;
  }

  private row(item: ContentsModel, checked: boolean): HTMLElement {
    const running = this.running.has(item.path);
    const check = h("input", { type: "checkbox", class: "item-check", "aria-label": t("Select {name}", { name: item.name }), "data-path": item.path, onchange: () => this.renderActions() });
    check.checked = checked;
    return h("div", { class: `list-item row${running ? " running" : ""}`, "data-path": item.path, "data-type": item.type },
      check,
      h("a", { class: "item-name", href: this.href(item), target: item.type === "directory" ? "" : notebookTarget() }, h("span", { class: `item-icon icon-${item.type}` }, icon(ICON[item.type] ?? "file", 16)), item.name),
      running ? h("span", { class: "running-indicator" }, t("Running")) : null,
      h("span", { class: "item-modified", title: item.last_modified }, relativeTime(item.last_modified)),
      h("span", { class: "item-size" }, item.type === "directory" ? "" : formatSize(item.size)));
  }

  private checkedPaths(): Set<string> {
    return new Set(Array.from(this.list.querySelectorAll<HTMLInputElement>(".item-check:checked")).map((c) => c.dataset.path ?? ""));
  }

  private selected(): ContentsModel[] {
    const paths = this.checkedPaths();
    return this.items.filter((i) => paths.has(i.path));
  }

  private renderActions(): void {
    const sel = this.selected();
    this.selection?.update(sel.length, this.items.length);
    const context = { api: this.api, baseUrl: this.config.baseUrl, dir: this.dir, running: this.running, refresh: (keep: boolean) => this.refresh(keep) };
    this.actions.replaceChildren(...actionButtons(context, sel));
  }

  private async upload(files: File[]): Promise<void> {
    for (const file of files) {
      const exists = this.items.some((i) => i.name === file.name);
      if (exists && !(await confirmDialog(t("Replace file"), t("There is already a file named {name}. Do you want to replace it?", { name: file.name }), t("Overwrite"), true))) continue;
      try {
        await uploadFile(this.api, this.dir ? `${this.dir}/${file.name}` : file.name, file, (done) => notify(t("Uploading {name}: {percent}%", { name: file.name, percent: Math.round(done * 100) }), "info", 800));
        notify(t("Uploaded {name}", { name: file.name }));
      } catch (error) {
        notify(t("Upload of {name} failed: {error}", { name: file.name, error: error instanceof Error ? error.message : String(error) }), "error", 8000);
      }
    }
    await this.refresh();
  }

  async refreshRunning(): Promise<void> {
    const [sessions, kernels, terminals] = await Promise.all([this.api.sessions(), this.api.kernels(), listTerminals(this.api).catch(() => null)]);
    const withSession = new Set(sessions.map((s) => s.kernel?.id));
    const rows: HTMLElement[] = [];
    for (const s of sessions) {
      rows.push(h("div", { class: "list-item row", "data-path": s.path },
        h("a", { class: "item-name", href: `${this.config.baseUrl}notebooks/${encodePath(s.path)}`, target: notebookTarget() }, h("span", { class: "item-icon icon-notebook" }, icon("notebook", 16)), s.path),
        h("span", { class: "item-modified" }, s.kernel?.name ?? ""),
        h("button", { class: "btn btn-danger btn-xs shutdown", onclick: () => void this.api.deleteSession(s.id).then(() => this.refreshRunning()) }, t("Shutdown"))));
    }
    for (const k of kernels.filter((k) => !withSession.has(k.id))) {
      rows.push(h("div", { class: "list-item row", "data-kernel": k.id },
        h("span", { class: "item-name" }, h("span", { class: "item-icon" }, icon("gear", 16)), t("Kernel {name} ({id})", { name: k.name, id: k.id.slice(0, 8) })),
        h("span", { class: "item-modified" }, k.execution_state),
        h("button", { class: "btn btn-danger btn-xs shutdown", onclick: () => void this.api.shutdownKernel(k.id).then(() => this.refreshRunning()) }, t("Shutdown"))));
    }
    for (const term of terminals ?? []) rows.push(this.terminalRow(term));
    this.runningList.replaceChildren(...(rows.length ? rows : [h("div", { class: "list-empty" }, t("There are no notebooks, kernels or terminals running."))]));
  }

  private terminalRow(term: TerminalModel): HTMLElement {
    return h("div", { class: "list-item row", "data-terminal": term.name },
      h("a", { class: "item-name", href: terminalUrl(this.config.baseUrl, term.name), target: "_blank" }, h("span", { class: "item-icon" }, icon("file", 16)), t("Terminal {name}", { name: term.name })),
      h("span", { class: "item-modified", title: term.last_activity }, relativeTime(term.last_activity)),
      h("button", { class: "btn btn-danger btn-xs shutdown", onclick: () => void shutdownTerminal(this.api, term.name).catch((e) => notify(String(e.message ?? e), "error")).then(() => this.refreshRunning()) }, t("Shutdown")));
  }
}

/** localStorage may be off (a privacy setting): the page then just does not remember. */
function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // not remembered, as above
  }
}
