// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { AmdLoader } from "../src/pages/amd";
import { createPageApi } from "../src/ext/api";
import { enabledExtensions, extensionUrl, loadExtensions, type LoaderDeps } from "../src/ext/loader";
import { COMMAND_SHORTCUTS, EDIT_SHORTCUTS, KeySequencer, addShortcut, normalizeShortcut } from "../src/model/keys";
import { renderMime } from "../src/render/mime";
import { Notebook } from "../src/model/notebook";
import { PageEvents } from "../src/events";

function recorder() {
  const errors: string[] = [];
  const log = { error: (...args: unknown[]) => void errors.push(args.map(String).join(" ")), debug: () => undefined };
  return { errors, log };
}

function pageApi() {
  return createPageApi({ version: "1.0", page: "notebook", baseUrl: "/", events: new PageEvents() }).api;
}

/** Fake module sources: url -> a function run as the module is "evaluated". */
function deps(modules: Record<string, () => unknown>, amd: AmdLoader, log: LoaderDeps["log"]): LoaderDeps {
  return {
    importModule: async (url) => {
      const make = modules[url];
      if (!make) throw new TypeError(`Failed to fetch dynamically imported module: ${url}`);
      return make();
    },
    amd,
    log,
  };
}

describe("front-end extension loading", () => {
  it("takes load_extensions that are true, then the server's, once each", () => {
    const config = { load_extensions: { "a/main": true, "b/main": false, "c/main": true } };
    expect(enabledExtensions(config, ["c/main", "d/main"])).toEqual(["a/main", "c/main", "d/main"]);
    expect(enabledExtensions({ load_extensions: ["a/main"] })).toEqual([]);
    expect(extensionUrl("/base/", "my ext/main")).toBe("/base/nbextensions/my%20ext/main.js");
  });

  it("loads ES and AMD forms; a 404, a throw and a bad name are one error each", async () => {
    const { errors, log } = recorder();
    const amd = new AmdLoader(log);
    amd.provide("base/js/namespace", { ns: true });
    const calls: string[] = [];
    const modules = {
      "/nbextensions/es/main.js": () => ({ load_ipython_extension: (api: { apiVersion: number }) => calls.push(`es ${api.apiVersion}`) }),
      "/nbextensions/def/main.js": () => ({ default: () => calls.push("default") }),
      "/nbextensions/amd/main.js": () => {
        // What `define(...)` at the top of a classic file does while it is imported.
        amd.define(["base/js/namespace"], (ns: { ns: boolean }) => ({ load_ipython_extension: () => calls.push(`amd ${ns.ns}`) }));
        return {};
      },
      "/nbextensions/throws/main.js": () => ({
        load_ipython_extension: () => {
          throw new Error("boom");
        },
      }),
      "/nbextensions/syntax/main.js": () => {
        throw new SyntaxError("Unexpected token '}'");
      },
    };
    const order = ["es/main", "missing/main", "throws/main", "amd/main", "syntax/main", "../x", "def/main"];
    const outcomes = await loadExtensions(order, "/", pageApi(), deps(modules, amd, log));
    expect(calls).toEqual(["es 1", "amd true", "default"]);
    expect(outcomes).toEqual({
      "es/main": "loaded",
      "missing/main": "failed",
      "throws/main": "failed",
      "amd/main": "loaded",
      "syntax/main": "failed",
      "../x": "failed",
      "def/main": "loaded",
    });
    expect(errors).toHaveLength(4);
    expect(errors[0]).toContain('"missing/main" could not be loaded from /nbextensions/missing/main.js');
    expect(errors[1]).toContain('"throws/main" failed in load_ipython_extension: Error: boom');
    expect(errors[2]).toContain("SyntaxError");
    // custom.js's define() is anonymous again afterwards.
    expect(amd.onAnonymous).toBeNull();
    expect(amd.origin).toBe("custom.js");
  });

  it("an AMD extension asking for a module Carnet lacks is named, with the extension", async () => {
    const { errors, log } = recorder();
    const amd = new AmdLoader(log);
    const modules = { "/nbextensions/old/main.js": () => void amd.define(["jquery"], () => ({})) };
    await loadExtensions(["old/main"], "/", pageApi(), deps(modules, amd, log));
    expect(errors[0]).toContain('"jquery" (asked for by the extension "old/main")');
  });

  it("skips the classic widgets extension: Carnet renders widgets itself", async () => {
    const { errors, log } = recorder();
    const outcomes = await loadExtensions(["jupyter-js-widgets/extension"], "/", pageApi(), deps({}, new AmdLoader(log), log));
    expect(outcomes["jupyter-js-widgets/extension"]).toBe("skipped");
    expect(errors).toEqual([]);
  });
});

describe("extension shortcuts", () => {
  it("spells shortcuts as key presses are spelled", () => {
    expect(normalizeShortcut("Shift-E")).toBe("Shift-E");
    expect(normalizeShortcut("ctrl-shift-e")).toBe("Ctrl-Shift-e");
    expect(normalizeShortcut("g,g")).toBe("g,g");
    expect(normalizeShortcut("esc")).toBe("Escape");
    expect(normalizeShortcut("Hyper-x")).toBeNull();
  });

  it("a shortcut added for an extension fires its action", () => {
    expect(addShortcut("command", "Shift-E", "extension:hello")).toBe("Shift-E");
    const keys = new KeySequencer(COMMAND_SHORTCUTS);
    expect(keys.press({ key: "E", shift: true }, 0)).toBe("extension:hello");
    addShortcut("edit", "Ctrl-Shift-E", "extension:hello");
    expect(new KeySequencer(EDIT_SHORTCUTS).press({ key: "E", shift: true, ctrl: true }, 0)).toBe("extension:hello");
    delete COMMAND_SHORTCUTS["Shift-E"];
    delete EDIT_SHORTCUTS["Ctrl-Shift-e"];
  });
});

describe("the extension API", () => {
  function notebookPage() {
    const model = Notebook.fromJSON({ cells: [{ cell_type: "code", source: "1+1", metadata: {}, outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
    const ran: string[] = [];
    const added: string[] = [];
    const redrawn: string[] = [];
    const page = {
      model,
      actions: { "run-all": { label: "Run All", run: () => void ran.push("all") } } as Record<string, { label: string; run(): void; keys?: string }>,
      header: {
        addToolbarButton: (name: string) => (added.push(`toolbar ${name}`), document.createElement("button")),
        addMenuItem: (menu: string, name: string) => (added.push(`${menu} ${name}`), document.createElement("li")),
      },
      kernel: { run: async (cell: { source: string }) => void ran.push(cell.source) },
      saver: { path: "a.ipynb", save: async () => undefined },
      keys: { refresh: () => void ran.push("keys refreshed") },
      redrawOutputs: (mime: string) => void redrawn.push(mime),
    };
    return { page, ran, added, redrawn };
  }

  it("commands become page actions, with toolbar buttons, menu items and shortcuts", async () => {
    const { page, ran, added } = notebookPage();
    const made = createPageApi({ version: "1.0", page: "notebook", baseUrl: "/", events: new PageEvents() });
    const { api } = made;
    const early = api.commands.register({ id: "early", label: "Early", run: () => ran.push("early") });
    expect(early).toBe("extension:early");
    made.attachNotebook(page);
    api.commands.register({ id: "ex:hello", label: "Hello", run: () => ran.push("hello"), keys: "Shift-Q" });
    expect(page.actions["extension:early"].label).toBe("Early");
    expect(page.actions["ex:hello"].keys).toBe("Shift-Q");
    expect(COMMAND_SHORTCUTS["Shift-Q"]).toBe("ex:hello");
    delete COMMAND_SHORTCUTS["Shift-Q"];
    expect(api.toolbar.addButton({ command: "ex:hello" })).not.toBeNull();
    expect(api.menus.addItem("cell", "early")).not.toBeNull();
    expect(added).toEqual(["toolbar ex:hello", "cell extension:early"]);
    api.commands.run("early");
    expect(() => api.commands.run("nope")).toThrow(/no command named "nope"/);
    expect(api.keyboard.add("Shift-W", "nope")).toBe(false);
    const nb = api.notebook;
    expect(nb?.cells().map((c) => [c.index, c.type, c.source])).toEqual([[0, "code", "1+1"]]);
    nb?.insertCell(1, "code", "2+2");
    await nb?.execute(1);
    nb?.executeAll();
    expect(ran).toEqual(["keys refreshed", "early", "2+2", "all"]);
    expect(nb?.path).toBe("a.ipynb");
  });

  it("a renderer draws its MIME type; one that throws shows its error in the output", () => {
    const { page, redrawn } = notebookPage();
    const { errors, log } = recorder();
    const made = createPageApi({ version: "1.0", page: "notebook", baseUrl: "/", events: new PageEvents() }, log as unknown as Console);
    made.attachNotebook(page);
    made.api.renderers.register("application/vnd.test-ok+json", (data, element, info) => {
      element.textContent = `ok ${JSON.stringify(data)} ${info.trusted}`;
    });
    expect(redrawn).toEqual(["application/vnd.test-ok+json"]);
    const ok = renderMime({ "application/vnd.test-ok+json": { a: 1 }, "text/plain": "x" }, {}, { trusted: false, filesUrl: "" });
    expect(ok.textContent).toBe('ok {"a":1} false');
    made.api.renderers.register("application/vnd.test-bad+json", () => {
      throw new Error("bad data");
    });
    const bad = renderMime({ "application/vnd.test-bad+json": {} }, {}, { trusted: true, filesUrl: "" });
    expect(bad.querySelector(".renderer-error")?.textContent).toContain("bad data");
    expect(errors[0]).toContain("the renderer for application/vnd.test-bad+json failed");
    expect(() => made.api.renderers.register("not a mime", () => undefined)).toThrow(/not a MIME type/);
  });
});
