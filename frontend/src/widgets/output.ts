// The Output widget (@jupyter-widgets/output 1.0.0): its outputs are the messages the
// OutputRouter captured for it, kept in the page's own OutputArea model and shown by the
// page's own OutputView, so they render through the same trust gate as cell outputs.

import { DOMWidgetModel, DOMWidgetView } from "@jupyter-widgets/base";
import { OutputArea } from "../model/outputs";
import { normalizeOutput } from "../model/outputs";
import type { KernelMessage } from "../kernel/wire";
import { OutputView as AreaView } from "../view/outputview";
import type { OutputRouter } from "./capture";
import type { RenderContext } from "../render/mime";

export const OUTPUT_MODULE = "@jupyter-widgets/output";
export const OUTPUT_MODULE_VERSION = "1.0.0";

/** What the Output classes need from the page; set once by the manager. */
export interface OutputSupport {
  router: OutputRouter;
  context: () => RenderContext;
}

let support: OutputSupport | null = null;

export function setOutputSupport(value: OutputSupport): void {
  support = value;
}

export class OutputModel extends DOMWidgetModel {
  // `declare`: Backbone calls initialize() from its constructor, before class fields would be set.
  declare area: OutputArea;
  declare private unsubscribe: (() => void) | null;

  defaults(): Backbone.ObjectHash {
    return {
      ...super.defaults(),
      _model_name: "OutputModel",
      _model_module: OUTPUT_MODULE,
      _model_module_version: OUTPUT_MODULE_VERSION,
      _view_name: "OutputView",
      _view_module: OUTPUT_MODULE,
      _view_module_version: OUTPUT_MODULE_VERSION,
      msg_id: "",
      outputs: [],
    };
  }

  initialize(attributes: Backbone.ObjectHash, options: Parameters<DOMWidgetModel["initialize"]>[1]): void {
    super.initialize(attributes, options);
    this.area = new OutputArea();
    this.unsubscribe = null;
    const outputs = this.get("outputs");
    if (Array.isArray(outputs) && outputs.length) this.area.load(outputs.map(normalizeOutput));
    // The kernel may set outputs itself (out.outputs = ..., out.clear_output() from a thread).
    this.on("change:outputs", () => {
      const now = this.get("outputs");
      if (Array.isArray(now) && JSON.stringify(now) !== JSON.stringify(this.area.toJSON())) this.area.load(now.map(normalizeOutput));
    });
    this.on("change:msg_id", () => support?.router.setMsgId(this.model_id, String(this.get("msg_id") ?? "")));
    if (support) this.unsubscribe = support.router.subscribe(this.model_id, (msg) => this.take(msg));
    // Kept in the model's state so that saving the notebook saves what the widget shows.
    this.area.changed.on(() => this.set("outputs", this.area.toJSON(), { silent: true } as never));
  }

  private take(msg: KernelMessage): void {
    this.area.handle({ msgType: msg.header.msg_type, content: msg.content });
  }

  close(comm_closed?: boolean): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    return super.close(comm_closed);
  }
}

export class OutputView extends DOMWidgetView {
  declare private areaView: AreaView | null;

  render(): void {
    super.render();
    this.el.classList.add("jupyter-widgets-output-area", "widget-output");
    const area = (this.model as OutputModel).area;
    const context = support?.context ?? (() => ({ trusted: false }) as RenderContext);
    this.areaView = new AreaView(area, context);
    this.el.append(this.areaView.element);
  }

  remove(): this {
    this.areaView?.dispose();
    this.areaView = null;
    return super.remove();
  }
}
