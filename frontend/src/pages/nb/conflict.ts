// "File changed on disk": when a save is refused because another program or tab changed the
// notebook file, the user chooses to overwrite it, reload it, or save the page's version as a copy.

import type { NbDocument } from "../../model/types";
import { choiceDialog, notify } from "../../view/dialog";
import { h } from "../../view/dom";
import type { Saver } from "./saving";
import { t } from "../../i18n";

export interface ConflictHost {
  saver: Saver;
  /** Shows this document in place of the page's. */
  reload(doc: NbDocument): void;
  /** The page now edits the file at `path` (its kernel session follows it). */
  moved(path: string): Promise<void>;
}

export type ConflictChoice = "overwrite" | "reload" | "copy";

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Asks the question; null when the dialog is dismissed without a choice. */
export async function askConflict(name: string): Promise<ConflictChoice | null> {
  const body = h(
    "div",
    { class: "conflict-message" },
    h("p", {}, "The file ", h("strong", {}, name), " was changed on disk, by another program or another tab, since this page last opened or saved it."),
    h("p", {}, "Overwrite it with the version open here, reload the version on disk (the changes made here are lost), or save the version open here as a copy and keep editing that?"),
  );
  const answer = await choiceDialog(t("File changed on disk"), body, [
    { label: t("Overwrite"), value: "overwrite", danger: true },
    { label: t("Reload from disk"), value: "reload" },
    { label: t("Save a copy"), value: "copy", primary: true },
  ]);
  return answer === "overwrite" || answer === "reload" || answer === "copy" ? answer : null;
}

export function installConflictChoice(host: ConflictHost): void {
  const { saver } = host;
  saver.onConflict = async () => {
    const name = saver.path.split("/").pop() ?? saver.path;
    const choice = await askConflict(name);
    try {
      if (choice === "overwrite") {
        await saver.overwrite();
      } else if (choice === "reload") {
        host.reload(await saver.reloadFromDisk());
        notify(t("Reloaded the version on disk"));
      } else if (choice === "copy") {
        await host.moved(await saver.saveCopy());
      } else {
        // Dismissed: nothing is written, autosave stays paused; the next save asks again.
        notify(t("Not saved: the file changed on disk. Save to choose what to do."), "error", 6000);
      }
    } catch (error) {
      notify(`Could not ${choice === "copy" ? "save a copy" : choice}: ${errorText(error)}`, "error", 8000);
    }
  };
}
