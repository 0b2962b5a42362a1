// Entry point: exposes `window.carnet` for custom.js, then loads the page's own code.

import "./styles.css";
import { events } from "./events";
import { Api } from "./kernel/api";
import { readConfig } from "./pages/config";

const config = readConfig();
const carnet = { events, config, version: config.appVersion, notebook: null as unknown, terminal: null as unknown };
(window as unknown as { carnet: typeof carnet }).carnet = carnet;

// The notebook is the biggest download: ask for it now, while the page's code loads.
const early =
  config.page === "notebook" ? new Api(config.baseUrl, config.xsrfToken).contents(config.path, { type: "notebook", hash: true }) : null;
// Failures surface where the page awaits it; this only stops an "unhandled rejection" meanwhile.
early?.catch(() => undefined);

async function start(): Promise<void> {
  if (config.page === "notebook") {
    const { startNotebookPage } = await import("./pages/notebook");
    carnet.notebook = await startNotebookPage(config, early);
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
}

start().catch((error) => {
  console.error(error);
  const box = document.createElement("div");
  box.className = "page-error";
  box.textContent = `Carnet could not load this page: ${error instanceof Error ? error.message : String(error)}`;
  document.body.prepend(box);
});
