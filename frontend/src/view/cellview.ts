// One cell on screen: prompt, lazily created editor, rendered markdown, outputs.

import type { Cell, CellChange } from "../model/cell";
import { renderMarkdown } from "../render/markdown";
import type { RenderContext } from "../render/mime";
import { h } from "./dom";
import { CellEditor, type EditorHooks } from "./editor";
import { OutputView } from "./outputview";

export interface CellViewHooks {
  select(cell: Cell, extend: boolean): void;
  edit(cell: Cell): void;
  complete: EditorHooks["complete"];
  leave(cell: Cell, direction: "up" | "down"): boolean;
  context(cell: Cell): RenderContext;
  lineNumbers(): boolean;
}

export class CellView {
  readonly element: HTMLElement;
  readonly outputs: OutputView;
  editor: CellEditor | null = null;
  private readonly prompt = h("div", { class: "prompt input-prompt" });
  private readonly editorHost = h("div", { class: "input-area" });
  private readonly placeholder = h("pre", { class: "editor-placeholder" });
  private readonly rendered = h("div", { class: "text-cell-render" });
  // A lazy view draws outputs and markdown only when its cell comes near the screen.
  private revealed: boolean;
  private off: () => void;

  constructor(
    readonly cell: Cell,
    private readonly hooks: CellViewHooks,
    lazy = false,
  ) {
    this.revealed = !lazy;
    this.outputs = new OutputView(cell.outputs, () => hooks.context(cell), { lazy });
    this.editorHost.append(this.placeholder);
    const input = h("div", { class: "input" }, this.prompt, h("div", { class: "inner-cell" }, this.editorHost, this.rendered));
    this.element = h("div", { class: "cell", "data-cell-id": cell.id }, input, this.outputs.element);
    this.element.addEventListener("mousedown", (event) => {
      if ((event.target as HTMLElement).closest(".stdin-row, a, .output-collapser")) return;
      this.hooks.select(this.cell, event.shiftKey);
    });
    this.rendered.addEventListener("dblclick", () => this.hooks.edit(this.cell));
    this.editorHost.addEventListener("mousedown", () => {
      if (!this.editor) queueMicrotask(() => this.hooks.edit(this.cell));
    });
    this.off = cell.changed.on((what) => this.update(what));
    // Until revealed, the browser skips laying it out (content-visibility in the CSS).
    this.element.classList.toggle("lazy-cell", lazy);
    this.updateAll();
  }

  /** Draws what a lazy view put off (outputs, markdown) and creates the editor. */
  reveal(): void {
    if (!this.revealed) {
      this.revealed = true;
      this.element.classList.remove("lazy-cell");
      this.outputs.reveal();
      if (this.cell.type === "markdown" && this.cell.rendered) this.renderText();
    }
    this.ensureEditor();
  }

  /** Creates the CodeMirror editor on first need (focus, or the cell scrolled into view). */
  ensureEditor(): CellEditor {
    if (this.editor) return this.editor;
    this.placeholder.remove();
    this.editor = new CellEditor(this.editorHost, this.cell.source, this.cell.type, {
      onChange: (text) => {
        this.cell.source = text;
      },
      onFocus: () => this.hooks.edit(this.cell),
      complete: this.hooks.complete,
      leave: (direction) => this.hooks.leave(this.cell, direction),
    }, this.hooks.lineNumbers());
    return this.editor;
  }

  private update(what: CellChange): void {
    switch (what) {
      case "source":
        this.editor?.setText(this.cell.source);
        if (!this.editor) this.placeholder.textContent = this.cell.source;
        if (this.cell.type !== "code" && this.cell.rendered) this.renderText();
        break;
      case "type":
        this.editor?.setType(this.cell.type);
        this.updateAll();
        break;
      case "trust":
        this.outputs.refresh();
        break;
      default:
        this.updateAll();
    }
  }

  private updateAll(): void {
    const { cell } = this;
    const type = cell.type;
    this.element.classList.toggle("code_cell", type === "code");
    this.element.classList.toggle("text_cell", type !== "code");
    this.element.classList.toggle("markdown_cell", type === "markdown");
    this.element.classList.toggle("raw_cell", type === "raw");
    this.element.classList.toggle("running", cell.state !== "idle");
    this.placeholder.textContent = cell.source;
    if (type === "code") {
      const count = cell.state !== "idle" ? "*" : (cell.executionCount ?? " ");
      this.prompt.textContent = `In [${count}]:`;
    } else {
      this.prompt.textContent = "";
    }
    const showRendered = type === "markdown" && cell.rendered;
    this.element.classList.toggle("rendered", showRendered);
    if (showRendered) this.renderText();
    this.outputs.element.hidden = type !== "code";
  }

  private renderText(): void {
    if (!this.revealed) {
      // Stand-in of about the right height until the cell comes near the screen.
      this.rendered.textContent = this.cell.source;
      return;
    }
    const source = this.cell.source.trim() ? this.cell.source : "Type *Markdown* and LaTeX: $\\alpha^2$";
    this.rendered.replaceChildren(renderMarkdown(source, { ...this.hooks.context(this.cell), attachments: this.cell.attachments }));
  }

  dispose(): void {
    this.off();
    this.outputs.dispose();
    this.editor?.destroy();
  }
}
