// File > Make a Copy, Save as… and Print Preview (Download as is in export.ts).

import { ApiError, encodePath } from "../../kernel/api";
import { notebookPath } from "../../model/savepath";
import { notify, promptDialog } from "../../view/dialog";
import { msg, t } from "../../i18n";
import { notebookTarget } from "../classic";
import type { NotebookPage } from "../notebook";
import type { Actions } from "./header";

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A tab opened at the click (a tab opened after an await is a blocked pop-up), sent later. */
async function openLater(target: string, url: () => Promise<string>): Promise<void> {
  const tab = window.open("", target);
  try {
    const href = await url();
    if (tab) tab.location.href = href;
    else window.location.href = href;
  } catch (error) {
    if (tab && tab !== window) tab.close();
    throw error;
  }
}

export function fileActions(page: NotebookPage): Actions {
  const { saver, model, api, config, kernel } = page;
  const notebookUrl = (path: string) => `${config.baseUrl}notebooks/${encodePath(path)}`;
  const saveFirst = async () => {
    if (model.dirty) await saver.save();
  };
  const guarded = (label: string, fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (error) {
      notify(t("{action} failed: {reason}", { action: t(label), reason: errorText(error) }), "error", 10_000);
    }
  };

  /** As the classic notebook: the copy (saved edits included) opens in a new tab. */
  const makeCopy = () =>
    openLater(notebookTarget(), async () => {
      await saveFirst();
      const dir = page.dir();
      const copy = await api.create(dir, { copy_from: saver.path });
      notify(t("Copied to {name}", { name: copy.name }));
      return notebookUrl(copy.path);
    });

  /** Saves the page at a new path and edits that file: URL, title and kernel session follow. */
  const saveAs = async () => {
    const typed = await promptDialog(t("Save As"), t("Enter a notebook path relative to the home folder:"), saver.path);
    if (typed === null) return;
    const wanted = notebookPath(typed);
    if ("error" in wanted) throw new Error(wanted.error);
    const { path } = wanted;
    if (path === saver.path) {
      await saver.save();
      return;
    }
    // Never over another file: the server says whether it exists (or why the path is refused).
    const exists = await api.contents(path, { content: false }).then(
      () => true,
      (error) => {
        if (error instanceof ApiError && error.status === 404) return false;
        throw error;
      },
    );
    if (exists) throw new Error(t("{path} already exists: choose another name", { path }));
    await saver.saveAs(path);
    await kernel.rename(path).catch((error) => console.warn("Carnet: the kernel session did not follow the new path", error));
    document.title = (path.split("/").pop() ?? path).replace(/\.ipynb$/, "");
    model.changed.emit({ kind: "dirty" });
  };

  /** nbconvert's HTML page of the notebook as saved, in a new tab: a clean page to print. */
  const printPreview = () =>
    openLater("_blank", async () => {
      await saveFirst();
      return `${config.baseUrl}nbconvert/html/${encodePath(saver.path)}?download=false`;
    });

  return {
    "make-copy": { label: "Make a Copy…", run: guarded(msg("Make a Copy"), makeCopy) },
    "save-as": { label: "Save as…", run: guarded(msg("Save as"), saveAs) },
    "print-preview": { label: "Print Preview", run: guarded(msg("Print Preview"), printPreview) },
  };
}
