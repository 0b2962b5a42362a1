// One cell on screen: prompt, lazily created editor, rendered markdown, outputs.

import type { Cell, CellChange } from "../model/cell";
import type { CellToolbarName } from "../model/metadata";
import { renderMarkdown } from "../render/markdown";
import type { RenderContext } from "../render/mime";
import "./celltoolbar.css";
import { renderCellToolbar } from "./celltoolbar";
import { h } from "./dom";
import { CellEditor, type EditorHooks } from "./editor";
import { OutputView } from "./outputview";

export interface CellViewHooks {
  select(cell: Cell, extend: boolean): void;
  edit(cell: Cell): void;
  complete: EditorHooks["complete"];
  leave(cell: Cell, direction: "up" | "down"): boolean;
  context(cell: Cell): RenderContext;
  /** The page's line numbers choice; undefined: as the front-end config says. */
  lineNumbers(): boolean | undefined;
}

// The parts inside a cell's element; a lazy view makes them only when first needed.
interface Parts {
  toolbar: HTMLElement;
  prompt: HTMLElement;
  editorHost: HTMLElement;
  placeholder: HTMLElement;
  rendered: HTMLElement;
  outputs: OutputView;
}

export class CellView {
  readonly element: HTMLElement;
  editor: CellEditor | null = null;
  private built: Parts | null = null;
  // A lazy view draws outputs and markdown only when its cell comes near the screen, and
  // until then is an empty box (content-visibility in the CSS gives it a height), so a
  // notebook of thousands of cells costs one element per cell at load.
  private revealed: boolean;
  private disposed = false;
  private toolbarName: CellToolbarName = "None";
  private off: () => void;

  constructor(
    readonly cell: Cell,
    private readonly hooks: CellViewHooks,
    lazy = false,
  ) {
    this.revealed = !lazy;
    this.element = h("div", { class: "cell", "data-cell-id": cell.id });
    this.element.classList.toggle("lazy-cell", lazy);
    this.off = cell.changed.on((what) => this.update(what));
    this.updateClasses();
    // The source as plain text meanwhile: the browser's find-in-page still sees it.
    if (lazy) this.element.append(h("pre", { class: "lazy-source" }, cell.source));
    else this.build();
  }

  /** The cell's output area (made on first use if the cell was never near the screen). */
  get outputs(): OutputView {
    return this.build().outputs;
  }

  private build(): Parts {
    if (this.built) return this.built;
    const parts: Parts = {
      toolbar: h("div", { class: "celltoolbar-host" }),
      prompt: h("div", { class: "prompt input-prompt" }),
      editorHost: h("div", { class: "input-area" }),
      placeholder: h("pre", { class: "editor-placeholder" }),
      rendered: h("div", { class: "text-cell-render" }),
      outputs: new OutputView(this.cell.outputs, () => this.hooks.context(this.cell), { lazy: !this.revealed }),
    };
    this.built = parts;
    this.element.replaceChildren();
    parts.editorHost.append(parts.placeholder);
    const input = h("div", { class: "input" }, parts.prompt, h("div", { class: "inner-cell" }, parts.editorHost, parts.rendered));
    this.element.append(parts.toolbar, input, parts.outputs.element);
    this.element.addEventListener("mousedown", (event) => {
      if ((event.target as HTMLElement).closest(".stdin-row, a, .output-collapser")) return;
      this.hooks.select(this.cell, event.shiftKey);
    });
    parts.rendered.addEventListener("dblclick", () => this.hooks.edit(this.cell));
    parts.editorHost.addEventListener("mousedown", (event) => {
      if (this.editor || event.button !== 0) return;
      // The placeholder under the pointer gives way to the editor now; the browser's own
      // focus on mousedown would then land on the notebook (it has a tabindex), taking the
      // keys away from the editor that edit mode just focused.
      event.preventDefault();
      // The placeholder shows the source as the editor will: where the click fell in its text
      // is where the cursor goes (the new editor has no layout to ask until the next frame).
      const offset = offsetAt(parts.placeholder, event.clientX, event.clientY);
      this.hooks.edit(this.cell);
      if (offset !== null) this.ensureEditor().placeCursor(offset);
    });
    this.updateAll();
    return parts;
  }

  /**
   * Draws what a lazy view put off (outputs, markdown); the editor follows when the page is
   * idle, so opening a long notebook never waits for a dozen CodeMirror instances.
   */
  reveal(): void {
    if (!this.revealed) {
      this.revealed = true;
      this.element.classList.remove("lazy-cell");
      const parts = this.build();
      parts.outputs.reveal();
      if (this.cell.type === "markdown" && this.cell.rendered) this.renderText(parts);
    }
    if (!this.editor) whenIdle(() => {
      if (!this.disposed) this.ensureEditor();
    });
  }

  /** Creates the CodeMirror editor on first need (focus, or the cell scrolled into view). */
  ensureEditor(): CellEditor {
    if (this.editor) return this.editor;
    const { placeholder, editorHost } = this.build();
    placeholder.remove();
    this.editor = new CellEditor(editorHost, this.cell.source, this.cell.type, {
      onChange: (text) => {
        this.cell.source = text;
      },
      onFocus: () => this.hooks.edit(this.cell),
      complete: this.hooks.complete,
      leave: (direction) => this.hooks.leave(this.cell, direction),
    }, this.hooks.lineNumbers());
    return this.editor;
  }

  /** Shows the cell toolbar of this mode (View > Cell Toolbar) on top of the cell. */
  setToolbar(name: CellToolbarName): void {
    if (name === this.toolbarName) return;
    this.toolbarName = name;
    if (this.built) this.renderToolbar(this.built);
  }

  private renderToolbar(parts: Parts): void {
    const bar = this.toolbarName === "None" ? null : renderCellToolbar(this.cell, this.toolbarName);
    parts.toolbar.replaceChildren(...(bar ? [bar] : []));
    parts.toolbar.hidden = !bar;
  }

  private update(what: CellChange): void {
    const parts = this.built;
    switch (what) {
      case "source":
        this.editor?.setText(this.cell.source);
        if (!parts) {
          if (this.element.firstChild) this.element.firstChild.textContent = this.cell.source;
          return;
        }
        if (!this.editor) parts.placeholder.textContent = this.cell.source;
        // The Attachments bar says which attachments the source still uses.
        if (this.toolbarName === "Attachments") this.renderToolbar(parts);
        if (this.cell.type !== "code" && this.cell.rendered) this.renderText(parts);
        break;
      case "type":
        this.editor?.setType(this.cell.type, this.hooks.lineNumbers());
        this.updateAll();
        break;
      case "trust":
        parts?.outputs.refresh();
        break;
      case "metadata":
        if (parts) this.renderToolbar(parts);
        break;
      case "attachments":
        if (parts) this.renderToolbar(parts);
        if (parts && this.cell.type === "markdown" && this.cell.rendered) this.renderText(parts);
        break;
      default:
        // The prompt (count, or * to a number) says the run got this far: its outputs first.
        if (what === "state" || what === "count") parts?.outputs.flush();
        this.updateAll();
    }
  }

  private updateClasses(): void {
    const { cell } = this;
    const type = cell.type;
    this.element.classList.toggle("code_cell", type === "code");
    this.element.classList.toggle("text_cell", type !== "code");
    this.element.classList.toggle("markdown_cell", type === "markdown");
    this.element.classList.toggle("raw_cell", type === "raw");
    this.element.classList.toggle("running", cell.state !== "idle");
    this.element.classList.toggle("rendered", type === "markdown" && cell.rendered);
  }

  private updateAll(): void {
    this.updateClasses();
    const parts = this.built;
    if (!parts) return;
    const { cell } = this;
    const type = cell.type;
    parts.placeholder.textContent = cell.source;
    this.renderToolbar(parts);
    if (type === "code") {
      const count = cell.state !== "idle" ? "*" : (cell.executionCount ?? " ");
      parts.prompt.textContent = `In [${count}]:`;
    } else {
      parts.prompt.textContent = "";
    }
    if (type === "markdown" && cell.rendered) this.renderText(parts);
    parts.outputs.element.hidden = type !== "code";
  }

  private renderText(parts: Parts): void {
    if (!this.revealed) {
      // Stand-in of about the right height until the cell comes near the screen.
      parts.rendered.textContent = this.cell.source;
      return;
    }
    const source = this.cell.source.trim() ? this.cell.source : "Type *Markdown* and LaTeX: $\\alpha^2$";
    parts.rendered.replaceChildren(renderMarkdown(source, { ...this.hooks.context(this.cell), attachments: this.cell.attachments }));
  }

  dispose(): void {
    this.disposed = true;
    this.off();
    this.built?.outputs.dispose();
    this.editor?.destroy();
  }
}

// The offset into an element's only text node at a point on screen, if the point is in it.
function offsetAt(element: HTMLElement, x: number, y: number): number | null {
  const doc = element.ownerDocument;
  if (typeof doc.caretPositionFromPoint === "function") {
    const caret = doc.caretPositionFromPoint(x, y);
    return caret && caret.offsetNode.parentNode === element ? caret.offset : null;
  }
  const range = typeof doc.caretRangeFromPoint === "function" ? doc.caretRangeFromPoint(x, y) : null;
  return range && range.startContainer.parentNode === element ? range.startOffset : null;
}

// Idle callbacks where the browser has them (not Safari), else the next task.
function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === "function") requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 0);
}
