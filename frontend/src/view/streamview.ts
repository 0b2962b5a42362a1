// One stream output on screen: grows by appending, and shows only head and tail when huge.

import { AnsiUp } from "ansi_up";
import { clipText, DEFAULT_STREAM_LIMITS, isHuge, LineCounter, type StreamLimits } from "../model/clip";
import type { StreamOutput } from "../model/types";
import { h } from "./dom";

let limits: StreamLimits = { ...DEFAULT_STREAM_LIMITS, ...configuredLimits() };

/** Changes the size past which streams are clipped (the page setting). */
export function setStreamLimits(change: Partial<StreamLimits>): void {
  limits = { ...limits, ...change };
}

export function streamLimits(): StreamLimits {
  return limits;
}

// Lines per step when "Show all" renders a huge text, one step per frame.
const SHOW_ALL_STEP = 20_000;

export class StreamView {
  readonly element = h("div", { class: "output-body stream-output" });
  private readonly counter = new LineCounter();
  private text = "";
  private lines = 0;
  private showAll = false;
  private clipped = false;
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

  /** Shows `output`, whose text is unchanged before `from`. */
  update(output: StreamOutput, from: number): void {
    this.output = output;
    this.text = visible(output.text);
    this.lines = this.counter.update(this.text, from);
    if (this.filling) return;
    const huge = !this.showAll && isHuge(this.lines, this.text.length, limits);
    if (huge) this.drawClipped();
    else if (this.clipped || !this.pre || from < this.done) this.redrawPlain();
    else this.appendPlain();
  }

  private drawClipped(): void {
    const { head, tail, hiddenLines, hiddenChars } = clipText(this.text, this.lines, limits);
    const show = h("button", { type: "button", class: "btn btn-default btn-xs stream-show-all" }, "Show all");
    const save = h("button", { type: "button", class: "btn btn-default btn-xs stream-download" }, "Download");
    show.addEventListener("click", () => this.expand());
    save.addEventListener("click", () => this.download());
    const size = hiddenChars >= 1024 * 1024 ? `${(hiddenChars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(hiddenChars / 1024)} kB`;
    const bar = h("div", { class: "stream-clip-bar" }, h("span", { class: "stream-clip-note" }, `… ${hiddenLines.toLocaleString("en")} more lines (${size}) not shown …`), show, save);
    const name = this.output.name;
    this.element.replaceChildren(pre(head, `stream-text ${name} stream-head`), bar, pre(tail, `stream-text ${name} stream-tail`));
    this.element.classList.add("stream-clipped");
    this.clipped = true;
    this.pre = null;
  }

  private redrawPlain(): void {
    this.element.classList.remove("stream-clipped");
    this.clipped = false;
    this.pre = document.createElement("pre");
    this.pre.className = `stream-text ${this.output.name}`;
    this.tail = document.createElement("span");
    this.pre.append(this.tail);
    this.element.replaceChildren(this.pre);
    this.done = 0;
    this.ansi = newAnsi();
    this.appendPlain();
  }

  /** Draws what was added since the last frame: whole lines become a fixed chunk. */
  private appendPlain(): void {
    if (!this.pre || !this.tail) return;
    const cut = this.text.lastIndexOf("\n") + 1;
    if (cut > this.done) {
      const chunk = document.createElement("span");
      // ansi_up keeps colour state between calls, so a colour spanning chunks carries on.
      chunk.innerHTML = this.ansi.ansi_to_html(this.text.slice(this.done, cut));
      this.tail.before(chunk);
      this.done = cut;
    }
    // The unfinished last line: drawn with a copy of the state, as it may still change.
    const rest = this.text.slice(this.done);
    this.tail.innerHTML = rest ? cloneAnsi(this.ansi).ansi_to_html(rest) : "";
  }

  /** "Show all": draws the full text in steps, one per frame, so the page never freezes. */
  private expand(): void {
    this.showAll = true;
    this.filling = true;
    this.redrawPlainEmpty();
    const step = (): void => {
      let end = this.done;
      for (let i = 0; i < SHOW_ALL_STEP && end < this.text.length; i++) {
        const next = this.text.indexOf("\n", end);
        end = next === -1 ? this.text.length : next + 1;
      }
      if (this.pre && this.tail && end > this.done) {
        const chunk = document.createElement("span");
        chunk.innerHTML = this.ansi.ansi_to_html(this.text.slice(this.done, end));
        this.tail.before(chunk);
        this.done = end;
      }
      if (this.done < this.text.length && this.text.indexOf("\n", this.done) !== -1) {
        requestAnimationFrame(step);
        return;
      }
      this.filling = false;
      this.appendPlain();
    };
    requestAnimationFrame(step);
  }

  private redrawPlainEmpty(): void {
    const text = this.text;
    this.text = "";
    this.redrawPlain();
    this.text = text;
  }

  private download(): void {
    const url = URL.createObjectURL(new Blob([this.text], { type: "text/plain;charset=utf-8" }));
    const link = h("a", { href: url, download: `${this.output.name}.txt` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

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
