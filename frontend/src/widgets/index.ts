// The page's widget support, eager and small: the jupyter.widget comm target, the widget
// view mime renderer, Output capture and the widget state of saves. The widget code itself
// (ipywidgets' controls, Lumino, their CSS) is imported only when the first widget appears.

import { events } from "../events";
import type { CommManager } from "../kernel/comm";
import { isMessage, type KernelMessage } from "../kernel/wire";
import type { NbDocument } from "../model/types";
import { registerMimeRenderer, type RenderContext } from "../render/mime";
import { OutputRouter } from "./capture";
import type { CarnetWidgetManager } from "./manager";
import { displayedModelIds, pruneWidgetState, readWidgetState, WIDGET_VIEW_MIME, writeWidgetState } from "./state";

export { WIDGET_VIEW_MIME } from "./state";

export interface WidgetHostOptions {
  comms: CommManager;
  /** Where outputs of Output widgets render: trusted, since they come from the kernel now. */
  context: () => RenderContext;
}

export class WidgetHost {
  readonly router = new OutputRouter();
  private loading: Promise<CarnetWidgetManager> | null = null;
  private loaded: CarnetWidgetManager | null = null;
  private readonly captured = new WeakSet<KernelMessage>();
  // The saved state being restored, if any: views look for their models once it is done.
  private restoring: Promise<void> = Promise.resolve();

  constructor(private readonly options: WidgetHostOptions) {
    options.comms.registerTarget("jupyter.widget", async (comm, msg) => {
      const manager = await this.manager();
      await manager.openFromKernel(comm, msg);
    });
    options.comms.messages.on((msg) => {
      this.router.observe(msg);
      if (this.router.capture(msg)) this.captured.add(msg);
      const state = isMessage(msg, "status") ? msg.content.execution_state : null;
      // The kernel's comms are gone; the views stay, no longer live.
      if (state === "restarting" || state === "starting" || state === "dead") {
        this.router.reset();
        this.loaded?.disconnect();
      }
    });
  }

  /** True when an Output widget took this IOPub message (the cell must not show it). */
  isCaptured(msg: KernelMessage): boolean {
    return this.captured.has(msg);
  }

  /** The widget manager, loading the widget code on first use. */
  manager(): Promise<CarnetWidgetManager> {
    if (!this.loading) {
      this.loading = import("./manager").then(({ CarnetWidgetManager }) => {
        this.loaded = new CarnetWidgetManager({ comms: this.options.comms, router: this.router, context: this.options.context });
        return this.loaded;
      });
    }
    return this.loading;
  }

  get isLoaded(): boolean {
    return this.loaded !== null;
  }

  /** True once widget code was asked for (a widget output or comm appeared). */
  get inUse(): boolean {
    return this.loading !== null;
  }

  /** Renders a widget view bundle into `box` (its text/plain stays until the view is ready). */
  render(bundle: Record<string, unknown>, box: HTMLElement): void {
    const modelId = (bundle[WIDGET_VIEW_MIME] as { model_id?: unknown } | null)?.model_id;
    const plain = bundle["text/plain"];
    if (plain !== undefined) {
      const pre = document.createElement("pre");
      pre.className = "widget-fallback output-text";
      pre.textContent = Array.isArray(plain) ? plain.join("") : String(plain);
      box.append(pre);
    }
    if (typeof modelId !== "string") return;
    box.classList.add("output-widget");
    box.dataset.modelId = modelId;
    const host = document.createElement("div");
    host.className = "widget-host";
    box.append(host);
    void this.manager()
      .then(async (manager) => {
        await this.restoring;
        // No model from the saved state (or none trusted): the view waits for the kernel's.
        if (!manager.has_model(modelId)) box.dataset.widgetState = "waiting";
        return manager.display(modelId, host);
      })
      .then(() => {
        box.querySelector(".widget-fallback")?.remove();
        delete box.dataset.widgetState;
      })
      .catch((error) => console.error(`Carnet: widget ${modelId} could not be shown`, error));
  }

  /** Shows the widgets of a reopened notebook from its saved state (trusted notebooks only). */
  restore(metadata: Record<string, unknown>): Promise<void> {
    const done = this.restoreState(metadata);
    this.restoring = done.catch(() => undefined);
    return done;
  }

  private async restoreState(metadata: Record<string, unknown>): Promise<void> {
    const state = readWidgetState(metadata);
    if (!state || Object.keys(state.state).length === 0) return;
    const manager = await this.manager();
    await manager.restoreState(state);
  }

  /** Gives the widgets on the page their live comms in the kernel, when it has them. */
  async reconnect(): Promise<void> {
    if (!this.options.comms.connected) return;
    const manager = await this.manager();
    await manager.reconnect().catch((error) => console.error("Carnet: could not rejoin the kernel's widgets", error));
  }

  /** Puts the state of the widgets the notebook displays into its metadata, before a save. */
  async saveInto(doc: NbDocument): Promise<void> {
    if (!this.loaded) return;
    const full = await this.loaded.saveState();
    // A copy: the notebook model keeps the metadata it had.
    doc.metadata = { ...doc.metadata };
    writeWidgetState(doc.metadata, pruneWidgetState(full, displayedModelIds(doc)));
  }
}

/** What the notebook page hands to the widget support. */
export interface WidgetPage {
  kernel: { comms: CommManager; outputClaimed: (msg: KernelMessage) => boolean };
  saver: { beforeSave: (doc: NbDocument) => Promise<void> };
  model: { trusted: boolean; metadata: Record<string, unknown> };
  context: () => RenderContext;
}

/**
 * Wires widgets into the notebook page: views render in any notebook (they come from the
 * kernel); the saved widget state is restored for trusted notebooks only, as in Jupyter.
 */
export function installWidgets(page: WidgetPage): WidgetHost {
  const host = new WidgetHost({ comms: page.kernel.comms, context: page.context });
  registerMimeRenderer(WIDGET_VIEW_MIME, (bundle, box) => host.render(bundle, box));
  page.kernel.outputClaimed = (msg) => host.isCaptured(msg);
  page.saver.beforeSave = (doc) => host.saveInto(doc);
  const restored = page.model.trusted && readWidgetState(page.model.metadata) ? host.restore(page.model.metadata).catch((error) => console.error("Carnet: the saved widget state could not be restored", error)) : Promise.resolve();
  // Each time the kernel is ready (page load, reconnect): rejoin the widgets it still has.
  events.on("kernel_ready", () => {
    if (!host.inUse) return;
    void restored.then(() => host.reconnect());
  });
  return host;
}
