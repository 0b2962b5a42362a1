import { afterEach, describe, expect, it } from "vitest";
import { chooseLanguage, language, loadCatalog, msg, normalize, setLanguage, t, UNTRANSLATED } from "../src/i18n";
import { zhCN } from "../src/i18n/zh-CN";
import { shortcutHelp } from "../src/model/keys";
import { CELL_TOOLBARS, SLIDE_TYPES } from "../src/model/metadata";
import { FORMATS } from "../src/pages/nb/export";
import { ICONS, MENUS } from "../src/pages/nb/header";

afterEach(() => setLanguage("en"));

describe("language choice", () => {
  it("takes the browser's first language Carnet has", () => {
    expect(chooseLanguage("", ["zh-CN", "en-US"])).toBe("zh-CN");
    expect(chooseLanguage(undefined, ["fr-FR", "zh", "en"])).toBe("zh-CN");
    expect(chooseLanguage(undefined, ["de", "en-GB", "zh-CN"])).toBe("en");
    expect(chooseLanguage(undefined, ["fr", "de"])).toBe("en");
    expect(chooseLanguage(undefined, [])).toBe("en");
  });

  it("lets the nbconfig override win, unless it names no language Carnet has", () => {
    expect(chooseLanguage("en", ["zh-CN"])).toBe("en");
    expect(chooseLanguage("zh_CN", ["en-US"])).toBe("zh-CN");
    expect(chooseLanguage("klingon", ["zh-CN"])).toBe("zh-CN");
    expect(chooseLanguage(42, ["zh-CN"])).toBe("zh-CN");
  });

  it("reads Simplified Chinese, not Traditional, from a tag", () => {
    expect(normalize("zh-Hans-CN")).toBe("zh-CN");
    expect(normalize("zh-SG")).toBe("zh-CN");
    expect(normalize("ZH_cn")).toBe("zh-CN");
    expect(normalize("zh-TW")).toBeNull();
    expect(normalize("zh-Hant-HK")).toBeNull();
    expect(normalize("EN-us")).toBe("en");
    expect(normalize("eng")).toBeNull();
  });
});

describe("lookup", () => {
  it("is the identity in English", () => {
    setLanguage("en", zhCN);
    expect(language()).toBe("en");
    expect(t("Save and Checkpoint")).toBe("Save and Checkpoint");
  });

  it("translates, and falls back to English for a string with no translation", async () => {
    setLanguage("zh-CN", await loadCatalog("zh-CN"));
    expect(t("Save and Checkpoint")).toBe("保存并创建检查点");
    expect(t("A string nobody translated")).toBe("A string nobody translated");
    expect(t("Nobody translated {what}", { what: "this" })).toBe("Nobody translated this");
  });

  it("fills placeholders after translating, and leaves unknown ones alone", () => {
    setLanguage("zh-CN", { "Saved as {name}": "已另存为 {name}" });
    expect(t("Saved as {name}", { name: "a.ipynb" })).toBe("已另存为 a.ipynb");
    expect(t("{a} and {b}", { a: 1 })).toBe("1 and {b}");
    expect(msg("Kernel idle")).toBe("Kernel idle");
  });
});

// Every string the UI shows: literals given to t() or msg(), `label: "..."` of actions and
// buttons (translated where they are drawn), and the tables the header builds labels from.
const sources = import.meta.glob("../src/**/*.ts", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const CALL = /(?<![\w.])(?:t|msg)\(\s*"((?:[^"\\]|\\.)*)"/g;
const LABEL = /\blabel:\s*"((?:[^"\\]|\\.)*)"/g;

export function uiStrings(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (text: string, where: string) => found.has(text) || found.set(text, where);
  for (const [file, text] of Object.entries(sources)) {
    if (file.includes("/i18n/")) continue;
    for (const pattern of [CALL, LABEL]) for (const m of text.matchAll(pattern)) add(JSON.parse(`"${m[1]}"`), file);
  }
  for (const [title, items] of MENUS) {
    add(title, "header.ts MENUS");
    for (const item of items) if (Array.isArray(item)) add(item[0], "header.ts MENUS");
  }
  for (const [, label] of Object.values(ICONS)) if (label) add(label, "header.ts ICONS");
  for (const [, , label] of FORMATS) add(`Download as ${label}`, "export.ts FORMATS");
  for (const name of CELL_TOOLBARS) add(`Cell Toolbar: ${name}`, "nb/metadata.ts");
  for (const [label] of SLIDE_TYPES) if (label !== "-") add(label, "model/metadata.ts SLIDE_TYPES");
  for (const row of shortcutHelp()) add(row.mode, "model/keys.ts");
  return found;
}

describe("the zh-CN catalog", () => {
  it("translates every UI string (or it is marked as shown untranslated)", () => {
    const strings = uiStrings();
    expect(strings.size).toBeGreaterThan(150);
    const missing = [...strings].filter(([text]) => !UNTRANSLATED.has(text) && !zhCN[text]).map(([text, where]) => `${where}: ${JSON.stringify(text)}`);
    expect(missing, "add these to frontend/src/i18n/zh-CN.ts (or to UNTRANSLATED in src/i18n/index.ts if they are to stay English)").toEqual([]);
  });

  it("keeps every placeholder of the English in the translation", () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const broken = Object.entries(zhCN).filter(([en, zh]) => names(en).join() !== names(zh).join());
    expect(broken).toEqual([]);
  });
});
