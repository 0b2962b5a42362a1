// One cell of the notebook model: source, type, outputs and run state; no DOM.

import { Emitter } from "./emitter";
import { normalizeOutput, OutputArea } from "./outputs";
import { togglesFromMetadata } from "./outputtoggles";
import type { CellType, JsonObject, NbCell } from "./types";
import { joinText } from "./types";

export type RunState = "idle" | "queued" | "running";

export type CellChange = "source" | "type" | "state" | "count" | "rendered" | "trust" | "metadata" | "attachments";

let counter = 0;

/** A fresh nbformat 4.5 cell id (8 random-looking characters, unique in this page). */
export function newCellId(): string {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 8).padEnd(6, "0");
  return `${random}${counter.toString(36)}`.slice(0, 12);
}

export class Cell {
  readonly changed = new Emitter<CellChange>();
  readonly outputs = new OutputArea();
  id: string;
  private _type: CellType;
  private _source: string;
  metadata: JsonObject;
  attachments: JsonObject | undefined;
  private _count: number | null = null;
  private _state: RunState = "idle";
  // Markdown cells show rendered HTML except while edited.
  private _rendered = true;

  constructor(type: CellType = "code", source = "", id?: string) {
    this.id = id ?? newCellId();
    this._type = type;
    this._source = source;
    this.metadata = {};
    // Kept as the classic notebook keeps them; absent is the default (shown, not scrolled).
    this.outputs.toggled.on((toggle) => {
      if (this._type === "code") this.setMetadataKey(toggle, this.outputs[toggle] ? true : undefined);
    });
  }

  static fromJSON(raw: NbCell): Cell {
    const type: CellType = raw.cell_type === "markdown" || raw.cell_type === "raw" ? raw.cell_type : "code";
    const cell = new Cell(type, joinText(raw.source), typeof raw.id === "string" && raw.id ? raw.id : undefined);
    cell.metadata = { ...(raw.metadata ?? {}) };
    if (raw.attachments) cell.attachments = raw.attachments;
    if (type === "code") {
      cell._count = typeof raw.execution_count === "number" ? raw.execution_count : null;
      cell.outputs.load((raw.outputs ?? []).map(normalizeOutput));
      Object.assign(cell.outputs, togglesFromMetadata(cell.metadata));
    }
    return cell;
  }

  toJSON(): NbCell {
    // metadata.trusted goes back to the server, which signs only fully trusted notebooks.
    const metadata = { ...this.metadata };
    const base: NbCell = { id: this.id, cell_type: this._type, metadata, source: this._source };
    if (this.attachments && this._type !== "code") base.attachments = this.attachments;
    if (this._type === "code") {
      base.outputs = this.outputs.toJSON();
      base.execution_count = this._count;
    }
    return base;
  }

  get type(): CellType {
    return this._type;
  }

  set type(value: CellType) {
    if (value === this._type) return;
    this._type = value;
    if (value !== "code") {
      this.outputs.clear();
      this._count = null;
    }
    this._rendered = false;
    this.changed.emit("type");
  }

  get source(): string {
    return this._source;
  }

  set source(value: string) {
    if (value === this._source) return;
    this._source = value;
    this.changed.emit("source");
  }

  get executionCount(): number | null {
    return this._count;
  }

  set executionCount(value: number | null) {
    this._count = value;
    this.changed.emit("count");
  }

  get state(): RunState {
    return this._state;
  }

  set state(value: RunState) {
    if (value === this._state) return;
    this._state = value;
    this.changed.emit("state");
  }

  get rendered(): boolean {
    return this._rendered;
  }

  set rendered(value: boolean) {
    if (value === this._rendered) return;
    this._rendered = value;
    this.changed.emit("rendered");
  }

  /** Sets (or, with undefined, removes) one metadata key; an edit the notebook saves. */
  setMetadataKey(key: string, value: unknown): void {
    if (JSON.stringify(this.metadata[key]) === JSON.stringify(value)) return;
    if (value === undefined) delete this.metadata[key];
    else this.metadata[key] = value;
    this.changed.emit("metadata");
  }

  /** Replaces the metadata (the transient `trusted` flag is kept: it is not the user's to edit). */
  replaceMetadata(value: JsonObject): void {
    const next: JsonObject = { ...value };
    delete next.trusted;
    if ("trusted" in this.metadata) next.trusted = this.metadata.trusted;
    if (JSON.stringify(next) === JSON.stringify(this.metadata)) return;
    this.metadata = next;
    this.changed.emit("metadata");
  }

  /** Replaces the attachments (empty: none); an edit the notebook saves (model/attachments.ts). */
  setAttachments(value: JsonObject | undefined): void {
    this.attachments = value && Object.keys(value).length ? value : undefined;
    this.changed.emit("attachments");
  }

  /** Whether the server vouched for this cell's output (or the user produced it here). */
  get trusted(): boolean {
    return this.metadata.trusted === true || this._type !== "code" || this.outputs.length === 0;
  }

  set trusted(value: boolean) {
    this.metadata.trusted = value;
    this.changed.emit("trust");
  }
}
