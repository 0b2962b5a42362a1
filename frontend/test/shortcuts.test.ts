import { describe, expect, it } from "vitest";
import { COMMAND_SHORTCUTS, KeySequencer } from "../src/model/keys";
import { addShortcut, afterSave, commandTable, configPatch, display, EMPTY, keyConfigOf, normalizeShortcut, removeShortcut, storedKey } from "../src/model/shortcuts";

const label = (name: string) => `<${name}>`;

describe("normalizeShortcut", () => {
  it("spells typed shortcuts as the tables do", () => {
    expect(normalizeShortcut("ctrl-shift-p")).toBe("Ctrl-Shift-p");
    expect(normalizeShortcut("shift-j")).toBe("Shift-J");
    expect(normalizeShortcut("Shift-J")).toBe("Shift-J");
    expect(normalizeShortcut("D,D")).toBe("d,d");
    expect(normalizeShortcut("g g")).toBe("g,g");
    expect(normalizeShortcut("up")).toBe("ArrowUp");
    expect(normalizeShortcut("shift-up")).toBe("Shift-ArrowUp");
    expect(normalizeShortcut("ctrl-shift-minus")).toBe("Ctrl-Shift-Minus");
    expect(normalizeShortcut("alt-enter")).toBe("Alt-Enter");
  });

  it("refuses what is not one or two key presses", () => {
    for (const bad of ["", "hyper-x", "ctrl-", "a,b,c", "shift-1", "notakey"]) expect(normalizeShortcut(bad)).toBeNull();
  });

  it("round-trips through the stored (classic, lower case) spelling", () => {
    for (const keys of Object.keys(COMMAND_SHORTCUTS)) expect(normalizeShortcut(storedKey(keys))).toBe(keys);
    expect(storedKey("Shift-ArrowUp")).toBe("shift-up");
  });
});

describe("keyConfigOf and commandTable", () => {
  it("reads the classic notebook's keys.command.bind / unbind, with either action spelling", () => {
    const config = keyConfigOf({ keys: { command: { bind: { "ctrl-k": "jupyter-notebook:delete-cell", q: "insert-below", bad: 3 }, unbind: ["D,D", "nope-x"] } } });
    expect(config.bind).toEqual({ "Ctrl-k": "delete", q: "insert-below" });
    expect(config.unbind).toEqual(["d,d"]);
    const table = commandTable(COMMAND_SHORTCUTS, config);
    expect(table["Ctrl-k"]).toBe("delete");
    expect(table["d,d"]).toBeUndefined();
    expect(table.a).toBe("insert-above");
    expect(keyConfigOf({})).toEqual(EMPTY);
  });

  it("drives the key sequencer once set", () => {
    const sequencer = new KeySequencer(COMMAND_SHORTCUTS);
    sequencer.setTable(commandTable(COMMAND_SHORTCUTS, keyConfigOf({ keys: { command: { bind: { q: "insert-below" }, unbind: ["b"] } } })));
    expect(sequencer.press({ key: "q" }, 0)).toBe("insert-below");
    expect(sequencer.press({ key: "b" }, 10)).toBeNull();
  });
});

describe("addShortcut / removeShortcut", () => {
  it("adds a free shortcut and saves it in the classic spelling", () => {
    const added = addShortcut(COMMAND_SHORTCUTS, EMPTY, "Ctrl-Alt-X", "restart-clear", label);
    if (!added.ok) throw new Error(added.error);
    expect(added.config.bind).toEqual({ "Ctrl-Alt-x": "restart-clear" });
    // Carnet's own name where the classic notebook has no such action.
    expect(configPatch(EMPTY, added.config)).toEqual({ keys: { command: { bind: { "ctrl-alt-x": "restart-clear" } } } });
    const q = addShortcut(COMMAND_SHORTCUTS, EMPTY, "q", "insert-below", label);
    expect(q.ok && configPatch(EMPTY, q.config)).toEqual({ keys: { command: { bind: { q: "jupyter-notebook:insert-cell-below" } } } });
  });

  it("refuses a taken shortcut, or one clashing with a two-key sequence, changing nothing", () => {
    const config = keyConfigOf({});
    expect(addShortcut(COMMAND_SHORTCUTS, config, "a", "run", label)).toEqual({ ok: false, error: 'A is already the shortcut of "<insert-above>": remove it there first.' });
    expect(addShortcut(COMMAND_SHORTCUTS, config, "d", "run", label)).toMatchObject({ ok: false, error: expect.stringContaining("D,D") });
    expect(addShortcut(COMMAND_SHORTCUTS, config, "a,q", "run", label)).toMatchObject({ ok: false, error: expect.stringContaining("A is already") });
    expect(addShortcut(COMMAND_SHORTCUTS, config, "hyper-q", "run", label)).toMatchObject({ ok: false, error: expect.stringContaining("not a shortcut") });
    expect(config).toEqual(EMPTY);
  });

  it("unbinds a default, drops a user's own, and rebinds a default by taking it off unbind", () => {
    const removed = removeShortcut(COMMAND_SHORTCUTS, EMPTY, "b");
    if (!removed.ok) throw new Error(removed.error);
    expect(removed.config.unbind).toEqual(["b"]);
    expect(configPatch(EMPTY, removed.config)).toEqual({ keys: { command: { bind: {}, unbind: ["b"] } } });
    const back = addShortcut(COMMAND_SHORTCUTS, removed.config, "b", "insert-below", label);
    expect(back.ok && back.config).toEqual(EMPTY);
    const own = keyConfigOf({ keys: { command: { bind: { "Shift-Q": "run" } } } });
    const dropped = removeShortcut(COMMAND_SHORTCUTS, own, "Shift-Q");
    if (!dropped.ok) throw new Error(dropped.error);
    // The key is removed as the file spells it.
    expect(configPatch(own, dropped.config)).toEqual({ keys: { command: { bind: { "Shift-Q": null } } } });
    expect(removeShortcut(COMMAND_SHORTCUTS, EMPTY, "q")).toEqual({ ok: false, error: "Q is not a shortcut." });
  });

  it("changes a shortcut: a default overridden by the user's bind is unbound when removed", () => {
    const own = keyConfigOf({ keys: { command: { bind: { a: "run" } } } });
    const removed = removeShortcut(COMMAND_SHORTCUTS, own, "a");
    expect(removed.ok && commandTable(COMMAND_SHORTCUTS, removed.config).a).toBeUndefined();
  });

  it("remembers the stored spelling after a save", () => {
    const added = addShortcut(COMMAND_SHORTCUTS, EMPTY, "shift-q", "run", label);
    if (!added.ok) throw new Error(added.error);
    expect(afterSave(added.config).spelled).toEqual({ "Shift-Q": "shift-q" });
  });
});

describe("display", () => {
  it("shows shortcuts as the help does", () => {
    expect(display("d,d")).toBe("D,D");
    expect(display("Ctrl-Shift-p")).toBe("Ctrl-Shift-P");
    expect(display("Shift-J")).toBe("Shift-J");
    expect(display(" ")).toBe("Space");
  });
});
