// Cell > Current Outputs and Cell > All Output (Toggle, Toggle Scrolling, Clear), and the
// View menu's and O / Shift-O's toggles: the state goes to the cell's metadata (saved).

import type { Cell } from "../../model/cell";
import { type OutputToggle, toggleAll, toggleEach } from "../../model/outputtoggles";
import type { NotebookPage } from "../notebook";
import type { Actions } from "./header";

export const CURRENT_OUTPUTS = ["current-outputs-toggle", "current-outputs-scroll", "current-outputs-clear"];
export const ALL_OUTPUT = ["all-output-toggle", "all-output-scroll", "all-output-clear"];

export function outputActions(page: NotebookPage): Actions {
  const nb = page.model;
  const redraw = (cells: readonly Cell[]) => {
    for (const cell of cells) page.view.viewOf(cell)?.outputs.syncToggles();
  };
  const each = (toggle: OutputToggle) => () => {
    toggleEach(nb.selectedCells, toggle);
    redraw(nb.selectedCells);
  };
  const all = (toggle: OutputToggle) => () => {
    toggleAll(nb.cells, toggle);
    redraw(nb.cells);
  };
  const clearSelected = () => {
    for (const cell of nb.selectedCells) cell.outputs.clear();
  };
  return {
    "toggle-output": { label: "Toggle Output", keys: "O", run: each("collapsed") },
    "toggle-scroll": { label: "Toggle Output Scrolling", keys: "Shift-O", run: each("scrolled") },
    "current-outputs-toggle": { label: "Current Outputs: Toggle", keys: "O", run: each("collapsed") },
    "current-outputs-scroll": { label: "Current Outputs: Toggle Scrolling", keys: "Shift-O", run: each("scrolled") },
    "current-outputs-clear": { label: "Current Outputs: Clear", run: clearSelected },
    "all-output-toggle": { label: "All Output: Toggle", run: all("collapsed") },
    "all-output-scroll": { label: "All Output: Toggle Scrolling", run: all("scrolled") },
    "all-output-clear": { label: "All Output: Clear", run: () => nb.clearAllOutputs() },
  };
}
