// The list of cells: keeps one CellView per cell in model order, shows selection and mode.

import type { Cell } from "../model/cell";
import { cellToolbarOf } from "../model/metadata";
import type { Notebook } from "../model/notebook";
import { CellView, type CellViewHooks } from "./cellview";
import { h } from "./dom";

// The first cells are drawn at once (about a screenful, so the first paint shows them);
// the rest when they come near the screen, so a notebook of thousands of cells opens at once.
const EAGER_CELLS = 8;

export class NotebookView {
  readonly element = h("div", { id: "notebook-container", class: "container" });
  private views = new Map<Cell, CellView>();
  private byElement = new WeakMap<Element, CellView>();
  private observer: IntersectionObserver | null = null;

  constructor(
    private readonly nb: Notebook,
    private readonly hooks: CellViewHooks,
  ) {
    if (typeof IntersectionObserver !== "undefined") {
      // Outputs, markdown and editors are made when a cell comes near the screen, not all at load.
      this.observer = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          this.byElement.get(entry.target)?.reveal();
          this.observer?.unobserve(entry.target);
        }
      }, { rootMargin: "400px" });
    }
    nb.changed.on((change) => {
      if (change.kind === "cells") this.syncCells();
      if (change.kind === "selection" || change.kind === "mode" || change.kind === "cells") this.syncSelection();
      if (change.kind === "metadata" && change.key === "celltoolbar") this.syncToolbars();
    });
    this.syncCells();
    this.syncSelection();
  }

  viewOf(cell: Cell | undefined): CellView | undefined {
    return cell ? this.views.get(cell) : undefined;
  }

  get allViews(): CellView[] {
    return [...this.views.values()];
  }

  private syncCells(): void {
    const live = new Set(this.nb.cells);
    for (const [cell, view] of this.views) {
      if (live.has(cell)) continue;
      view.dispose();
      view.element.remove();
      this.views.delete(cell);
    }
    let previous: Element | null = null;
    let position = 0;
    for (const cell of this.nb.cells) {
      let view = this.views.get(cell);
      position += 1;
      if (!view) {
        view = new CellView(cell, this.hooks, this.observer !== null && position > EAGER_CELLS);
        view.setToolbar(cellToolbarOf(this.nb));
        this.views.set(cell, view);
        this.byElement.set(view.element, view);
        this.observer?.observe(view.element);
      }
      const expected: Element | null = previous ? previous.nextElementSibling : this.element.firstElementChild;
      if (expected !== view.element) {
        if (previous) previous.after(view.element);
        else this.element.prepend(view.element);
      }
      previous = view.element;
    }
  }

  private syncToolbars(): void {
    const name = cellToolbarOf(this.nb);
    for (const view of this.views.values()) view.setToolbar(name);
  }

  private syncSelection(): void {
    const editing = this.nb.mode === "edit";
    this.nb.cells.forEach((cell, index) => {
      const view = this.views.get(cell);
      if (!view) return;
      const active = index === this.nb.activeIndex;
      view.element.classList.toggle("selected", this.nb.isSelected(index));
      view.element.classList.toggle("active", active);
      view.element.classList.toggle("editing", active && editing);
    });
    document.body.classList.toggle("edit-mode", editing);
    document.body.classList.toggle("command-mode", !editing);
  }

  scrollToActive(): void {
    const view = this.viewOf(this.nb.activeCell);
    if (!view) return;
    const rect = view.element.getBoundingClientRect();
    const top = document.getElementById("header")?.getBoundingClientRect().bottom ?? 0;
    if (rect.top < top || rect.bottom > window.innerHeight) view.element.scrollIntoView({ block: rect.height > window.innerHeight ? "start" : "nearest" });
  }
}
