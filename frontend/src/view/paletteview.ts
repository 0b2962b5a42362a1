// The command palette on screen (Ctrl-Shift-P, P): a search box over every command, driven by
// the keyboard (arrows, Page Up/Down, Enter, Escape) or the mouse; the ranking is model/palette.

import { type Command, Palette, type Ranked } from "../model/palette";
import { t } from "../i18n";
import { h } from "./dom";
import "./tools.css";

/** Opens the palette; `run` gets the chosen command's name after the palette has closed. */
export function openPalette(commands: Command[], run: (name: string) => void): void {
  document.querySelector(".command-palette-backdrop")?.remove();
  const palette = new Palette(commands);
  const input = h("input", { type: "text", class: "form-control palette-input", placeholder: t("Search commands"), "aria-label": t("Search commands"), spellcheck: "false", role: "combobox", "aria-expanded": "true", "aria-controls": "palette-list" });
  const list = h("ul", { class: "palette-list", id: "palette-list", role: "listbox" });
  const empty = h("p", { class: "palette-empty" }, t("No command matches."));
  const backdrop = h("div", { class: "modal-backdrop command-palette-backdrop" }, h("div", { class: "command-palette", role: "dialog", "aria-modal": "true", "aria-label": t("Command Palette") }, input, list, empty));
  const close = (chosen: string | null) => {
    backdrop.remove();
    if (chosen) run(chosen);
  };
  const draw = () => {
    list.replaceChildren(...palette.results.map((r, i) => row(r, i === palette.active, () => close(r.command.name))));
    empty.hidden = palette.results.length > 0;
    const active = list.querySelector<HTMLElement>("[aria-selected=true]");
    if (active) input.setAttribute("aria-activedescendant", active.id);
    active?.scrollIntoView({ block: "nearest" });
  };
  input.addEventListener("input", () => {
    palette.search(input.value);
    draw();
  });
  input.addEventListener("keydown", (event) => {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (event.key in moves) {
      palette.move(moves[event.key]);
      draw();
    } else if (event.key === "Enter") close(palette.chosen?.name ?? null);
    else if (event.key === "Escape") close(null);
    else if (event.key !== "Tab") return;
    // Tab stays in the box: the palette is the only thing on screen.
    event.preventDefault();
    event.stopPropagation();
  });
  backdrop.addEventListener("mousedown", (event) => {
    if (event.target === backdrop) close(null);
  });
  document.body.append(backdrop);
  draw();
  input.focus();
}

function row(ranked: Ranked, active: boolean, choose: () => void): HTMLElement {
  const { command, positions } = ranked;
  const label = h("span", { class: "palette-label" });
  // The matched characters in bold.
  let from = 0;
  for (const at of positions) {
    label.append(command.label.slice(from, at), h("b", {}, command.label[at]));
    from = at + 1;
  }
  label.append(command.label.slice(from));
  const keys = h("span", { class: "palette-keys" }, ...command.keys.map((k) => h("kbd", {}, k)));
  return h("li", { role: "option", id: `palette-${command.name}`, class: active ? "palette-item active" : "palette-item", "aria-selected": active ? "true" : "false", "data-action": command.name, onmousedown: (e) => e.preventDefault(), onclick: choose }, label, keys);
}
