// The output area of a code cell: applies OutputArea changes to the DOM incrementally.

import { animationFrame, OutputChangeBatch, type Scheduler } from "../model/framebatch";
import type { OutputArea, OutputChange } from "../model/outputs";
import type { Output, StreamOutput } from "../model/types";
import { ansiPre } from "../render/ansi";
import { chooseMime, renderMime, type RenderContext } from "../render/mime";
import { BIG_IMAGE_CHARS, bigImage } from "./bigimage";
import { h } from "./dom";
import { StreamView } from "./streamview";
import { t } from "../i18n";

export function renderOutput(output: Output, ctx: RenderContext): HTMLElement {
  const row = h("div", { class: `output output-${output.output_type.replace("_", "-")}` });
  const prompt = h("div", { class: "prompt output-prompt" });
  let body: HTMLElement;
  switch (output.output_type) {
    case "stream":
      body = ansiPre(output.text.endsWith("\r") ? output.text.slice(0, -1) : output.text, `stream-text ${output.name}`);
      break;
    case "error":
      body = ansiPre(output.traceback.length ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`, "traceback-text");
      break;
    case "execute_result":
      prompt.textContent = `Out[${output.execution_count ?? " "}]:`;
      body = renderRich(output.data, output.metadata, ctx);
      break;
    default:
      body = renderRich(output.data, output.metadata, ctx);
  }
  body.classList.add("output-body");
  row.append(prompt, body);
  return row;
}

// Markup past this size is parsed on the main thread in one go (seconds for 20 MB), so
// it waits for a click; images are decoded off the main thread and need no gate.
const HUGE_MARKUP = 2_000_000;
const MARKUP = new Set(["text/html", "image/svg+xml", "text/markdown", "text/latex"]);
const IMAGES = new Set(["image/png", "image/jpeg", "image/gif"]);

function renderRich(data: Record<string, unknown>, metadata: Record<string, unknown>, ctx: RenderContext): HTMLElement {
  const mime = chooseMime(data, ctx.trusted);
  const value = mime ? data[mime] : undefined;
  const size = typeof value === "string" ? value.length : Array.isArray(value) ? value.reduce((n: number, part) => n + String(part).length, 0) : 0;
  if (mime && IMAGES.has(mime) && typeof value === "string" && value.length > BIG_IMAGE_CHARS) {
    const meta = (metadata[mime] as Record<string, unknown> | undefined) ?? {};
    return h("div", { class: "output-mime", "data-mime": mime }, bigImage(mime, value, meta));
  }
  if (!mime || !MARKUP.has(mime) || size <= HUGE_MARKUP) {
    const box = renderMime(data, metadata, ctx);
    for (const img of box.querySelectorAll("img")) img.decoding = "async";
    return box;
  }
  const show = h("button", { type: "button", class: "btn btn-default btn-xs huge-output-show" }, t("Show it"));
  const box = h("div", { class: "output-mime huge-output" }, h("span", { class: "huge-output-note" }, `${t("A large {mime} output ({size} MB) is not shown yet.", { mime, size: (size / 1024 / 1024).toFixed(1) })} `), show);
  show.addEventListener("click", () => {
    const full = renderMime(data, metadata, ctx);
    full.classList.add("output-body");
    box.replaceWith(full);
  });
  return box;
}

export interface OutputViewOptions {
  /** When DOM updates happen (once per animation frame by default). */
  schedule?: Scheduler;
  /** Draw nothing until reveal() (a cell far off screen). */
  lazy?: boolean;
}

export class OutputView {
  readonly element = h("div", { class: "output-wrapper" });
  private readonly list = h("div", { class: "output-area" });
  private readonly collapser = h("div", { class: "output-collapser", title: t("Click to expand output; double click to hide output") });
  private readonly batch: OutputChangeBatch;
  // The live StreamView of each drawn stream output, so appends do not redraw it.
  private streams = new Map<Element, StreamView>();
  private revealed: boolean;
  private off: () => void;

  constructor(
    private readonly area: OutputArea,
    private readonly context: () => RenderContext,
    options: OutputViewOptions = {},
  ) {
    this.collapser.addEventListener("click", () => this.toggleScroll());
    this.collapser.addEventListener("dblclick", () => this.toggleCollapsed());
    this.element.append(this.collapser, this.list);
    this.syncToggles(); // a notebook saved with hidden or scrolled outputs shows them so
    this.revealed = !options.lazy;
    // A burst of messages becomes one DOM update per frame.
    this.batch = new OutputChangeBatch(options.schedule ?? animationFrame, (changes) => {
      if (this.revealed) for (const change of changes) this.apply(change);
    });
    this.off = area.changed.on((change) => this.batch.push(change));
    if (this.revealed) this.apply({ kind: "reset" });
    else this.element.classList.toggle("empty", area.length === 0);
  }

  /** Draws the outputs of a lazy view (its cell came near the screen); once. */
  reveal(): void {
    if (this.revealed) return;
    this.revealed = true;
    this.batch.take();
    this.apply({ kind: "reset" });
  }

  /** Draws pending changes now: the prompt of a finished cell must not show before its outputs. */
  flush(): void {
    this.batch.flushNow();
  }

  get isRevealed(): boolean {
    return this.revealed;
  }

  private apply(change: OutputChange): void {
    const ctx = this.context();
    if (change.kind === "reset") {
      this.streams.clear();
      this.list.replaceChildren(...this.area.outputs.map((o) => this.render(o, ctx)));
    } else if (change.kind === "append") {
      const output = this.area.outputs[change.index];
      if (output) this.list.append(this.render(output, ctx));
    } else {
      const output = this.area.outputs[change.index];
      const old = this.list.children[change.index];
      const stream = old ? this.streams.get(old) : undefined;
      if (stream && output?.output_type === "stream") stream.update(output, change.from ?? 0, change.added);
      else if (output) {
        const fresh = this.render(output, ctx);
        if (old) old.replaceWith(fresh);
        else this.list.append(fresh);
      }
    }
    this.element.classList.toggle("empty", this.area.length === 0 && !this.list.querySelector(".stdin-row"));
  }

  private render(output: Output, ctx: RenderContext): HTMLElement {
    if (output.output_type !== "stream") return renderOutput(output, ctx);
    return this.renderStream(output);
  }

  private renderStream(output: StreamOutput): HTMLElement {
    const row = h("div", { class: "output output-stream" }, h("div", { class: "prompt output-prompt" }));
    const view = new StreamView(output);
    row.append(view.element);
    this.streams.set(row, view);
    return row;
  }

  /** Re-renders everything (after a trust change). */
  refresh(): void {
    if (!this.revealed) return;
    this.batch.take(); // what is pending is drawn by this reset: drawn again, it would show twice
    this.apply({ kind: "reset" });
  }

  toggleCollapsed(): void {
    this.area.setToggle("collapsed", !this.area.collapsed);
    this.syncToggles();
  }

  toggleScroll(): void {
    this.area.setToggle("scrolled", !this.area.scrolled);
    this.syncToggles();
  }

  syncToggles(): void {
    this.element.classList.toggle("collapsed", this.area.collapsed);
    this.list.classList.toggle("scrolled", this.area.scrolled);
  }

  /** An input() / getpass() prompt in the output area; resolves with what the user typed. */
  askInput(prompt: string, password: boolean): Promise<string> {
    return new Promise((resolve) => {
      const input = h("input", { type: password ? "password" : "text", class: "stdin-input", "aria-label": prompt || "input", autocomplete: "off" });
      const row = h("div", { class: "output stdin-row" }, h("div", { class: "prompt output-prompt" }), h("div", { class: "output-body stdin" }, h("span", { class: "stdin-prompt" }, prompt), input));
      input.addEventListener("keydown", (event) => {
        event.stopPropagation();
        if (event.key !== "Enter") return;
        event.preventDefault();
        const value = input.value;
        row.remove();
        // The answer shows in the output as the terminal would echo it.
        this.area.add({ output_type: "stream", name: "stdout", text: `${prompt}${password ? "········" : value}\n` });
        resolve(value);
      });
      this.element.classList.remove("empty");
      this.list.append(row);
      input.focus();
    });
  }

  dispose(): void {
    this.off();
  }
}
