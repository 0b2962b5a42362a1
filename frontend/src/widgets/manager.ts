// The widget manager (loaded lazily, with ipywidgets' controls and CSS): ipywidgets 8
// models and views over the page's comm manager, built on @jupyter-widgets/base-manager.

import "@jupyter-widgets/controls/css/widgets.css";
import "@lumino/widgets/style/index.css";
import "./widgets.css";
import * as base from "@jupyter-widgets/base";
import type { DOMWidgetView, ICallbacks, IClassicComm, WidgetModel, WidgetView } from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import * as controls from "@jupyter-widgets/controls";
import { MessageLoop } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import type { Comm, CommManager } from "../kernel/comm";
import type { KernelMessage } from "../kernel/wire";
import type { RenderContext } from "../render/mime";
import type { OutputRouter } from "./capture";
import * as output from "./output";
import type { WidgetState } from "./state";

const OUTPUT_TYPES = new Set(["stream", "display_data", "execute_result", "error"]);

/** ipywidgets' view of a comm (IClassicComm), with its iopub callbacks. */
class ClassicComm implements IClassicComm {
  constructor(
    private readonly comm: Comm,
    private readonly comms: CommManager,
  ) {}

  get comm_id(): string {
    return this.comm.commId;
  }

  get target_name(): string {
    return this.comm.targetName;
  }

  open(data: unknown, callbacks?: ICallbacks, metadata?: Record<string, unknown>, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    return this.watch(this.comm.open(data, metadata, buffers), callbacks);
  }

  send(data: unknown, callbacks?: ICallbacks, metadata?: Record<string, unknown>, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    return this.watch(this.comm.send(data, metadata, buffers), callbacks);
  }

  close(data?: unknown, callbacks?: ICallbacks, metadata?: Record<string, unknown>, buffers?: (ArrayBuffer | ArrayBufferView)[]): string {
    return this.watch(this.comm.close(data, metadata, buffers), callbacks);
  }

  on_msg(callback: (msg: unknown) => void): void {
    this.comm.onMsg(callback);
  }

  on_close(callback: (msg: unknown) => void): void {
    this.comm.onClose(callback);
  }

  private watch(msgId: string, callbacks?: ICallbacks): string {
    const iopub = callbacks?.iopub as Record<string, ((msg: KernelMessage) => void) | undefined> | undefined;
    if (!iopub || !msgId) return msgId;
    this.comms.watch(msgId, (msg) => {
      const type = msg.header.msg_type;
      const handler = type === "status" ? iopub.status : type === "clear_output" ? iopub.clear_output : OUTPUT_TYPES.has(type) ? iopub.output : undefined;
      handler?.(msg);
    });
    return msgId;
  }
}

export interface ManagerOptions {
  comms: CommManager;
  router: OutputRouter;
  context: () => RenderContext;
}

export class CarnetWidgetManager extends ManagerBase {
  private readonly waiting = new Map<string, ((model: Promise<WidgetModel>) => void)[]>();

  constructor(private readonly options: ManagerOptions) {
    super();
    output.setOutputSupport({ router: options.router, context: options.context });
  }

  /** A comm the kernel opened to the jupyter.widget target. */
  async openFromKernel(comm: Comm, msg: KernelMessage): Promise<void> {
    await this.handle_comm_open(new ClassicComm(comm, this.options.comms), msg as never);
  }

  register_model(model_id: string, modelPromise: Promise<WidgetModel>): void {
    super.register_model(model_id, modelPromise);
    const waiting = this.waiting.get(model_id) ?? [];
    this.waiting.delete(model_id);
    for (const resolve of waiting) resolve(modelPromise);
  }

  /** The model `modelId`, as soon as it exists (a display can arrive before its comm_open is handled). */
  waitForModel(modelId: string): Promise<WidgetModel> {
    if (this.has_model(modelId)) return this.get_model(modelId);
    return new Promise<Promise<WidgetModel>>((resolve) => {
      const list = this.waiting.get(modelId) ?? [];
      list.push(resolve);
      this.waiting.set(modelId, list);
    }).then((model) => model);
  }

  /** Shows a view of `modelId` in `host`. */
  async display(modelId: string, host: HTMLElement): Promise<WidgetView> {
    const model = await this.waitForModel(modelId);
    const view = (await this.create_view(model, {})) as DOMWidgetView;
    const widget = view.luminoWidget;
    MessageLoop.sendMessage(widget, Widget.Msg.BeforeAttach);
    host.replaceChildren(widget.node);
    MessageLoop.sendMessage(widget, Widget.Msg.AfterAttach);
    return view;
  }

  /**
   * The page (re)joined a kernel that may hold live widgets (a reload while it runs):
   * models shown from the saved state get their comms back, the others are fetched.
   */
  async reconnect(): Promise<void> {
    const comms = this.options.comms;
    const live = await comms.commInfo(this.comm_target_name).catch(() => ({}));
    if (Object.keys(live).length === 0) return;
    for (const id of Object.keys(live)) {
      if (!this.has_model(id)) continue;
      const model = (await this.get_model(id)) as WidgetModel & { _handle_comm_msg(msg: unknown): Promise<void>; _handle_comm_closed(msg: unknown): void };
      if (model.comm_live) continue;
      // What WidgetModel.initialize does with a comm, for a model made without one.
      const comm = new ClassicComm(comms.createComm(this.comm_target_name, id), comms);
      model.comm = comm;
      comm.on_msg(model._handle_comm_msg.bind(model));
      comm.on_close(model._handle_comm_closed.bind(model));
      model.comm_live = true;
    }
    // The kernel's current values (the saved ones may be older), and models not saved.
    await this._loadFromKernel();
  }

  /** The state of every model, in the notebook-metadata format. */
  async saveState(): Promise<WidgetState> {
    return (await this.get_state({ drop_defaults: true })) as unknown as WidgetState;
  }

  async restoreState(state: WidgetState): Promise<void> {
    await this.set_state(state as never);
  }

  protected async loadClass(className: string, moduleName: string, moduleVersion: string): Promise<typeof WidgetModel | typeof WidgetView> {
    const modules: Record<string, Record<string, unknown>> = {
      "@jupyter-widgets/base": base as unknown as Record<string, unknown>,
      "@jupyter-widgets/controls": controls as unknown as Record<string, unknown>,
      [output.OUTPUT_MODULE]: output as unknown as Record<string, unknown>,
    };
    const found = modules[moduleName]?.[className];
    if (!found) throw new Error(`Class ${className} not found in module ${moduleName}@${moduleVersion} (Carnet ships ipywidgets' base, controls and output)`);
    return found as typeof WidgetModel;
  }

  protected async _create_comm(targetName: string, modelId?: string, data?: unknown, metadata?: Record<string, unknown>, buffers?: (ArrayBuffer | ArrayBufferView)[]): Promise<IClassicComm> {
    const comms = this.options.comms;
    if (!comms.connected) throw new Error("no kernel: the widget is shown from its saved state");
    const comm = comms.createComm(targetName, modelId);
    if (data || metadata) comm.open(data ?? {}, metadata ?? {}, buffers);
    return new ClassicComm(comm, comms);
  }

  protected async _get_comm_info(): Promise<Record<string, unknown>> {
    if (!this.options.comms.connected) return {};
    return this.options.comms.commInfo(this.comm_target_name).catch(() => ({}));
  }
}
