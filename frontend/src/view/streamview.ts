// One stream output on screen: grows by appending, and shows only head and tail when huge.

import { AnsiUp } from "ansi_up";
import { clipHead, clipTail, clipText, countNewlines, DEFAULT_STREAM_LIMITS, describeClip, isHuge, lineCount, type StreamLimits } from "../model/clip";
import type { StreamOutput } from "../model/types";
import { h } from "./dom";
import { t } from "../i18n";

let limits: StreamLimits = { ...DEFAULT_STREAM_LIMITS, ...configuredLimits() };

/** Changes the size past which streams are clipped (the page setting). */
export function setStreamLimits(change: Partial<StreamLimits>): void {
  limits = { ...limits, ...change };
}

export function streamLimits(): StreamLimits {
  return limits;
}

// Lines per step when "Show all" renders a huge text, one step per frame.
const SHOW_ALL_STEP = 2_000;

export class StreamView {
  readonly element = h("div", { class: "output-body stream-output" });
  // What the view knows of the text without reading it whole (a long concatenated
  // string is copied whenever it is read): its length, newlines, first part, and a
  // window of its end, `recent`, which starts at `recentStart`.
  private length = 0;
  private newlines = 0;
  private first = "";
  private recent = "";
  private recentStart = 0;
  private showAll = false;
  private clipped = false;
  private clipParts: { head: HTMLPreElement; note: HTMLElement; tail: HTMLPreElement; headText: string; tailText: string } | null = null;
  // Plain mode: one <pre>; `done` is the length drawn into fixed chunks (whole lines),
  // the rest (the last, possibly rewritten line) is in `tail`.
  private pre: HTMLPreElement | null = null;
  private tail: HTMLSpanElement | null = null;
  private done = 0;
  private ansi = newAnsi();
  private filling = false;

  constructor(private output: StreamOutput) {
    this.update(output, 0);
  }

  /** Shows `output`, whose text is unchanged before `from`; `added` follows it, if known. */
  update(output: StreamOutput, from: number, added?: string): void {
    this.output = output;
    if (added === undefined || from < this.recentStart || from > this.length) this.measureAll();
    else this.measureAdded(from, added);
    if (this.filling) return;
    const huge = !this.showAll && isHuge(lineCount(this.newlines, this.length, this.recent.endsWith("\n")), this.length, limits);
    if (huge) this.drawClipped();
    else {
      if (this.clipped || !this.pre || from < this.done) this.redrawPlain();
      this.appendPlain();
    }
  }

  private measureAll(): void {
    const text = this.output.text;
    this.length = text.length;
    this.newlines = countNewlines(text);
    this.first = text.slice(0, limits.partChars);
    this.recentStart = Math.max(0, text.length - 2 * limits.partChars);
    this.recent = text.slice(this.recentStart);
  }

  private measureAdded(from: number, added: string): void {
    const keep = from - this.recentStart;
    this.newlines += countNewlines(added) - countNewlines(this.recent.slice(keep));
    this.recent = this.recent.slice(0, keep) + added;
    this.length = from + added.length;
    if (from < limits.partChars) this.first = (this.first.slice(0, from) + added).slice(0, limits.partChars);
    if (this.recent.length > 4 * limits.partChars) {
      // Keep a window of the end twice the largest tail; its cut first line is never shown.
      const cut = this.recent.length - 2 * limits.partChars;
      this.recent = this.recent.slice(cut);
      this.recentStart += cut;
    }
  }

  private drawClipped(): void {
    const lines = lineCount(this.newlines, this.length, this.recent.endsWith("\n"));
    let clip;
    if (this.recentStart === 0) clip = clipText(this.recent, lines, limits);
    else {
      const head = clipHead(this.first, limits);
      clip = describeClip(head, clipTail(this.recent, limits), lines, this.length);
    }
    const { head, tail, hiddenLines, hiddenChars } = clip;
    if (!this.clipped) this.buildClipped();
    const parts = this.clipParts;
    if (!parts) return;
    const size = hiddenChars >= 1024 * 1024 ? `${(hiddenChars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(hiddenChars / 1024)} kB`;
    parts.note.textContent = t("… {count} more lines ({size}) not shown …", { count: hiddenLines.toLocaleString("en"), size });
    // Only what changed is redrawn: while a stream grows, that is the tail alone.
    if (parts.headText !== head) parts.head.innerHTML = newAnsi().ansi_to_html(head);
    parts.headText = head;
    const shownTail = visible(tail);
    if (parts.tailText !== shownTail) parts.tail.innerHTML = newAnsi().ansi_to_html(shownTail);
    parts.tailText = shownTail;
  }

  private buildClipped(): void {
    const show = h("button", { type: "button", class: "btn btn-default btn-xs stream-show-all" }, t("Show all"));
    const save = h("button", { type: "button", class: "btn btn-default btn-xs stream-download" }, t("Download"));
    show.addEventListener("click", () => this.expand());
    save.addEventListener("click", () => this.download());
    const name = this.output.name;
    const parts = { head: pre("", `stream-text ${name} stream-head`), note: h("span", { class: "stream-clip-note" }), tail: pre("", `stream-text ${name} stream-tail`), headText: "", tailText: "" };
    this.element.replaceChildren(parts.head, h("div", { class: "stream-clip-bar" }, parts.note, show, save), parts.tail);
    this.element.classList.add("stream-clipped");
    this.clipParts = parts;
    this.clipped = true;
    this.pre = null;
  }

  private redrawPlain(): void {
    this.element.classList.remove("stream-clipped");
    this.clipped = false;
    this.clipParts = null;
    this.pre = document.createElement("pre");
    this.pre.className = `stream-text ${this.output.name}`;
    this.tail = document.createElement("span");
    this.pre.append(this.tail);
    this.element.replaceChildren(this.pre);
    this.done = 0;
    this.ansi = newAnsi();
  }

  /** Draws what was added since the last frame: whole lines become a fixed chunk. */
  private appendPlain(): void {
    if (!this.pre || !this.tail) return;
    const text = this.output.text;
    const cut = text.lastIndexOf("\n") + 1;
    if (cut > this.done) this.appendChunk(text.slice(this.done, cut));
    // The unfinished last line: drawn with a copy of the state, as it may still change.
    const rest = visible(text.slice(this.done));
    this.tail.innerHTML = rest ? cloneAnsi(this.ansi).ansi_to_html(rest) : "";
  }

  private appendChunk(part: string): void {
    const chunk = document.createElement("span");
    // ansi_up keeps colour state between calls, so a colour spanning chunks carries on.
    chunk.innerHTML = this.ansi.ansi_to_html(part);
    this.tail?.before(chunk);
    this.done += part.length;
  }

  /** "Show all": draws the full text in steps, one per frame, so the page never freezes. */
  private expand(): void {
    this.showAll = true;
    this.filling = true;
    this.redrawPlain();
    const step = (): void => {
      const text = this.output.text;
      let end = this.done;
      for (let i = 0; i < SHOW_ALL_STEP && end < text.length; i++) {
        const next = text.indexOf("\n", end);
        end = next === -1 ? this.done : next + 1;
        if (next === -1) break;
      }
      if (end > this.done) this.appendChunk(text.slice(this.done, end));
      if (text.indexOf("\n", this.done) !== -1) {
        requestAnimationFrame(step);
        return;
      }
      this.filling = false;
      this.appendPlain();
    };
    requestAnimationFrame(step);
  }

  private download(): void {
    const url = URL.createObjectURL(new Blob([visible(this.output.text)], { type: "text/plain;charset=utf-8" }));
    const link = h("a", { href: url, download: `${this.output.name}.txt` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

// A pending "\r" (a progress bar about to redraw its line) is not shown.
function visible(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

function newAnsi(): AnsiUp {
  const converter = new AnsiUp();
  converter.use_classes = true;
  converter.escape_html = true;
  return converter;
}

function cloneAnsi(source: AnsiUp): AnsiUp {
  const copy = newAnsi();
  Object.assign(copy, source);
  return copy;
}

function pre(text: string, className: string): HTMLPreElement {
  const el = document.createElement("pre");
  el.className = className;
  el.innerHTML = newAnsi().ansi_to_html(text);
  return el;
}

function configuredLimits(): Partial<StreamLimits> {
  // The page setting: carnet-config may carry streamMaxLines / streamMaxChars.
  if (typeof document === "undefined") return {};
  try {
    const raw = JSON.parse(document.getElementById("carnet-config")?.textContent || "{}");
    const result: Partial<StreamLimits> = {};
    if (typeof raw.streamMaxLines === "number" && raw.streamMaxLines > 0) result.maxLines = raw.streamMaxLines;
    if (typeof raw.streamMaxChars === "number" && raw.streamMaxChars > 0) result.maxChars = raw.streamMaxChars;
    return result;
  } catch {
    return {};
  }
}
