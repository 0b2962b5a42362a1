// The command-mode shortcuts in effect: Jupyter's defaults with the user's edits from the
// front-end config (keys.command.bind / unbind), saved through /api/config/notebook.

import { COMMAND_SHORTCUTS, EDIT_SHORTCUTS } from "../../model/keys";
import { afterSave, commandTable, configPatch, display, EMPTY, type KeyConfig, keyConfigOf } from "../../model/shortcuts";
import type { Section } from "../nbconfig";

interface Caller {
  call<T>(method: string, url: string, body?: unknown): Promise<T>;
}

export class CommandKeys {
  readonly defaults = COMMAND_SHORTCUTS;
  config: KeyConfig = EMPTY;
  table: Record<string, string> = { ...COMMAND_SHORTCUTS };
  /** Told of every new table (the keyboard handler takes it at once). */
  onChange: (table: Record<string, string>) => void = () => undefined;

  constructor(private readonly api: Caller) {}

  /** The front-end config arrived (page load). */
  apply(section: Section): void {
    this.config = keyConfigOf(section);
    this.update();
  }

  /** Saves the user's edit to nbconfig/notebook.json; in effect once the server has it. */
  async save(next: KeyConfig): Promise<void> {
    await this.api.call("PATCH", "api/config/notebook", configPatch(this.config, next));
    this.config = afterSave(next);
    this.update();
  }

  /** The command-mode shortcuts of an action, as shown ("Shift-J", "D,D"). */
  commandKeys(action: string): string[] {
    return Object.entries(this.table)
      .filter(([, name]) => name === action)
      .map(([keys]) => keys);
  }

  /** Every shortcut of an action, for the palette: command mode's, then edit mode's own. */
  allKeys(action: string): string[] {
    const command = this.commandKeys(action).map(display);
    const edit = Object.entries(EDIT_SHORTCUTS)
      .filter(([keys, name]) => name === action && !command.includes(display(keys)))
      .map(([keys]) => display(keys));
    return [...command, ...edit];
  }

  /** Whether the tables hold the action's shortcuts (else only its label's `keys` tells them). */
  hasTableKeys(action: string): boolean {
    return Object.values(this.defaults).includes(action) || Object.values(EDIT_SHORTCUTS).includes(action) || Object.values(this.config.bind).includes(action);
  }

  /** The defaults changed (an extension added a shortcut): the user's edits go over them again. */
  refresh(): void {
    this.update();
  }

  private update(): void {
    this.table = commandTable(this.defaults, this.config);
    this.onChange(this.table);
  }
}
