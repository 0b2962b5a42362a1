// The outputs of one code cell, changed by kernel messages, announced incrementally.

import type { ClearOutput, DisplayData, ErrorContent, ExecuteResult, Stream } from "../kernel/messages";
import { Emitter } from "./emitter";
import { appendStream, appendStreamAt } from "./text";
import type { JsonObject, MimeBundle, Output } from "./types";
import { joinText } from "./types";

export type OutputChange =
  | { kind: "append"; index: number }
  // A stream that grew: the text before `from` is unchanged and `added` follows it.
  | { kind: "update"; index: number; from?: number; added?: string }
  | { kind: "reset" };

/** What an IOPub message asks of an output area. */
export interface OutputMessage {
  msgType: string;
  content: JsonObject;
}

/** The fields output messages may carry: their names are checked, their values are read defensively. */
type OutputFields = Partial<Stream & DisplayData & ExecuteResult & ErrorContent & ClearOutput>;

export class OutputArea {
  readonly changed = new Emitter<OutputChange>();
  private items: Output[] = [];
  // display_id of each output (parallel to items), for update_display_data.
  private displayIds: (string | null)[] = [];
  private clearPending = false;
  // Whether the last output, a stream, ends with a pending "\r" (see appendStreamAt).
  private returnPending = false;
  collapsed = false;
  scrolled = false;
  /** A toggle changed by the user (the cell keeps it in its metadata). */
  readonly toggled = new Emitter<"collapsed" | "scrolled">();

  /** Hides the outputs (collapsed) or limits their height (scrolled), as the user asked. */
  setToggle(toggle: "collapsed" | "scrolled", value: boolean): void {
    if (this[toggle] === value) return;
    this[toggle] = value;
    this.toggled.emit(toggle);
  }

  get outputs(): readonly Output[] {
    return this.items;
  }

  get length(): number {
    return this.items.length;
  }

  displayIdAt(index: number): string | null {
    return this.displayIds[index] ?? null;
  }

  /** Replaces everything (loading a notebook). */
  load(outputs: Output[]): void {
    this.items = outputs.map(normalizeOutput);
    const last = this.items[this.items.length - 1];
    this.returnPending = last?.output_type === "stream" && last.text.endsWith("\r");
    this.displayIds = this.items.map(() => null);
    this.clearPending = false;
    this.changed.emit({ kind: "reset" });
  }

  /** clear_output: now, or (wait) just before the next output arrives, so nothing flickers. */
  clear(wait = false): void {
    if (wait) {
      this.clearPending = true;
      return;
    }
    this.clearPending = false;
    if (this.items.length === 0) return;
    this.items = [];
    this.displayIds = [];
    this.changed.emit({ kind: "reset" });
  }

  /** Adds an output; a stream continuing the last stream of the same name is merged into it. */
  add(output: Output, displayId: string | null = null): void {
    if (this.clearPending) this.clear(false);
    const last = this.items[this.items.length - 1];
    if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
      const index = this.items.length - 1;
      const { text, from, added, returnPending } = appendStreamAt(last.text, output.text, this.returnPending);
      this.returnPending = returnPending;
      this.items[index] = { ...last, text };
      this.changed.emit({ kind: "update", index, from, added });
      return;
    }
    const item = output.output_type === "stream" ? { ...output, text: appendStream("", output.text) } : output;
    if (item.output_type === "stream") this.returnPending = item.text.endsWith("\r");
    this.items.push(item);
    this.displayIds.push(displayId);
    this.changed.emit({ kind: "append", index: this.items.length - 1 });
  }

  /** update_display_data: replaces every output showing display_id; true if any did. */
  updateDisplay(displayId: string, data: MimeBundle, metadata: JsonObject): boolean {
    let found = false;
    this.displayIds.forEach((id, index) => {
      if (id !== displayId) return;
      const old = this.items[index];
      if (old.output_type !== "display_data" && old.output_type !== "execute_result") return;
      this.items[index] = { ...old, data, metadata };
      this.changed.emit({ kind: "update", index });
      found = true;
    });
    return found;
  }

  /** Applies one IOPub message; false when the message is not about outputs. */
  handle(message: OutputMessage): boolean {
    const c: OutputFields = message.content;
    const transient = (c.transient ?? {}) as JsonObject;
    const displayId = typeof transient.display_id === "string" ? transient.display_id : null;
    switch (message.msgType) {
      case "stream":
        this.add({ output_type: "stream", name: c.name === "stderr" ? "stderr" : "stdout", text: String(c.text ?? "") });
        return true;
      case "display_data":
        this.add({ output_type: "display_data", data: bundle(c.data), metadata: bundle(c.metadata) }, displayId);
        return true;
      case "execute_result":
        this.add(
          {
            output_type: "execute_result",
            data: bundle(c.data),
            metadata: bundle(c.metadata),
            execution_count: typeof c.execution_count === "number" ? c.execution_count : null,
          },
          displayId,
        );
        return true;
      case "error":
        this.add({
          output_type: "error",
          ename: String(c.ename ?? ""),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        return true;
      case "clear_output":
        this.clear(Boolean(c.wait));
        return true;
      default:
        return false;
    }
  }

  /** The outputs as nbformat JSON (a trailing carriage return is not saved). */
  toJSON(): Output[] {
    return this.items.map((o) => (o.output_type === "stream" && o.text.endsWith("\r") ? { ...o, text: o.text.slice(0, -1) } : o));
  }
}

function bundle(value: unknown): JsonObject {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : {};
}

function normalizeBundle(data: unknown): MimeBundle {
  const result: MimeBundle = {};
  for (const [mime, value] of Object.entries(bundle(data))) {
    // Multiline strings come as lists of lines; JSON types stay structured.
    result[mime] = Array.isArray(value) && !mime.endsWith("json") ? joinText(value) : value;
  }
  return result;
}

/** An output loaded from a file: multiline strings joined, missing fields filled. */
export function normalizeOutput(raw: unknown): Output {
  const o = bundle(raw);
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: o.name === "stderr" ? "stderr" : "stdout", text: joinText(o.text) };
    case "execute_result":
      return {
        output_type: "execute_result",
        data: normalizeBundle(o.data),
        metadata: bundle(o.metadata),
        execution_count: typeof o.execution_count === "number" ? o.execution_count : null,
      };
    case "error":
      return {
        output_type: "error",
        ename: String(o.ename ?? ""),
        evalue: String(o.evalue ?? ""),
        traceback: Array.isArray(o.traceback) ? o.traceback.map(String) : [],
      };
    default:
      return { output_type: "display_data", data: normalizeBundle(o.data), metadata: bundle(o.metadata) };
  }
}
