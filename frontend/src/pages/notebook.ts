// The notebook page: loads the notebook, starts its kernel session, wires model, views, actions.

import "katex/dist/katex.min.css";
import { Api, type ContentsModel, encodePath } from "../kernel/api";
import { Notebook } from "../model/notebook";
import type { NbDocument } from "../model/types";
import { h } from "../view/dom";
import { notify } from "../view/dialog";
import { NotebookView } from "../view/notebookview";
import type { PageConfig } from "./config";
import { wsBase } from "./config";
import { buildActions } from "./nb/actions";
import { NotebookHeader } from "./nb/header";
import { installKeyboard } from "./nb/keyboard";
import { installImageInput } from "./nb/attachinput";
import { installToc } from "./nb/toc";
import { CommandKeys } from "./nb/keymap";
import { syncMenuKeys } from "./nb/tools";
import { installConflictChoice } from "./nb/conflict";
import { Saver } from "./nb/saving";
import { KernelSession } from "./nb/session";
import { installWidgets } from "../widgets";
import { events } from "../events";
import { setEditorOptions } from "../view/editor";
import { cmOptionsByType, type Section, visibility } from "./nbconfig";
import { msg, t } from "../i18n";

const STATUS_TEXT: Record<string, string> = {
  idle: msg("Kernel idle"),
  busy: msg("Kernel busy"),
  starting: msg("Kernel starting"),
  restarting: msg("Kernel restarting"),
  dead: msg("Kernel dead"),
  disconnected: msg("Not connected"),
  reconnecting: msg("Reconnecting"),
  unknown: msg("Kernel status unknown"),
};

/** `early`: the notebook's contents, already asked for by the entry script; `frontend`: the
 * merged nbconfig sections (common, notebook), applied when they come, never waited for. */
export async function startNotebookPage(
  config: PageConfig,
  early: Promise<ContentsModel> | null = null,
  frontend: Promise<Section> | null = null,
): Promise<NotebookPage> {
  const api = new Api(config.baseUrl, config.xsrfToken);
  const contents = await (early ?? api.contents(config.path, { type: "notebook", hash: true }));
  performance.mark("carnet:contents");
  // Usually here already (it was asked for with the notebook): then editors start right.
  const ready = await Promise.race([frontend, Promise.resolve(null)]);
  if (ready) applyEditorConfig(ready);
  const page = new NotebookPage(config, api, contents);
  if (ready) page.applyFrontendConfig(ready);
  else void frontend?.then((section) => page.applyFrontendConfig(section));
  await page.start();
  return page;
}

export class NotebookPage {
  readonly model: Notebook;
  readonly view: NotebookView;
  readonly kernel: KernelSession;
  readonly saver: Saver;
  readonly header: NotebookHeader;
  readonly pager = h("div", { id: "pager", hidden: true });
  // undefined until View > Toggle Line Numbers: then the front-end config decides.
  private lineNumbers: boolean | undefined = undefined;
  private configuredLineNumbers = false;
  readonly actions: ReturnType<typeof buildActions>;
  readonly keys: CommandKeys;

  /** Builds the page (model, views, header, actions) around the notebook's contents. */
  constructor(
    readonly config: PageConfig,
    readonly api: Api,
    contents: ContentsModel,
  ) {
    const model = Notebook.fromJSON(contents.content as NbDocument);
    this.model = model;
    performance.mark("carnet:model");
    document.title = contents.name.replace(/\.ipynb$/, "");
    const saver = new Saver(api, model, contents.path);
    saver.hash = contents.hash ?? null;
    this.saver = saver;
    this.kernel = new KernelSession(api, wsBase(config.baseUrl), model, {
      outputView: (cell) => this.view.viewOf(cell)?.outputs,
      showPager: (text) => showPager(this.pager, text),
      refresh: () => this.followDisk(),
    });
    // Before the view: widget outputs of the saved notebook render through it.
    installWidgets({ kernel: this.kernel, saver, model, context: () => ({ trusted: true, filesUrl: this.filesUrl() }) });
    const view = new NotebookView(model, {
      select: (cell, extend) => {
        const index = model.indexOf(cell);
        if (index !== model.activeIndex || extend) model.select(index, extend);
      },
      edit: (cell) => {
        const index = model.indexOf(cell);
        if (index !== model.activeIndex) model.select(index);
        this.enterEdit();
      },
      complete: (code, cursor) => this.kernel.complete(code, cursor),
      leave: (cell, direction) => {
        // As in Jupyter: the arrow keys walk from cell to cell in edit mode.
        const index = model.indexOf(cell) + (direction === "up" ? -1 : 1);
        if (index < 0 || index >= model.cells.length) return false;
        model.select(index);
        model.mode = "edit";
        view.viewOf(model.activeCell)?.ensureEditor().focus(direction === "up" ? "end" : "start");
        return true;
      },
      context: (cell) => ({ trusted: cell.trusted, filesUrl: this.filesUrl() }),
      lineNumbers: () => this.lineNumbers,
    });
    this.view = view;
    this.keys = new CommandKeys(api);
    const actions = buildActions(this);
    this.actions = actions;
    this.header = new NotebookHeader(actions, `${config.baseUrl}tree/${encodePath(this.dir())}`);
    view.element.tabIndex = -1;
    const site = h("div", { id: "site" }, h("div", { id: "notebook" }, view.element, h("div", { class: "end-space" })));
    document.body.classList.add("notebook_app");
    document.body.replaceChildren(this.header.element, site, this.pager);
    performance.mark("carnet:view");
    this.wireNotices();
    this.wireHeader(actions);
    const setTable = installKeyboard(model, actions);
    this.keys.onChange = (table) => {
      setTable(table);
      syncMenuKeys(this.header.element, this.keys);
    };
    installImageInput(this);
    installToc(this);
    this.syncHeader();
  }

  /** Checkpoints, autosave and the kernel: what the page does once it is on screen. */
  async start(): Promise<void> {
    await this.saver.loadCheckpoints();
    this.syncHeader();
    this.saver.startAutosave(this.config.autosaveInterval);
    this.view.element.focus({ preventScroll: true });
    try {
      await this.kernel.start(this.saver.path);
    } catch (error) {
      this.model.kernelStatus = "dead";
      notify(t("Could not start a kernel: {error}", { error: error instanceof Error ? error.message : String(error) }), "error", 8000);
    }
    this.syncHeader();
  }

  /** The directory of the notebook, for relative links and images. */
  dir(): string {
    const path = this.saver.path;
    return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  }

  enterEdit(): void {
    const cellView = this.view.viewOf(this.model.activeCell);
    if (!cellView) return;
    this.model.mode = "edit";
    cellView.ensureEditor().focus();
  }

  enterCommand(): void {
    const cellView = this.view.viewOf(this.model.activeCell);
    cellView?.editor?.blur();
    this.model.mode = "command";
    this.view.element.focus({ preventScroll: true });
  }

  reload(doc: NbDocument): void {
    this.model.load(doc);
  }

  /** nbconfig's cm_config and Notebook.Header/Toolbar (see ./nbconfig). */
  applyFrontendConfig(section: Section): void {
    this.configuredLineNumbers = applyEditorConfig(section);
    this.keys.apply(section);
    for (const v of this.view.allViews) v.editor?.applyOptions(this.lineNumbers);
    const shown = visibility(section);
    if (!shown.header) document.getElementById("header-container")?.setAttribute("hidden", "");
    if (!shown.toolbar) document.getElementById("maintoolbar")?.setAttribute("hidden", "");
  }

  /** Draws again the outputs holding `mime` (an extension registered a renderer for it). */
  redrawOutputs(mime: string): void {
    for (const cell of this.model.cells) {
      if (cell.outputs.outputs.some((o) => "data" in o && mime in o.data)) this.view.viewOf(cell)?.outputs.refresh();
    }
  }

  toggleLineNumbers(): void {
    this.lineNumbers = !(this.lineNumbers ?? this.configuredLineNumbers);
    for (const v of this.view.allViews) v.editor?.setLineNumbers(this.lineNumbers);
  }

  private filesUrl(): string {
    const dir = this.dir();
    return `${this.config.baseUrl}files/${encodePath(dir)}${dir ? "/" : ""}`;
  }

  /** Takes the notebook as saved on disk if it changed there (a run ended while no page was open). */
  private async followDisk(): Promise<void> {
    const { api, model, saver } = this;
    // Only an untouched page follows the disk; edits go through the conflict choice on save.
    if (model.dirty || !saver.hash) return;
    const now = await api.contents(saver.path, { content: false, hash: true });
    if (!now.hash || now.hash === saver.hash) return;
    const fresh = await api.contents(saver.path, { type: "notebook", hash: true });
    if (model.dirty) return;
    this.reload(fresh.content as NbDocument);
    saver.hash = fresh.hash ?? null;
  }

  private syncHeader(): void {
    const { header, model, saver, kernel } = this;
    header.name.textContent = saver.path.split("/").pop()?.replace(/\.ipynb$/, "") ?? "";
    header.dirty.textContent = model.dirty ? t("(unsaved changes)") : t("(autosaved)");
    header.dirty.classList.toggle("dirty", model.dirty);
    header.checkpoint.textContent = saver.lastCheckpoint ? t("Last Checkpoint: {when}", { when: new Date(saver.lastCheckpoint).toLocaleString() }) : "";
    const status = model.kernelStatus;
    header.kernelIndicator.className = `kernel_indicator kernel_${status}`;
    header.kernelIndicator.dataset.status = status;
    header.kernelIndicator.title = t(STATUS_TEXT[status] ?? status);
    header.kernelName.textContent = kernel.displayName() || t("No kernel");
    header.trust.hidden = model.trusted;
    header.trust.textContent = t("Not Trusted");
    header.modeIndicator.textContent = model.mode === "edit" ? `✎ ${t("Edit")}` : "";
    header.cellType.value = model.activeCell?.type ?? "code";
  }

  /** What the user is told about the kernel (died, lost, reconnecting, ready). */
  private wireNotices(): void {
    const { model, kernel, view } = this;
    let lastStatus = model.kernelStatus;
    let died = false;
    kernel.onKernelDied = (reason, restart) => {
      died = true;
      const which = restart ? ` (restart ${restart})` : "";
      notify(`The kernel died: ${reason}. Restarting it${which}; outputs on the page are kept.`, "error", 10000);
    };
    kernel.onKernelLost = () => {
      notify(t("The server restarted and the kernel was lost: a new kernel was started; variables must be recomputed. Outputs on the page are kept."), "error", 15000);
    };
    kernel.onLoginRefused = () => {
      notify(t("The server no longer accepts this page's login (it restarted with another token or password): reload the page to log in again."), "error", 15000);
    };
    // Up while the kernel cannot be reached, like Jupyter's "Connecting to kernel".
    let reconnecting: HTMLElement | null = null;
    model.changed.on((change) => {
      this.syncHeader();
      if (change.kind === "selection") view.scrollToActive();
      if (change.kind === "kernel" && model.kernelStatus !== lastStatus) {
        const status = model.kernelStatus;
        if (status === "reconnecting") reconnecting ??= stickyNote(t("Connection to the kernel lost: reconnecting…"));
        else {
          reconnecting?.remove();
          reconnecting = null;
        }
        if (status === "dead") notify(t("The kernel has died. Use Kernel > Restart to start a new one."), "error", 10000);
        else if (status === "restarting" && !died) notify(t("Kernel restarting…"));
        else if (status === "idle" && (lastStatus === "reconnecting" || lastStatus === "restarting")) {
          if (!died) notify(t("Kernel ready"));
          died = false;
        }
        lastStatus = status;
      }
    });
  }

  private wireHeader(actions: ReturnType<typeof buildActions>): void {
    const { header, saver } = this;
    saver.onSaved = (message) => {
      events.emit("notebook_saved", { path: saver.path });
      notify(message);
      this.syncHeader();
    };
    installConflictChoice({
      saver,
      reload: (doc) => this.reload(doc),
      moved: async (path) => {
        await this.kernel.rename(path).catch(() => undefined);
        document.title = (path.split("/").pop() ?? path).replace(/\.ipynb$/, "");
        this.syncHeader();
      },
    });
    header.name.addEventListener("click", () => void actions.rename.run());
    header.trust.addEventListener("click", () => void actions.trust.run());
    header.cellType.addEventListener("change", () => {
      this.model.changeType(header.cellType.value as "code" | "markdown" | "raw");
      this.enterCommand();
    });
  }
}

/** Sets the editors' options; whether code cells get line numbers. */
function applyEditorConfig(section: Section): boolean {
  const byType = cmOptionsByType(section);
  setEditorOptions(byType);
  return byType.code.lineNumbers ?? false;
}

/** A notification that stays until removed. */
function stickyNote(text: string): HTMLElement {
  const area = document.getElementById("notification-area") ?? document.body.appendChild(h("div", { id: "notification-area" }));
  const note = h("div", { class: "notification info", id: "reconnecting-note", role: "status" }, text);
  area.append(note);
  return note;
}

function showPager(pager: HTMLElement, text: string): void {
  const close = h("button", { class: "close", "aria-label": t("Close pager"), onclick: () => (pager.hidden = true) }, "×");
  const pre = h("pre", {});
  import("../render/ansi").then(({ ansiPre }) => {
    pre.replaceWith(ansiPre(text, "pager-text"));
  });
  pager.replaceChildren(close, pre);
  pager.hidden = false;
}
