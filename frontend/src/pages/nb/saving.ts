// Saving the notebook: Ctrl-S (with a checkpoint), autosave, revert, rename, leave warning.

import { Api, encodePath } from "../../kernel/api";
import type { Notebook } from "../../model/notebook";
import type { NbDocument } from "../../model/types";

export class Saver {
  lastCheckpoint: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private saving: Promise<void> | null = null;
  onSaved: (message: string) => void = () => {};
  /** Adds to the document about to be saved (the widget state goes into its metadata). */
  beforeSave: (doc: NbDocument) => Promise<void> = async () => {};

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

  /** Saves now; a manual save also records a checkpoint ("Revert to checkpoint"). */
  async save(manual = true): Promise<void> {
    if (this.saving) await this.saving;
    const content: NbDocument = this.nb.toJSON();
    const version = this.nb.version;
    await this.beforeSave(content).catch((error) => console.error("Carnet: could not add the widget state to the save", error));
    this.saving = (async () => {
      try {
        await this.api.save(this.path, { type: "notebook", format: "json", content } as never);
        // Clean only if nothing changed while the save was in flight.
        if (this.nb.version === version) this.nb.setDirty(false);
        if (manual) {
          const checkpoint = await this.api.createCheckpoint(this.path);
          this.lastCheckpoint = checkpoint.last_modified;
        }
        this.onSaved(manual ? "Checkpoint created" : "Autosaved");
      } finally {
        this.saving = null;
      }
    })();
    await this.saving;
  }

  /** Autosaves every `seconds` while there are changes (0 turns it off). */
  startAutosave(seconds: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      if (this.nb.dirty) void this.save(false).catch((error) => console.error("Carnet: autosave failed", error));
    }, seconds * 1000);
  }

  async loadCheckpoints(): Promise<void> {
    const list = await this.api.checkpoints(this.path).catch(() => []);
    this.lastCheckpoint = list.length ? list[list.length - 1].last_modified : null;
  }

  /** Restores the last checkpoint on disk and returns the notebook as it now is. */
  async revert(): Promise<NbDocument | null> {
    const list = await this.api.checkpoints(this.path);
    if (list.length === 0) return null;
    await this.api.restoreCheckpoint(this.path, list[list.length - 1].id);
    const model = await this.api.contents(this.path, { type: "notebook" });
    return model.content as NbDocument;
  }

  async rename(newName: string): Promise<string> {
    const dir = this.path.includes("/") ? this.path.slice(0, this.path.lastIndexOf("/") + 1) : "";
    const name = newName.endsWith(".ipynb") ? newName : `${newName}.ipynb`;
    const model = await this.api.rename(this.path, dir + name);
    this.path = model.path;
    history.replaceState(null, "", `${this.api.baseUrl}notebooks/${encodePath(this.path)}`);
    return this.path;
  }
}
