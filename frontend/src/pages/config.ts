// The page config the server writes into the HTML shell (never the token).

export interface PageConfig {
  page: "tree" | "notebook" | "edit" | "terminal";
  baseUrl: string;
  path: string;
  xsrfToken: string;
  autosaveInterval: number;
  appVersion: string;
  /** Front-end modules the server's extensions load on this page ("name/main"). */
  extensions: string[];
  /** nbconfig common.json "language", when set: it wins over the browser's languages. */
  language: string;
}

export function readConfig(): PageConfig {
  const el = document.getElementById("carnet-config");
  const raw = el ? JSON.parse(el.textContent || "{}") : {};
  return {
    page: raw.page ?? "tree",
    baseUrl: raw.baseUrl ?? "/",
    path: raw.path ?? "",
    xsrfToken: raw.xsrfToken ?? "",
    autosaveInterval: typeof raw.autosaveInterval === "number" ? raw.autosaveInterval : 120,
    appVersion: raw.appVersion ?? "",
    extensions: Array.isArray(raw.extensions) ? raw.extensions.map(String) : [],
    language: typeof raw.language === "string" ? raw.language : "",
  };
}

export function wsBase(baseUrl: string): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}${baseUrl}`;
}
