// Saving the notebook: Ctrl-S (with a checkpoint), autosave, revert, rename, leave warning.
// Every save carries the hash of the file as the page last loaded or saved it, so a file
// changed by another program or tab is never overwritten silently (see conflict.ts).

import { Api, ChangedOnDiskError, encodePath } from "../../kernel/api";
import { withoutUnusedAttachments } from "../../model/attachments";
import type { Notebook } from "../../model/notebook";
import type { NbDocument } from "../../model/types";
import { t } from "../../i18n";

export class Saver {
  lastCheckpoint: string | null = null;
  /** The sha256 of the file as this page last loaded or saved it (null: not known, no check). */
  hash: string | null = null;
  /** A save was refused because the file changed on disk; autosave waits for the user's choice. */
  conflicted = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  // Saves run one after another: each one's hash is the next one's expected hash.
  private queue: Promise<unknown> = Promise.resolve();
  private asking = false;
  onSaved: (message: string) => void = () => {};
  /** Adds to the document about to be saved (the widget state goes into its metadata). */
  beforeSave: (doc: NbDocument) => Promise<void> = async () => {};
  /** Asks the user what to do about a file changed on disk (overwrite, reload, save a copy). */
  onConflict: () => Promise<void> = async () => {};

  constructor(
    private readonly api: Api,
    private readonly nb: Notebook,
    public path: string,
  ) {
    window.addEventListener("beforeunload", (event) => {
      if (!this.nb.dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  /**
   * Saves now; a manual save also records a checkpoint ("Revert to checkpoint"). If the file
   * changed on disk, nothing is written and the user is asked what to do, once.
   */
  async save(manual = true): Promise<void> {
    // Autosave stays off until the user has answered the conflict question.
    if (this.conflicted && !manual) return;
    const saved = await this.serial(() => this.write(this.path, manual ? "checkpoint" : "autosave", this.hash));
    if (!saved) await this.askOnce();
  }

  /** Writes the page's version over whatever is on disk (the user chose so). */
  async overwrite(): Promise<void> {
    await this.serial(() => this.write(this.path, "checkpoint", null, t("Saved over the changed file")));
  }

  /** Reads the file as it is on disk now: the page shows it and saves over it from then on. */
  async reloadFromDisk(): Promise<NbDocument> {
    return this.serial(async () => {
      const model = await this.api.contents(this.path, { type: "notebook", hash: true });
      this.hash = model.hash ?? null;
      this.conflicted = false;
      return model.content as NbDocument;
    });
  }

  /**
   * Saves the page's version as a new file next to this one (name-Copy1.ipynb, ...), leaving
   * the file on disk alone; the page then edits the copy. Returns the copy's path.
   */
  async saveCopy(): Promise<string> {
    return this.serial(async () => {
      const dir = this.path.includes("/") ? this.path.slice(0, this.path.lastIndexOf("/")) : "";
      // The server picks a free name; the copy is then overwritten with the page's version.
      const copy = await this.api.create(dir, { copy_from: this.path });
      await this.write(copy.path, "checkpoint", null, t("Saved as {name}", { name: copy.name }));
      this.moveTo(copy.path);
      await this.loadCheckpoints();
      return copy.path;
    });
  }

  /** File > Save as: writes the page's version at `path` (checked absent by the caller), then
   * edits that file; the old one stays as it was last saved. */
  async saveAs(path: string): Promise<void> {
    await this.serial(async () => {
      await this.write(path, "checkpoint", null, `Saved as ${path}`);
      this.moveTo(path);
      await this.loadCheckpoints();
    });
  }

  /** Autosaves every `seconds` while there are changes (0 turns it off). */
  startAutosave(seconds: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      if (this.nb.dirty && !this.conflicted) void this.save(false).catch((error) => console.error("Carnet: autosave failed", error));
    }, seconds * 1000);
  }

  async loadCheckpoints(): Promise<void> {
    const list = await this.api.checkpoints(this.path).catch(() => []);
    this.lastCheckpoint = list.length ? list[list.length - 1].last_modified : null;
  }

  /** Restores the last checkpoint on disk and returns the notebook as it now is. */
  async revert(): Promise<NbDocument | null> {
    return this.serial(async () => {
      const list = await this.api.checkpoints(this.path);
      if (list.length === 0) return null;
      await this.api.restoreCheckpoint(this.path, list[list.length - 1].id);
      // The file changed under the page's hash: the restored bytes are the new base.
      const model = await this.api.contents(this.path, { type: "notebook", hash: true });
      this.hash = model.hash ?? null;
      this.conflicted = false;
      return model.content as NbDocument;
    });
  }

  /** Renames the file; its bytes, and so the hash, stay the same. */
  async rename(newName: string): Promise<string> {
    const dir = this.path.includes("/") ? this.path.slice(0, this.path.lastIndexOf("/") + 1) : "";
    const name = newName.endsWith(".ipynb") ? newName : `${newName}.ipynb`;
    const model = await this.serial(() => this.api.rename(this.path, dir + name));
    this.moveTo(model.path);
    return this.path;
  }

  private moveTo(path: string): void {
    this.path = path;
    history.replaceState(null, "", `${this.api.baseUrl}notebooks/${encodePath(this.path)}`);
  }

  /** One save; false when the server refused it because the file changed on disk. */
  private async write(path: string, kind: "checkpoint" | "autosave", expectedHash: string | null, message?: string): Promise<boolean> {
    // As Jupyter does, attachments the cell's source no longer uses are not saved.
    const content: NbDocument = withoutUnusedAttachments(this.nb.toJSON());
    const version = this.nb.version;
    await this.beforeSave(content).catch((error) => console.error("Carnet: could not add the widget state to the save", error));
    let model;
    try {
      model = await this.api.save(path, { type: "notebook", format: "json", content } as never, { expectedHash, hash: true });
    } catch (error) {
      if (!(error instanceof ChangedOnDiskError)) throw error;
      this.conflicted = true;
      return false;
    }
    // The page's own save must never look like someone else's change: keep its hash.
    this.hash = model.hash ?? null;
    this.conflicted = false;
    // Clean only if nothing changed while the save was in flight.
    if (this.nb.version === version) this.nb.setDirty(false);
    if (kind === "checkpoint") {
      const checkpoint = await this.api.createCheckpoint(path);
      this.lastCheckpoint = checkpoint.last_modified;
    }
    this.onSaved(message ?? (kind === "checkpoint" ? t("Checkpoint created") : t("Autosaved")));
    return true;
  }

  /** One question at a time: a save refused while it is open (a manual one) does not ask again. */
  private async askOnce(): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    try {
      await this.onConflict();
    } finally {
      this.asking = false;
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
