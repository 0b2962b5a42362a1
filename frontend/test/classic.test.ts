import { describe, expect, it } from "vitest";
import { AmdLoader } from "../src/pages/amd";
import { ClassicActions, ClassicEvents, classicKeyboardManager, classicModules, classicNotebook, classicToolbar } from "../src/pages/classic";
import { cmOptions, merge, visibility } from "../src/pages/nbconfig";

function recorder() {
  const errors: unknown[][] = [];
  return { errors, log: { error: (...args: unknown[]) => void errors.push(args) } };
}

class FakePageEvents {
  private listeners = new Map<string, ((detail: Record<string, unknown>) => void)[]>();
  on(name: string, listener: (detail: Record<string, unknown>) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  emit(name: string, detail: Record<string, unknown>): void {
    for (const listener of this.listeners.get(name) ?? []) listener(detail);
  }
}

describe("the AMD loader", () => {
  it("runs the classic documentation's custom.js verbatim", () => {
    const { log, errors } = recorder();
    const { loader, Jupyter } = classicModules("1.0", new FakePageEvents(), log as Console);
    expect(Jupyter._target).toBe("_blank");
    loader.define(["base/js/namespace"], function (J: { _target: string }) {
      J._target = "_self";
    });
    expect(Jupyter._target).toBe("_self");
    expect(errors).toEqual([]);
  });

  it("names a module it does not provide, and does not call the factory", () => {
    const { log, errors } = recorder();
    const loader = new AmdLoader(log);
    loader.provide("base/js/namespace", {});
    let called = false;
    loader.define(["base/js/namespace", "notebook/js/codecell"], () => (called = true));
    expect(called).toBe(false);
    expect(String(errors[0][0])).toContain('"notebook/js/codecell"');
    expect(String(errors[0][0])).toContain('"base/js/namespace"');
    let failed: Error | null = null;
    loader.require(["jquery"], () => (called = true), (error) => (failed = error));
    expect(called).toBe(false);
    expect(String(failed)).toContain('"jquery"');
    expect(() => loader.require("nope")).toThrow(/"nope"/);
  });

  it("registers modules defined with an id, for later require()s", () => {
    const { log, errors } = recorder();
    const loader = new AmdLoader(log);
    loader.define("my/ext", [], () => ({ load_ipython_extension: () => 42 }));
    loader.define({ plain: true });
    loader.define("cjs/style", ["exports"], (exports: Record<string, unknown>) => {
      exports.answer = 42;
    });
    expect((loader.require("cjs/style") as { answer: number }).answer).toBe(42);
    let got: unknown = null;
    loader.require(["my/ext"], (ext: { load_ipython_extension(): number }) => (got = ext.load_ipython_extension()));
    expect(got).toBe(42);
    expect(loader.define.amd).toBeTruthy();
    expect(errors).toEqual([]);
  });

  it("logs a factory that throws and goes on", () => {
    const { log, errors } = recorder();
    const loader = new AmdLoader(log);
    loader.define([], () => {
      throw new Error("boom");
    });
    expect(errors).toHaveLength(1);
  });
});

describe("base/js/namespace", () => {
  it("takes the classic action names and offers the notebook basics", () => {
    const ran: string[] = [];
    const { Jupyter } = classicModules("1.0", new FakePageEvents(), recorder().log as Console);
    Jupyter.actions.attach({ save: { label: "Save", run: () => ran.push("save") }, run: { label: "Run", run: () => ran.push("run") } });
    expect(Jupyter.actions.exists("jupyter-notebook:save-notebook")).toBe(true);
    Jupyter.actions.call("jupyter-notebook:save-notebook");
    const model = { cells: ["a", "b"], activeIndex: 1, select: () => undefined };
    const nb = classicNotebook({ model, saver: { path: "dir/x.ipynb" }, kernel: null }, Jupyter.actions);
    expect([nb.notebook_name, nb.notebook_path, nb.ncells(), nb.get_selected_cell()]).toEqual(["x.ipynb", "dir/x.ipynb", 2, "b"]);
    nb.execute_selected_cells();
    expect(ran).toEqual(["save", "run"]);
    expect(() => Jupyter.actions.call("nope")).toThrow(/"nope"/);
  });
});

describe("base/js/events", () => {
  it("bridges the page's events to the classic names, jQuery-style", () => {
    const page = new FakePageEvents();
    const { loader } = classicModules("1.0", page, recorder().log as Console);
    const seen: [string, unknown][] = [];
    loader.require(["base/js/events"], (events: ClassicEvents) => {
      events.on("kernel_ready.Kernel execute.CodeCell", (event, data) => seen.push([event.type, data]));
      events.one("notebook_saved.Notebook", (event) => seen.push([event.type, null]));
    });
    page.emit("kernel_ready", { name: "python3" });
    page.emit("cell_execute", { index: 0 });
    page.emit("notebook_saved", {});
    page.emit("notebook_saved", {});
    expect(seen).toEqual([
      ["kernel_ready.Kernel", { name: "python3" }],
      ["execute.CodeCell", { index: 0 }],
      ["notebook_saved.Notebook", null],
    ]);
  });

  it("keeps calling the other handlers when one throws", () => {
    const { log, errors } = recorder();
    const events = new ClassicEvents(log);
    let after = false;
    events.on("x", () => {
      throw new Error("bad");
    });
    events.on("x", () => (after = true));
    events.trigger("x");
    expect(after).toBe(true);
    expect(errors).toHaveLength(1);
  });
});

describe("nbconfig", () => {
  it("takes Cell.cm_config, then the cell type's own over it", () => {
    const config = merge(
      { Cell: { cm_config: { lineWrapping: false, tabSize: 8 } } },
      { Cell: { cm_config: { indentUnit: 2 } }, CodeCell: { cm_config: { lineNumbers: true, tabSize: 2, bogus: 1 } } },
    );
    expect(cmOptions(config, "code")).toEqual({ lineNumbers: true, lineWrapping: false, indentUnit: 2, tabSize: 2 });
    expect(cmOptions(config, "markdown")).toEqual({ lineWrapping: false, indentUnit: 2, tabSize: 8 });
    expect(cmOptions({ CodeCell: { cm_config: { lineNumbers: "yes", indentUnit: -1 } } }, "code")).toEqual({});
  });

  it("hides the header and toolbar only when told false", () => {
    expect(visibility({})).toEqual({ header: true, toolbar: true });
    expect(visibility({ Notebook: { Header: false, Toolbar: false } })).toEqual({ header: false, toolbar: false });
  });
});

describe("the classic keyboard manager and toolbar", () => {
  it("add_shortcut binds keys to a named action or to a handler it registers", () => {
    const actions = new ClassicActions();
    const ran: string[] = [];
    actions.attach({ save: { label: "Save", run: () => ran.push("save") } });
    const bound: string[] = [];
    const km = classicKeyboardManager(actions, (mode, keys, name) => (bound.push(`${mode} ${keys} ${name}`), keys !== "bogus"));
    km.command_shortcuts.add_shortcut("shift-s", "jupyter-notebook:save-notebook");
    km.edit_shortcuts.add_shortcut("ctrl-e", { help: "Mine", handler: () => ran.push("mine") });
    expect(bound).toEqual(["command shift-s save", "edit ctrl-e user:shortcut-1"]);
    actions.call("user:shortcut-1");
    expect(ran).toEqual(["mine"]);
    expect(() => km.command_shortcuts.add_shortcut("x", "no-such-action")).toThrow(/no action named "no-such-action"/);
    expect(() => km.command_shortcuts.add_shortcut("bogus", "save")).toThrow(/names no key/);
  });

  it("add_buttons_group adds action names and callbacks as buttons", () => {
    const actions = new ClassicActions();
    actions.attach({ run: { label: "Run", run: () => undefined } });
    const added: string[] = [];
    const toolbar = classicToolbar(actions, (name, text) => (added.push(`${name} ${text ?? ""}`), {} as HTMLElement));
    const made = toolbar.add_buttons_group(["jupyter-notebook:run-cell", { label: "Go", icon: "fa-play", callback: () => undefined } as never, "missing"]);
    expect(made).toHaveLength(2);
    expect(added).toEqual(["run ", "user:button-1 Go"]);
  });
});

describe("classic events for late handlers", () => {
  it("kernel_ready.Kernel reaches a handler added after it (an extension loading late)", () => {
    const events = new ClassicEvents();
    const seen: string[] = [];
    events.trigger("kernel_ready.Kernel", { kernel_id: "k" });
    events.trigger("execute.CodeCell", {});
    events.on("kernel_ready.Kernel execute.CodeCell", (event) => void seen.push(event.type));
    expect(seen).toEqual(["kernel_ready.Kernel"]);
    events.one("kernel_ready.Kernel", (event) => void seen.push(`once ${event.type}`));
    events.trigger("kernel_ready.Kernel", {});
    expect(seen).toEqual(["kernel_ready.Kernel", "once kernel_ready.Kernel", "kernel_ready.Kernel"]);
  });
});
