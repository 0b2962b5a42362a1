// The table of contents side panel: numbered headings, the current section highlighted, and
// sections that fold their subsections away. What the entries are is model/toc.ts's business.

import { hasChildren, shownKey, type TocEntry, visibleEntries } from "../model/toc";
import { t } from "../i18n";
import { h } from "./dom";
import "./toc.css";

export class TocPanel {
  readonly element: HTMLElement;
  private readonly list = h("ul", { class: "toc-list", role: "tree" });
  private entries: TocEntry[] = [];
  private readonly collapsed = new Set<string>();
  private currentKey: string | null = null;

  constructor(
    private readonly onPick: (entry: TocEntry) => void,
    onClose: () => void,
  ) {
    const close = h("button", { class: "close toc-close", title: t("Hide the table of contents"), "aria-label": t("Hide the table of contents"), onclick: onClose }, "×");
    this.element = h("nav", { id: "toc-panel", class: "toc-panel", "data-own-keys": true, "aria-label": t("Table of contents"), hidden: true }, h("div", { class: "toc-title" }, h("span", {}, t("Contents")), close), this.list);
  }

  /** Shows these entries; folded sections stay folded while their heading is there. */
  setEntries(entries: TocEntry[]): void {
    this.entries = entries;
    const keys = new Set(entries.map((e) => e.key));
    for (const key of this.collapsed) if (!keys.has(key)) this.collapsed.delete(key);
    this.draw();
  }

  /** Highlights the entry of the section being read (null: none). */
  setCurrent(key: string | null): void {
    if (key === this.currentKey) return;
    this.currentKey = key;
    this.highlight();
  }

  private highlight(): void {
    // In a folded section, its heading stands for it.
    const key = shownKey(this.entries, this.collapsed, this.currentKey);
    for (const item of Array.from(this.list.querySelectorAll<HTMLElement>(".toc-item"))) {
      const current = item.dataset.key === key;
      item.classList.toggle("current", current);
      if (current) item.querySelector(".toc-link")?.setAttribute("aria-current", "location");
      else item.querySelector(".toc-link")?.removeAttribute("aria-current");
    }
  }

  private draw(): void {
    if (this.entries.length === 0) {
      this.list.replaceChildren(h("li", { class: "toc-empty" }, t("No headings yet: a Markdown cell's headings (# Title) are listed here.")));
      return;
    }
    const shown = new Set(visibleEntries(this.entries, this.collapsed));
    const items: HTMLElement[] = [];
    this.entries.forEach((entry, index) => {
      if (!shown.has(entry)) return;
      const folds = hasChildren(this.entries, index);
      const folded = this.collapsed.has(entry.key);
      const caret = folds
        ? h("button", { class: "toc-caret", "aria-label": folded ? t("Expand {heading}", { heading: entry.text }) : t("Collapse {heading}", { heading: entry.text }), "aria-expanded": String(!folded), onclick: () => this.toggle(entry.key) }, folded ? "▸" : "▾")
        : h("span", { class: "toc-caret-space" });
      const link = h("button", { class: "toc-link", title: entry.text, onclick: () => this.onPick(entry) }, h("span", { class: "toc-number" }, entry.number), h("span", { class: "toc-text" }, entry.text));
      const item = h("li", { class: `toc-item toc-h${entry.level}`, role: "treeitem", "data-key": entry.key, "data-level": String(entry.level) }, caret, link);
      item.style.paddingLeft = `${4 + entry.depth * 14}px`;
      items.push(item);
    });
    this.list.replaceChildren(...items);
    this.highlight();
  }

  private toggle(key: string): void {
    if (!this.collapsed.delete(key)) this.collapsed.add(key);
    this.draw();
  }
}
