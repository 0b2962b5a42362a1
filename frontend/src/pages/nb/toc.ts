// View > Table of Contents: the side panel kept in step with the notebook (headings as they
// are typed, the section being read as the page scrolls); shown or not is remembered in the
// browser's local storage, so it does not change the notebook file.

import type { Cell } from "../../model/cell";
import { currentEntry, tableOfContents, type TocEntry } from "../../model/toc";
import { TocPanel } from "../../view/tocpanel";
import type { NotebookPage } from "../notebook";
import type { Actions } from "./header";

type Page = Pick<NotebookPage, "model" | "view">;

const STORAGE_KEY = "carnet.toc.visible";
// Typing in a heading redraws the table after this pause, not at every key.
const REDRAW_MS = 150;

// How far below the header a heading counts as reached (a click puts it 8px below).
const READING_LINE_PX = 48;

// Long enough for the cells above a heading to be drawn (editors come when the page is idle).
const SETTLE_MS = 1500;

const controllers = new WeakMap<Page, TocController>();

/** Puts the panel on the page, shown if it was when the user last chose. */
export function installToc(page: Page): void {
  controllerOf(page).install();
}

export function tocActions(page: Page): Actions {
  return { "toggle-toc": { label: "Table of Contents", run: () => controllerOf(page).toggle() } };
}

function controllerOf(page: Page): TocController {
  let controller = controllers.get(page);
  if (!controller) {
    controller = new TocController(page);
    controllers.set(page, controller);
  }
  return controller;
}

class TocController {
  private readonly panel: TocPanel;
  private entries: TocEntry[] = [];
  private cellOffs: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private frame = 0;
  // After a click the picked heading stays current while the page has not scrolled further.
  private pinned: { key: string; y: number } | null = null;
  private installed = false;

  constructor(private readonly page: Page) {
    this.panel = new TocPanel((entry) => this.pick(entry), () => this.setVisible(false));
  }

  get visible(): boolean {
    return !this.panel.element.hidden;
  }

  install(): void {
    if (this.installed) return;
    this.installed = true;
    document.body.append(this.panel.element);
    const header = document.getElementById("header");
    const place = () => document.body.style.setProperty("--toc-top", `${header?.getBoundingClientRect().bottom ?? 0}px`);
    if (header && typeof ResizeObserver !== "undefined") new ResizeObserver(place).observe(header);
    place();
    this.page.model.changed.on((change) => {
      if (change.kind === "cells") this.watchCells();
      if (change.kind === "cells" || change.kind === "mode") this.schedule();
    });
    window.addEventListener("scroll", () => this.track(), { passive: true });
    window.addEventListener("resize", () => this.track(), { passive: true });
    this.watchCells();
    this.setVisible(readStored());
  }

  toggle(): void {
    this.install();
    this.setVisible(!this.visible);
  }

  private setVisible(visible: boolean): void {
    this.panel.element.hidden = !visible;
    document.body.classList.toggle("toc-open", visible);
    try {
      localStorage.setItem(STORAGE_KEY, visible ? "1" : "0");
    } catch {
      // Storage refused (private mode, quota): the choice lasts for this page only.
    }
    if (visible) this.redraw();
  }

  /** Source and type changes of every cell redraw the table (after a pause). */
  private watchCells(): void {
    for (const off of this.cellOffs) off();
    this.cellOffs = this.page.model.cells.map((cell) =>
      cell.changed.on((what) => {
        if (what === "source" || what === "type" || what === "rendered") this.schedule();
      }),
    );
  }

  private schedule(): void {
    if (!this.visible || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.redraw();
    }, REDRAW_MS);
  }

  private redraw(): void {
    if (!this.visible) return;
    this.entries = tableOfContents(this.page.model.cells);
    this.panel.setEntries(this.entries);
    this.track();
  }

  private track(): void {
    if (!this.visible || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const pinned = this.pinned;
      if (pinned && Math.abs(window.scrollY - pinned.y) < 2) {
        this.panel.setCurrent(pinned.key);
        return;
      }
      this.pinned = null;
      const top = headerBottom();
      // A section is being read once its heading reaches the top of the notebook's view.
      const line = top + READING_LINE_PX;
      const index = currentEntry(this.entries.map((entry) => this.target(entry)?.getBoundingClientRect().top ?? Infinity), line, window.innerHeight);
      this.panel.setCurrent(this.entries[index]?.key ?? null);
    });
  }

  /** Selects the heading's cell and scrolls the heading to the top of the notebook. */
  private pick(entry: TocEntry): void {
    const { model, view } = this.page;
    const index = model.cells.findIndex((cell) => cell.id === entry.cellId);
    if (index < 0) return;
    if (index !== model.activeIndex) model.select(index);
    view.viewOf(model.cells[index])?.reveal();
    const target = this.target(entry);
    if (!target) return;
    this.panel.setCurrent(entry.key);
    this.settle(entry.key, target);
  }

  /**
   * Keeps the heading at the top while the cells above it are drawn (a long notebook draws
   * cells as they come near the screen, and they grow), until the user scrolls or types.
   */
  private settle(key: string, target: HTMLElement): void {
    const started = performance.now();
    let stop = false;
    const interrupt = () => (stop = true);
    const inputs = ["wheel", "keydown", "mousedown", "touchstart"] as const;
    for (const name of inputs) window.addEventListener(name, interrupt, { once: true, capture: true, passive: true });
    const step = () => {
      if (!stop && target.isConnected) {
        const off = target.getBoundingClientRect().top - headerBottom() - 8;
        if (Math.abs(off) > 1) window.scrollBy({ top: off });
        this.pinned = { key, y: window.scrollY };
      }
      if (stop || performance.now() - started > SETTLE_MS) {
        for (const name of inputs) window.removeEventListener(name, interrupt, { capture: true });
        return;
      }
      requestAnimationFrame(step);
    };
    step();
  }

  /** The rendered heading of an entry, or its cell while the cell is edited or not drawn. */
  private target(entry: TocEntry): HTMLElement | null {
    const cell: Cell | undefined = this.page.model.cells[entry.cellIndex];
    const element = cell ? this.page.view.viewOf(cell)?.element : undefined;
    if (!element) return null;
    const headings = element.querySelectorAll<HTMLElement>(".text-cell-render h1, .text-cell-render h2, .text-cell-render h3, .text-cell-render h4, .text-cell-render h5, .text-cell-render h6");
    return headings[entry.nth] ?? element;
  }
}

function headerBottom(): number {
  return document.getElementById("header")?.getBoundingClientRect().bottom ?? 0;
}

function readStored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === "1";
  } catch {
    return false;
  }
}
