// File > Download as: the notebook converted by the server's /nbconvert (saved first, so the
// file matches the page), downloaded under the notebook's name; a failure is shown in the page.

import { encodePath } from "../../kernel/api";
import { notify } from "../../view/dialog";
import type { NotebookPage } from "../notebook";
import type { Actions } from "./header";
import { t } from "../../i18n";

export const FORMATS: [string, string, string][] = [
  ["download-html", "html", "HTML (.html)"],
  ["download-markdown", "markdown", "Markdown (.md)"],
  ["download-python", "script", "Python (.py)"],
  ["download-pdf", "pdf", "PDF via Chromium (.pdf)"],
];

/** The file name from Content-Disposition (RFC 5987 `filename*` first), or a fallback. */
export function attachmentName(header: string | null, fallback: string): string {
  const extended = /filename\*=utf-8''([^;]+)/i.exec(header ?? "");
  if (extended) return decodeURIComponent(extended[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header ?? "");
  return plain ? plain[1] : fallback;
}

async function download(page: NotebookPage, format: string, label: string): Promise<void> {
  const { saver, model, config } = page;
  if (model.dirty) await saver.save();
  notify(t("Preparing {format}…", { format: label }), "info", 1500);
  const url = `${config.baseUrl}nbconvert/${format}/${encodePath(saver.path)}?download=true`;
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).message || message;
    } catch {
      // not JSON: the status says enough
    }
    throw new Error(t("Download as {format} failed: {message}", { format: label, message }));
  }
  const name = attachmentName(response.headers.get("Content-Disposition"), saver.path.split("/").pop() ?? "notebook");
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

export function exportActions(page: NotebookPage): Actions {
  const actions: Actions = {};
  for (const [name, format, label] of FORMATS) {
    actions[name] = { label: `Download as ${label}`, run: async () => {
      try {
        await download(page, format, label);
      } catch (error) {
        notify(error instanceof Error ? error.message : String(error), "error", 10_000);
      }
    } };
  }
  return actions;
}
