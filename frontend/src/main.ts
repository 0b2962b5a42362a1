// Entry point: exposes `window.carnet` for custom.js (its `api`, ./ext/types, is the stable
// part, for extensions), and the classic `define`/`require` with `Jupyter`
// (./pages/classic), then loads the page's own code, then the front-end extensions.

import "./styles.css";
import { events } from "./events";
import { Api } from "./kernel/api";
import { addShortcut } from "./model/keys";
import { classicKeyboardManager, classicModules, classicNotebook, classicToolbar } from "./pages/classic";
import { readConfig } from "./pages/config";
import { fetchPageConfig } from "./pages/nbconfig";
import { createPageApi } from "./ext/api";
import { enabledExtensions, loadExtensions } from "./ext/loader";
import { chooseLanguage, loadCatalog, setLanguage, t } from "./i18n";

const config = readConfig();
const pageApi = createPageApi({ version: config.appVersion, page: config.page, baseUrl: config.baseUrl, events });
const carnet = { events, config, version: config.appVersion, api: pageApi.api, notebook: null as unknown, terminal: null as unknown };
(window as unknown as { carnet: typeof carnet }).carnet = carnet;
// Before custom.js runs (a deferred script after this module): its define() needs them.
const classic = classicModules(config.appVersion, events);
Object.assign(window, {
  define: classic.loader.define,
  require: classic.loader.require,
  requirejs: classic.loader.require,
  Jupyter: classic.Jupyter,
  IPython: classic.Jupyter,
});
const api = new Api(config.baseUrl, config.xsrfToken);

// The notebook is the biggest download: ask for it now, while the page's code loads.
const early = config.page === "notebook" ? api.contents(config.path, { type: "notebook", hash: true }) : null;
// Its front-end config (nbconfig), alongside: it is small, and never rejects.
const frontend = config.page === "notebook" ? fetchPageConfig(api, "notebook") : null;
// Failures surface where the page awaits it; this only stops an "unhandled rejection" meanwhile.
early?.catch(() => undefined);
// The UI's language, before any page code draws a string (its catalog loads with the page's code).
const chosen = chooseLanguage(config.language, navigator.languages ?? [navigator.language]);
document.documentElement.lang = chosen;
// A catalog that cannot load leaves the page in English rather than not loading it.
const catalog = loadCatalog(chosen).then((messages) => setLanguage(chosen, messages), () => setLanguage("en"));

async function start(): Promise<void> {
  await catalog;
  if (config.page === "notebook") {
    const { startNotebookPage } = await import("./pages/notebook");
    const page = await startNotebookPage(config, early, frontend);
    carnet.notebook = page;
    classic.Jupyter.actions.attach(page.actions);
    classic.Jupyter.notebook = classicNotebook(page, classic.Jupyter.actions);
    classic.Jupyter.keyboard_manager = classicKeyboardManager(classic.Jupyter.actions, (mode, keys, name) => {
      if (addShortcut(mode, keys, name) === null) return false;
      page.keys.refresh();
      return true;
    });
    classic.Jupyter.toolbar = classicToolbar(classic.Jupyter.actions, (name, text) => page.header.addToolbarButton(name, text ? [text] : []));
    pageApi.attachNotebook(page);
    events.emit("notebook_loaded", { path: page.saver.path });
  } else if (config.page === "terminal") {
    const { startTerminalPage } = await import("./pages/terminal");
    carnet.terminal = await startTerminalPage(config);
  } else if (config.page === "edit") {
    const { startEditPage } = await import("./pages/edit");
    await startEditPage(config);
  } else {
    const { startTreePage } = await import("./pages/tree");
    await startTreePage(config);
  }
  events.emit("page_loaded", { page: config.page });
  // After the page is built; never waited for, never rejects (see ./ext/loader).
  void startExtensions();
}

async function startExtensions(): Promise<void> {
  const section = await (frontend ?? fetchPageConfig(api, config.page));
  const names = enabledExtensions(section, config.extensions);
  if (!names.length) return;
  await loadExtensions(names, config.baseUrl, pageApi.api, {
    importModule: (url) => import(/* @vite-ignore */ url),
    amd: classic.loader,
    log: console,
  });
}

start().catch((error) => {
  console.error(error);
  const box = document.createElement("div");
  box.className = "page-error";
  box.textContent = t("Carnet could not load this page: {error}", { error: error instanceof Error ? error.message : String(error) });
  document.body.prepend(box);
});
