// The user's command-mode shortcuts (Help > Edit Keyboard Shortcuts), kept in the front-end
// config as the classic notebook keeps them; DOM-free.
//
//   nbconfig/notebook.json: {"keys": {"command": {"bind": {"ctrl-k": "jupyter-notebook:delete-cell"},
//                                                  "unbind": ["d,d"]}}}
// Keys are stored lower case ("shift-j", "d,d"); actions by the classic notebook's name when it
// has one, else by Carnet's. Both spellings are read.

import { t } from "../i18n";
import { carnetAction, classicAction } from "./classicactions";
import { chordName } from "./keys";

export interface KeyConfig {
  /** Normalized shortcut ("Shift-J", "d,d") -> Carnet action name. */
  bind: Record<string, string>;
  unbind: string[];
  /** How each bound key is spelled in the file, so a removal names the same key. */
  spelled: Record<string, string>;
}

export const EMPTY: KeyConfig = { bind: {}, unbind: [], spelled: {} };


// Key names a user may type, lower case -> the KeyboardEvent.key they stand for.
const KEY_NAMES: Record<string, string> = {
  up: "ArrowUp",
  down: "ArrowDown",
  left: "ArrowLeft",
  right: "ArrowRight",
  esc: "Escape",
  return: "Enter",
  space: " ",
  minus: "-",
  del: "Delete",
  pageup: "PageUp",
  pagedown: "PageDown",
};
for (const key of ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Escape", "Enter", "Tab", "Backspace", "Delete", "Home", "End", "PageUp", "PageDown", "Insert"]) {
  KEY_NAMES[key.toLowerCase()] = key;
}
for (let i = 1; i <= 12; i++) KEY_NAMES[`f${i}`] = `F${i}`;

const MODIFIERS = new Set(["ctrl", "cmd", "cmdtrl", "meta", "alt", "option", "shift"]);

/**
 * A typed shortcut in the tables' spelling: "ctrl-shift-p" -> "Ctrl-Shift-p", "shift-j" ->
 * "Shift-J", "D,D" or "d d" -> "d,d"; null when it is not one (one or two key presses).
 */
export function normalizeShortcut(text: string): string | null {
  const presses = text.trim().split(/\s*,\s*|\s+/).filter(Boolean);
  if (presses.length === 0 || presses.length > 2) return null;
  const out: string[] = [];
  for (const press of presses) {
    // "-" on its own, or as the last key ("ctrl--"), is the minus key.
    const parts = press === "-" ? ["-"] : press.endsWith("--") ? [...press.slice(0, -2).split("-"), "-"] : press.split("-");
    const chord = { key: "", ctrl: false, alt: false, shift: false };
    for (const part of parts.slice(0, -1)) {
      const mod = part.toLowerCase();
      if (!MODIFIERS.has(mod)) return null;
      if (mod === "shift") chord.shift = true;
      else if (mod === "alt" || mod === "option") chord.alt = true;
      else chord.ctrl = true;
    }
    const last = parts[parts.length - 1];
    const key = last.length === 1 ? last : KEY_NAMES[last.toLowerCase()];
    if (!key) return null;
    // Shift with a digit or sign is another character ("!"): the table holds that one.
    if (chord.shift && !chord.ctrl && !chord.alt && key.length === 1 && !/[a-z]/i.test(key)) return null;
    chord.key = key;
    out.push(chordName(chord));
  }
  return out.join(",");
}

/** How a shortcut is stored (the classic notebook's lower case: "shift-j", "ctrl-shift-minus"). */
export function storedKey(shortcut: string): string {
  return shortcut
    .split(",")
    .map((press) => (press.endsWith(" ") ? `${press.slice(0, -1)}space` : press))
    .join(",")
    .replace(/Arrow(Up|Down|Left|Right)/g, "$1").replace(/Escape/g, "Esc").toLowerCase();
}

/** The keys.command part of a front-end config section; entries it cannot read are skipped. */
export function keyConfigOf(section: Record<string, unknown>): KeyConfig {
  const command = objectAt(objectAt(section, "keys"), "command");
  const out: KeyConfig = { bind: {}, unbind: [], spelled: {} };
  for (const [stored, action] of Object.entries(objectAt(command, "bind"))) {
    const keys = normalizeShortcut(stored);
    if (!keys || typeof action !== "string") continue;
    out.bind[keys] = carnetAction(action);
    out.spelled[keys] = stored;
  }
  const unbind = command.unbind;
  if (Array.isArray(unbind)) {
    for (const stored of unbind) {
      const keys = typeof stored === "string" ? normalizeShortcut(stored) : null;
      if (keys && !out.unbind.includes(keys)) out.unbind.push(keys);
    }
  }
  return out;
}

/** The command-mode table in effect: the defaults, less the unbound, with the bound over them. */
export function commandTable(defaults: Record<string, string>, config: KeyConfig): Record<string, string> {
  const table = { ...defaults };
  for (const keys of config.unbind) delete table[keys];
  return Object.assign(table, config.bind);
}

export type Edited = { ok: true; config: KeyConfig } | { ok: false; error: string };

/**
 * Adds a shortcut to an action. Refused (nothing changes) when the keys are not a shortcut or
 * are taken: the same keys, or a two-key sequence starting with them (or the other way round).
 */
export function addShortcut(defaults: Record<string, string>, config: KeyConfig, typed: string, action: string, label: (action: string) => string): Edited {
  const keys = normalizeShortcut(typed);
  if (!keys) return { ok: false, error: t('"{typed}" is not a shortcut: type one or two key presses, such as "shift-k", "ctrl-alt-x" or "g,g".', { typed }) };
  const table = commandTable(defaults, config);
  for (const [taken, other] of Object.entries(table)) {
    if (taken === keys || taken.startsWith(`${keys},`) || keys.startsWith(`${taken},`)) {
      return { ok: false, error: t('{keys} is already the shortcut of "{action}": remove it there first.', { keys: display(taken), action: label(other) }) };
    }
  }
  const next = copy(config);
  if (defaults[keys] === action && next.unbind.includes(keys)) next.unbind = next.unbind.filter((k) => k !== keys);
  else next.bind[keys] = action;
  return { ok: true, config: next };
}

/** Removes a shortcut: a user's own is dropped, a default one is unbound. */
export function removeShortcut(defaults: Record<string, string>, config: KeyConfig, keys: string): Edited {
  const next = copy(config);
  if (keys in next.bind) {
    delete next.bind[keys];
    if (!(keys in defaults) || next.unbind.includes(keys)) return { ok: true, config: next };
  }
  if (!(keys in defaults) || next.unbind.includes(keys)) return { ok: false, error: t("{keys} is not a shortcut.", { keys: display(keys) }) };
  next.unbind.push(keys);
  return { ok: true, config: next };
}

/** The PATCH body for /api/config/notebook taking `before` to `after` (null removes a key). */
export function configPatch(before: KeyConfig, after: KeyConfig): Record<string, unknown> {
  const bind: Record<string, string | null> = {};
  for (const keys of Object.keys(before.bind)) if (!(keys in after.bind)) bind[before.spelled[keys] ?? storedKey(keys)] = null;
  for (const [keys, action] of Object.entries(after.bind)) {
    if (before.bind[keys] !== action) bind[before.spelled[keys] ?? storedKey(keys)] = classicAction(action);
  }
  const command: Record<string, unknown> = { bind };
  if (before.unbind.join("|") !== after.unbind.join("|")) command.unbind = after.unbind.map(storedKey);
  return { keys: { command } };
}

/** The spelling after a save: new keys are stored as storedKey says. */
export function afterSave(config: KeyConfig): KeyConfig {
  const next = copy(config);
  for (const keys of Object.keys(next.bind)) next.spelled[keys] ??= storedKey(keys);
  for (const keys of Object.keys(next.spelled)) if (!(keys in next.bind)) delete next.spelled[keys];
  return next;
}

/** A shortcut as the help shows it: "Shift-J", "D,D", "Ctrl-Shift-P". */
export function display(keys: string): string {
  return keys
    .split(",")
    .map((press) => press.replace(/(^|-)([a-z])$/, (_, sep: string, c: string) => sep + c.toUpperCase()).replace(/^ $/, "Space"))
    .join(",");
}

function copy(config: KeyConfig): KeyConfig {
  return { bind: { ...config.bind }, unbind: [...config.unbind], spelled: { ...config.spelled } };
}

function objectAt(value: unknown, key: string): Record<string, unknown> {
  const inner = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  return typeof inner === "object" && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
}
