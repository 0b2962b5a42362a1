// Cell > Current Outputs / All Output: hiding outputs and limiting their height, kept in the
// cell's metadata as the classic notebook keeps them (`collapsed`, `scrolled`), so they survive
// save and reload and Jupyter shows the notebook the same way.

import type { Cell } from "./cell";

export type OutputToggle = "collapsed" | "scrolled";

/** The state a code cell's metadata asks for (a `scrolled: "auto"` is not scrolled). */
export function togglesFromMetadata(metadata: Record<string, unknown>): Record<OutputToggle, boolean> {
  return { collapsed: metadata.collapsed === true, scrolled: metadata.scrolled === true };
}

/** Sets one toggle on a code cell: its outputs and its metadata (an edit the notebook saves). */
export function setToggle(cell: Cell, toggle: OutputToggle, value: boolean): void {
  if (cell.type !== "code") return;
  cell.outputs.setToggle(toggle, value); // the cell puts it in its metadata
}

/**
 * All Output > Toggle (or Toggle Scrolling): one state for every code cell, so the menu item
 * always does something visible: on for all when any is off, else off for all. Returns it.
 */
export function toggleAll(cells: readonly Cell[], toggle: OutputToggle): boolean {
  const code = cells.filter((c) => c.type === "code");
  const value = code.some((c) => !c.outputs[toggle]);
  for (const cell of code) setToggle(cell, toggle, value);
  return value;
}

/** Current Outputs > Toggle: each selected code cell turns around. */
export function toggleEach(cells: readonly Cell[], toggle: OutputToggle): void {
  for (const cell of cells) setToggle(cell, toggle, !cell.outputs[toggle]);
}
