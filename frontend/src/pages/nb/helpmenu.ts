// The Help menu's links (Markdown reference, the kernel's own help_links from its
// kernel_info_reply) and About (Carnet's version, the kernel's implementation and banner);
// and Kernel > Reconnect.

import { events } from "../../events";
import { msg, t } from "../../i18n";
import type { KernelInfoReply } from "../../kernel/messages";
import { messageDialog, notify } from "../../view/dialog";
import { h } from "../../view/dom";
import type { NotebookPage } from "../notebook";
import type { Actions } from "./header";
import "./menus.css";

export const MARKDOWN_REFERENCE = "https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax";

/** The kernel's help links, after Markdown Reference (those of an earlier kernel removed). */
function showHelpLinks(info: KernelInfoReply): void {
  const anchor = document.querySelector("#menubar li[data-action=markdown-reference]");
  if (!anchor) return;
  document.querySelectorAll("#menubar [data-kernel-help]").forEach((li) => li.remove());
  const links = (info.help_links ?? []).filter((link) => /^https?:\/\//i.test(link.url));
  if (!links.length) return;
  const items = links.map((link) =>
    h("li", { role: "menuitem", "data-kernel-help": link.text },
      h("a", { href: link.url, target: "_blank", rel: "noopener noreferrer" }, link.text)));
  anchor.after(h("li", { class: "divider", "data-kernel-help": "" }), ...items);
}

function aboutBody(page: NotebookPage, info: KernelInfoReply | null): HTMLElement {
  const rows: [string, string][] = [[msg("Carnet"), page.config.appVersion]];
  if (info) {
    rows.push([msg("Kernel"), `${info.implementation} ${info.implementation_version}`]);
    const lang = info.language_info;
    if (lang) rows.push([msg("Language"), `${lang.name} ${lang.version ?? ""}`.trim()]);
    rows.push([msg("Protocol"), info.protocol_version]);
  } else rows.push([msg("Kernel"), t("not connected")]);
  const table = h("table", { class: "about-table" });
  for (const [key, value] of rows) table.append(h("tr", {}, h("th", {}, t(key)), h("td", { "data-about": key.toLowerCase() }, value)));
  return h("div", { class: "about-carnet" },
    h("p", {}, t("Carnet: the classic Jupyter Notebook, in Python.")),
    table,
    info?.banner ? h("pre", { class: "kernel-banner" }, info.banner) : "");
}

/** The Help and Reconnect actions; the kernel is asked for its info after each kernel_ready
 * (a new kernel, a restart, a change of kernel), for the help links and About. */
export function helpActions(page: NotebookPage): Actions {
  let info: KernelInfoReply | null = null;
  events.on("kernel_ready", () => {
    void page.kernel.connection?.request("shell", "kernel_info_request", {}).then(
      (reply) => {
        info = reply;
        showHelpLinks(reply);
      },
      (error) => console.warn("Carnet: no kernel info for the Help menu", error),
    );
  });
  return {
    "markdown-reference": { label: "Markdown Reference", run: () => void window.open(MARKDOWN_REFERENCE, "_blank", "noopener") },
    about: { label: "About Carnet", run: () => messageDialog(t("About Carnet"), aboutBody(page, info)) },
    reconnect: { label: "Reconnect", run: () => {
      if (!page.kernel.connection) {
        notify(t("There is no kernel to reconnect to"), "error", 6000);
        return;
      }
      page.kernel.connection.reconnect();
    } },
  };
}
