// The DOM-free notebook: cells, selection, mode, clipboard, undo of deletes, dirty state.
// Over 300 lines: one short method per notebook operation, all on the same cell list.

import { mergeAttachments } from "./attachments";
import { Cell } from "./cell";
import { Emitter } from "./emitter";
import type { CellType, JsonObject, NbCell, NbDocument } from "./types";

export type Mode = "command" | "edit";
export type KernelStatus = "starting" | "idle" | "busy" | "disconnected" | "reconnecting" | "restarting" | "dead" | "unknown";

export type NotebookChange =
  | { kind: "cells" } // cells inserted, removed or moved
  | { kind: "selection" }
  | { kind: "mode" }
  | { kind: "dirty" }
  | { kind: "kernel" }
  | { kind: "metadata"; key: string }
  | { kind: "trust" };

// Deleted cells remembered for undo; older deletions fall off.
const UNDO_LIMIT = 50;

/** Clipboard shared by every notebook of the page (Jupyter copies cells, not text). */
let clipboard: NbCell[] = [];

export class Notebook {
  readonly changed = new Emitter<NotebookChange>();
  cells: Cell[] = [];
  metadata: JsonObject = {};
  nbformatMinor = 5;
  private active = 0;
  private anchor = 0;
  private _mode: Mode = "command";
  private _dirty = false;
  private _kernel: KernelStatus = "unknown";
  // Notebook-level undo (Z): deleted cells, or the sources before a replace-all.
  private undoStack: ({ index: number; cells: NbCell[] } | { sources: [Cell, string, string][] })[] = [];
  private unsubscribers = new Map<Cell, () => void>();

  static fromJSON(doc: NbDocument): Notebook {
    const nb = new Notebook();
    nb.load(doc);
    return nb;
  }

  load(doc: NbDocument): void {
    for (const off of this.unsubscribers.values()) off();
    this.unsubscribers.clear();
    this.metadata = { ...(doc.metadata ?? {}) };
    this.nbformatMinor = Math.max(doc.nbformat_minor ?? 5, 5);
    this.cells = (doc.cells ?? []).map((c) => this.adopt(Cell.fromJSON(c)));
    if (this.cells.length === 0) this.cells.push(this.adopt(new Cell("code")));
    this.active = this.anchor = 0;
    this.undoStack = [];
    this._mode = "command";
    this.changed.emit({ kind: "cells" });
    this.changed.emit({ kind: "selection" });
    this.setDirty(false);
  }

  toJSON(): NbDocument {
    return { nbformat: 4, nbformat_minor: this.nbformatMinor, metadata: this.metadata, cells: this.cells.map((c) => c.toJSON()) };
  }

  /** Sets one key of the notebook's metadata and says so (whether that is an edit to save is the caller's call). */
  setMetadata(key: string, value: unknown): void {
    if (JSON.stringify(this.metadata[key]) === JSON.stringify(value)) return;
    if (value === undefined) delete this.metadata[key];
    else this.metadata[key] = value;
    this.changed.emit({ kind: "metadata", key });
  }

  /** Replaces the whole metadata as a user's edit: one event per changed key, and dirty. */
  replaceMetadata(value: JsonObject): void {
    const keys = new Set([...Object.keys(this.metadata), ...Object.keys(value)]);
    const changed = [...keys].filter((key) => JSON.stringify(this.metadata[key]) !== JSON.stringify(value[key]));
    if (changed.length === 0) return;
    this.metadata = { ...value };
    for (const key of changed) this.changed.emit({ kind: "metadata", key });
    this.setDirty(true);
  }

  // --- state -------------------------------------------------------------------

  get dirty(): boolean {
    return this._dirty;
  }

  /** Counts changes, so a save knows whether anything changed while it was in flight. */
  version = 0;

  setDirty(value: boolean): void {
    if (value) this.version += 1;
    if (value === this._dirty) return;
    this._dirty = value;
    this.changed.emit({ kind: "dirty" });
  }

  get kernelStatus(): KernelStatus {
    return this._kernel;
  }

  set kernelStatus(value: KernelStatus) {
    if (value === this._kernel) return;
    this._kernel = value;
    this.changed.emit({ kind: "kernel" });
  }

  get mode(): Mode {
    return this._mode;
  }

  set mode(value: Mode) {
    if (value === this._mode) return;
    this._mode = value;
    if (value === "edit" && this.activeCell?.type === "markdown") this.activeCell.rendered = false;
    this.changed.emit({ kind: "mode" });
  }

  /** True when every cell's output may run (the "Not trusted" indicator is off). */
  get trusted(): boolean {
    return this.cells.every((c) => c.trusted);
  }

  trustAll(): void {
    for (const cell of this.cells) if (cell.type === "code") cell.trusted = true;
  }

  // --- selection ---------------------------------------------------------------

  get activeIndex(): number {
    return this.active;
  }

  get activeCell(): Cell | undefined {
    return this.cells[this.active];
  }

  /** The selected range (inclusive), from the anchor to the active cell. */
  get selectedRange(): [number, number] {
    return [Math.min(this.anchor, this.active), Math.max(this.anchor, this.active)];
  }

  get selectedCells(): Cell[] {
    const [a, b] = this.selectedRange;
    return this.cells.slice(a, b + 1);
  }

  isSelected(index: number): boolean {
    const [a, b] = this.selectedRange;
    return index >= a && index <= b;
  }

  select(index: number, extend = false): void {
    const clamped = Math.max(0, Math.min(index, this.cells.length - 1));
    if (!extend && this._mode === "edit" && clamped !== this.active) this.mode = "command";
    this.active = clamped;
    if (!extend) this.anchor = clamped;
    this.changed.emit({ kind: "selection" });
  }

  selectNext(extend = false): void {
    this.select(this.active + 1, extend);
  }

  selectPrevious(extend = false): void {
    this.select(this.active - 1, extend);
  }

  indexOf(cell: Cell): number {
    return this.cells.indexOf(cell);
  }

  // --- structure -----------------------------------------------------------------

  insert(index: number, type: CellType = "code", source = ""): Cell {
    const cell = this.adopt(new Cell(type, source));
    this.cells.splice(index, 0, cell);
    this.changedStructure();
    this.select(index);
    return cell;
  }

  insertAbove(type: CellType = "code"): Cell {
    return this.insert(this.selectedRange[0], type);
  }

  insertBelow(type: CellType = "code"): Cell {
    return this.insert(this.selectedRange[1] + 1, type);
  }

  /** Deletes the selected cells (undoable); a notebook always keeps one cell. */
  deleteSelected(): void {
    const [a, b] = this.selectedRange;
    const removed = this.cells.splice(a, b - a + 1);
    for (const cell of removed) this.release(cell);
    this.pushUndo({ index: a, cells: removed.map((c) => c.toJSON()) });
    if (this.cells.length === 0) this.cells.push(this.adopt(new Cell("code")));
    this.changedStructure();
    this.select(Math.min(a, this.cells.length - 1));
  }

  get canUndoDelete(): boolean {
    return this.undoStack.length > 0;
  }

  /** Undoes the last delete or replace-all; how many cells it restored. */
  undoDelete(): number {
    const last = this.undoStack.pop();
    if (!last) return 0;
    if ("sources" in last) {
      // A cell edited since keeps the user's edit; one deleted since is gone.
      const back = last.sources.filter(([cell, , after]) => this.cells.includes(cell) && cell.source === after);
      for (const [cell, before] of back) cell.source = before;
      return back.length;
    }
    const restored = last.cells.map((c) => this.adopt(Cell.fromJSON(c)));
    const index = Math.min(last.index, this.cells.length);
    this.cells.splice(index, 0, ...restored);
    this.changedStructure();
    this.select(index);
    return restored.length;
  }

  /** Sets several cells' sources as one step that undoDelete (Z) takes back. */
  replaceSources(edits: { cell: Cell; source: string }[]): void {
    const sources = edits.filter((e) => e.cell.source !== e.source).map((e): [Cell, string, string] => [e.cell, e.cell.source, e.source]);
    if (sources.length === 0) return;
    for (const [cell, , after] of sources) cell.source = after;
    this.pushUndo({ sources });
  }

  moveUp(): void {
    const [a, b] = this.selectedRange;
    if (a === 0) return;
    const [above] = this.cells.splice(a - 1, 1);
    this.cells.splice(b, 0, above);
    this.shiftSelection(-1);
  }

  moveDown(): void {
    const [a, b] = this.selectedRange;
    if (b >= this.cells.length - 1) return;
    const [below] = this.cells.splice(b + 1, 1);
    this.cells.splice(a, 0, below);
    this.shiftSelection(1);
  }

  copy(): void {
    clipboard = this.selectedCells.map((c) => c.toJSON());
  }

  cut(): void {
    this.copy();
    this.deleteSelected();
  }

  get canPaste(): boolean {
    return clipboard.length > 0;
  }

  /** Pastes copies (new ids) of the clipboard below (or above) the selection. */
  paste(above = false): void {
    if (clipboard.length === 0) return;
    const index = above ? this.selectedRange[0] : this.selectedRange[1] + 1;
    const cells = clipboard.map((c) => this.adopt(Cell.fromJSON({ ...c, id: undefined })));
    this.cells.splice(index, 0, ...cells);
    this.changedStructure();
    this.select(index + cells.length - 1);
    this.anchor = index;
    this.changed.emit({ kind: "selection" });
  }

  /** Splits the active cell at a character offset into two cells of its type. */
  splitActive(offset: number): void {
    const cell = this.activeCell;
    if (!cell) return;
    const text = cell.source;
    const head = text.slice(0, offset).replace(/\n$/, "");
    const tail = text.slice(offset).replace(/^\n/, "");
    cell.source = head;
    const next = this.adopt(new Cell(cell.type, tail));
    // Both halves keep the images (each saves only those its text uses).
    next.attachments = cell.attachments;
    this.cells.splice(this.active + 1, 0, next);
    this.changedStructure();
    this.select(this.active + 1);
  }

  /** Merges the selected cells (or the active cell with the one below) into one. */
  merge(): void {
    let [a, b] = this.selectedRange;
    if (a === b) b = a + 1;
    if (b >= this.cells.length) return;
    const target = this.cells[a];
    // The images of the merged cells go with their text (model/attachments.ts).
    const { sources, attachments } = mergeAttachments(this.cells.slice(a, b + 1));
    target.source = sources.join("\n\n");
    if (attachments) target.setAttachments(attachments);
    const removed = this.cells.splice(a + 1, b - a);
    for (const cell of removed) this.release(cell);
    this.changedStructure();
    this.select(a);
  }

  changeType(type: CellType): void {
    for (const cell of this.selectedCells) cell.type = type;
    this.setDirty(true);
  }

  /** Cells from the active one to the end (run below) or up to it (run above). */
  cellsAbove(): Cell[] {
    return this.cells.slice(0, this.active);
  }

  cellsBelow(): Cell[] {
    return this.cells.slice(this.active);
  }

  clearAllOutputs(): void {
    for (const cell of this.cells) {
      if (cell.type !== "code") continue;
      cell.outputs.clear();
      cell.executionCount = null;
    }
    this.setDirty(true);
  }

  // --- internals -------------------------------------------------------------------

  private pushUndo(step: Notebook["undoStack"][number]): void {
    this.undoStack.push(step);
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
  }

  private shiftSelection(delta: number): void {
    this.active += delta;
    this.anchor += delta;
    this.changedStructure();
    this.changed.emit({ kind: "selection" });
  }

  private changedStructure(): void {
    this.changed.emit({ kind: "cells" });
    this.setDirty(true);
  }

  private adopt(cell: Cell): Cell {
    const offs = [
      cell.changed.on((what) => {
        if (what === "source" || what === "type" || what === "metadata" || what === "attachments") this.setDirty(true);
        if (what === "trust") this.changed.emit({ kind: "trust" });
      }),
      cell.outputs.changed.on(() => this.setDirty(true)),
    ];
    this.unsubscribers.set(cell, () => offs.forEach((off) => off()));
    return cell;
  }

  private release(cell: Cell): void {
    this.unsubscribers.get(cell)?.();
    this.unsubscribers.delete(cell);
  }
}
