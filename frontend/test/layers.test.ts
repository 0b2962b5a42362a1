import { describe, expect, it } from "vitest";

// The model (src/model) is state and actions, tested in Node: it never imports the
// view or the pages, which render it (see the design notes, "functional core").
const FORBIDDEN = ["src/view/", "src/pages/"];

const modelSources = import.meta.glob("../src/model/**/*.ts", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

const SPECIFIER =
  /(?:^|[;\s])(?:import|export)\b[^"'`;]*?from\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[;\s])import\s*["']([^"']+)["']/g;

/** `specifier` as seen from `file` (both relative to this test file), normalized. */
function resolve(file: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  const parts = file.split("/").slice(0, -1);
  for (const segment of specifier.split("/")) {
    if (segment === "..") {
      if (parts.length && parts[parts.length - 1] !== "..") parts.pop();
      else parts.push("..");
    } else if (segment !== ".") parts.push(segment);
  }
  return parts.join("/");
}

/** The imports of a model file that reach into the view or the pages. */
export function forbiddenImports(file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    const target = resolve(file, specifier);
    if (FORBIDDEN.some((prefix) => target.startsWith(`../${prefix}`))) found.push(specifier);
  }
  return found;
}

describe("layering of the frontend", () => {
  it("finds the model's sources", () => {
    expect(Object.keys(modelSources)).toContain("../src/model/notebook.ts");
  });

  it("the model never imports the view or the pages", () => {
    const breaches = Object.entries(modelSources).flatMap(([file, source]) =>
      forbiddenImports(file, source).map((specifier) => `${file} imports ${specifier}`),
    );
    expect(breaches).toEqual([]);
  });

  it("a breach is reported (the check is not blind)", () => {
    const file = "../src/model/cell.ts";
    const source = [
      'import { renderCell } from "../view/cell";',
      'export { page } from "../pages/nb/session";',
      'const lazy = import("../view/outputs");',
      'import "../pages/tree/main";',
      'import { Cell } from "./types";',
      'import { EditorState } from "@codemirror/state";',
    ].join("\n");
    expect(forbiddenImports(file, source)).toEqual([
      "../view/cell",
      "../pages/nb/session",
      "../view/outputs",
      "../pages/tree/main",
    ]);
  });
});
