// A long stream output drawn virtually: a scroller whose spacer is as tall as every line, and
// one <pre> holding only the lines in view (real text: selecting and copying them works).
// Lines are found in steps, one per frame, so a million lines never freeze the page.

import type { AnsiUp } from "ansi_up";
import { LineIndex, lineWindow } from "../model/lineindex";
import { cloneAnsi, newAnsi } from "../render/ansi";
import { h } from "./dom";

// Newlines looked for per frame (indexOf: a few ms per 100,000).
const INDEX_STEP = 250_000;
// ANSI colours carry from line to line: the converter's state is kept every COLOUR_STEP lines,
// so a window is drawn from the nearest saved state, not from the first line.
const COLOUR_STEP = 2_000;
const COLOUR_STATES_PER_FRAME = 10;

export class VirtualLines {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly pre: HTMLPreElement;
  private readonly index = new LineIndex();
  private indexed = false;
  private coloured = false;
  // colours[k]: the converter's state at the start of line k * COLOUR_STEP.
  private colours: AnsiUp[] = [newAnsi()];
  private lineHeight = 0;
  private scheduled = false;
  private drawn = "";

  constructor(
    private readonly text: () => string,
    name: string,
  ) {
    this.pre = h("pre", { class: `stream-text ${name} stream-virtual-lines` });
    this.spacer = h("div", { class: "stream-virtual-spacer" }, this.pre);
    this.element = h("div", { class: "stream-virtual", "data-indexed": "partial" }, this.spacer);
    this.element.addEventListener("scroll", () => this.draw(), { passive: true });
    this.changed(0);
  }

  /** The text changed from `offset` on (it grew, or its last line was rewritten). */
  changed(offset: number): void {
    this.index.truncate(offset);
    const keep = Math.floor(this.linesBefore(offset) / COLOUR_STEP) + 1;
    if (this.colours.length > keep) this.colours.length = keep;
    this.coloured ||= this.text().indexOf("\x1b", offset) !== -1;
    this.indexed = false;
    this.drawn = "";
    this.schedule();
  }

  private linesBefore(offset: number): number {
    // Lines known to start at or before offset (the index was just cut there).
    return this.index.lines(offset);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.step();
    });
  }

  private step(): void {
    const text = this.text();
    if (!this.indexed) this.indexed = this.index.extend(text, INDEX_STEP);
    const coloursDone = !this.coloured || this.saveColours(text);
    const done = this.indexed && coloursDone;
    this.element.dataset.indexed = done ? "all" : "partial";
    this.drawn = "";
    this.draw();
    if (!done) this.schedule();
  }

  /** Saves a few more colour states; true when every found line has one before it. */
  private saveColours(text: string): boolean {
    const lines = this.index.lines(text.length);
    for (let n = 0; n < COLOUR_STATES_PER_FRAME; n++) {
      const next = this.colours.length * COLOUR_STEP;
      if (next > lines) return this.indexed;
      const state = cloneAnsi(this.colours[this.colours.length - 1]);
      state.ansi_to_html(this.index.slice(text, next - COLOUR_STEP, COLOUR_STEP));
      this.colours.push(state);
    }
    return false;
  }

  /** The converter in the colour state of the start of `line`. */
  private converterAt(line: number, text: string): AnsiUp {
    if (!this.coloured) return newAnsi();
    const k = Math.min(Math.floor(line / COLOUR_STEP), this.colours.length - 1);
    const converter = cloneAnsi(this.colours[k]);
    const from = k * COLOUR_STEP;
    // Not saved yet that far: colours show once the states catch up (step() redraws).
    if (line - from <= 2 * COLOUR_STEP) converter.ansi_to_html(this.index.slice(text, from, line - from));
    return converter;
  }

  private draw(): void {
    const text = this.text();
    // Measured once on screen (a detached element has no computed line height).
    if (!this.lineHeight && this.pre.isConnected) this.lineHeight = parseFloat(getComputedStyle(this.pre).lineHeight) || 0;
    const lines = this.index.lines(text.length);
    const view = lineWindow(this.element.scrollTop, this.element.clientHeight || window.innerHeight, lines, this.lineHeight || 16);
    this.spacer.style.height = `${view.height}px`;
    const key = `${view.first}/${view.count}/${view.top}`;
    if (key === this.drawn) return;
    this.drawn = key;
    this.pre.style.transform = `translateY(${view.top}px)`;
    let part = this.index.slice(text, view.first, view.count);
    // A pending "\r" (a progress bar about to redraw its line) is not shown.
    if (part.endsWith("\r")) part = part.slice(0, -1);
    this.pre.innerHTML = this.converterAt(view.first, text).ansi_to_html(part);
  }
}
