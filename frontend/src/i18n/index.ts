// The UI's one message catalog. Every UI string goes through t(), keyed by its English
// text: English is the identity, other languages map English -> translation, and a
// string with no translation shows in English. DOM-free: tested in vitest.
//
//   t("Save and Checkpoint")                      "保存并创建检查点" in zh-CN
//   t("Kernel {name} is starting", { name })      {name} is replaced after translation
//
// The language: nbconfig common.json {"language": "en"} wins; else the first of the
// browser's languages (navigator.languages) that Carnet has; else English.

export type Language = "en" | "zh-CN";
export type Catalog = Readonly<Record<string, string>>;

export const LANGUAGES: readonly Language[] = ["en", "zh-CN"];

let current: Language = "en";
let catalog: Catalog = {};

/** The supported language a tag names ("zh", "zh_CN", "zh-Hans-CN", "EN-us"...), or null. */
export function normalize(tag: string): Language | null {
  const parts = tag.trim().replace(/_/g, "-").toLowerCase().split("-");
  if (parts[0] === "en") return "en";
  if (parts[0] !== "zh") return null;
  // Traditional Chinese (zh-TW, zh-HK, zh-MO, zh-Hant) is not Simplified: not ours.
  const rest = parts.slice(1);
  if (rest.includes("hant")) return null;
  if (rest.includes("hans")) return "zh-CN";
  return rest.some((p) => p === "tw" || p === "hk" || p === "mo") ? null : "zh-CN";
}

/** The override when it names a supported language; else the browser's first one we have. */
export function chooseLanguage(override: unknown, browser: readonly string[]): Language {
  if (typeof override === "string") {
    const chosen = normalize(override);
    if (chosen) return chosen;
  }
  for (const tag of browser) {
    const chosen = normalize(tag);
    if (chosen) return chosen;
  }
  return "en";
}

/** Make `language` current, with its catalog (English needs none). */
export function setLanguage(language: Language, messages: Catalog = {}): void {
  current = language;
  catalog = language === "en" ? {} : messages;
}

export function language(): Language {
  return current;
}

/** The catalog of a language, loaded on demand: English pages never download Chinese. */
export async function loadCatalog(language: Language): Promise<Catalog> {
  if (language === "zh-CN") return (await import("./zh-CN")).zhCN;
  return {};
}

/** Marks a string for the catalog where it is defined; t() translates it where it is drawn. */
export function msg(message: string): string {
  return message;
}

/** `message` in the current language, with {name} placeholders filled from `vars`. */
export function t(message: string, vars?: Readonly<Record<string, string | number>>): string {
  const text = catalog[message] || message;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Strings shown as they are in every language: names, formats, file types. */
export const UNTRANSLATED: ReadonlySet<string> = new Set([
  "Carnet",
  "HTML",
  "Markdown",
  "PDF",
  "Python",
  "LaTeX",
  "reStructuredText",
  "OK",
  "×",
]);
