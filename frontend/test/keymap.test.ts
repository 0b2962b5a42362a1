import { describe, expect, it } from "vitest";
import { addShortcut } from "../src/model/shortcuts";
import { CommandKeys } from "../src/pages/nb/keymap";

function fakeApi() {
  const calls: [string, string, unknown][] = [];
  return {
    calls,
    call<T>(method: string, url: string, body?: unknown): Promise<T> {
      calls.push([method, url, body]);
      return Promise.resolve({} as T);
    },
  };
}

describe("CommandKeys", () => {
  it("applies the front-end config and tells the keyboard", () => {
    const keys = new CommandKeys(fakeApi());
    const tables: Record<string, string>[] = [];
    keys.onChange = (table) => tables.push(table);
    keys.apply({ keys: { command: { bind: { q: "jupyter-notebook:insert-cell-below" }, unbind: ["b"] } } });
    expect(tables).toHaveLength(1);
    expect(keys.commandKeys("insert-below")).toEqual(["q"]);
    expect(keys.allKeys("delete")).toEqual(["D,D"]);
    expect(keys.allKeys("command-mode")).toEqual(["Escape", "Ctrl-M"]);
    expect(keys.hasTableKeys("insert-below")).toBe(true);
    expect(keys.hasTableKeys("about")).toBe(false);
  });

  it("saves an edit with one PATCH of nbconfig/notebook, then uses it", async () => {
    const api = fakeApi();
    const keys = new CommandKeys(api);
    const added = addShortcut(keys.defaults, keys.config, "shift-q", "run-all", (n) => n);
    if (!added.ok) throw new Error(added.error);
    await keys.save(added.config);
    expect(api.calls).toEqual([["PATCH", "api/config/notebook", { keys: { command: { bind: { "shift-q": "jupyter-notebook:run-all-cells" } } } }]]);
    expect(keys.table["Shift-Q"]).toBe("run-all");
    expect(keys.config.spelled).toEqual({ "Shift-Q": "shift-q" });
  });

  it("keeps the old shortcuts when the server refuses the edit", async () => {
    const keys = new CommandKeys({ call: () => Promise.reject(new Error("403: read-only")) });
    const added = addShortcut(keys.defaults, keys.config, "q", "run-all", (n) => n);
    if (!added.ok) throw new Error(added.error);
    await expect(keys.save(added.config)).rejects.toThrow("read-only");
    expect(keys.table.q).toBeUndefined();
  });
});
