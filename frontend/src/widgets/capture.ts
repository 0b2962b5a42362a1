// Output widget capture. ipywidgets' `with out:` sets the Output model's `msg_id` to the
// request being run; the frontend then shows every output of that request in the widget
// instead of the cell. This router follows the msg_id of each Output model from the comm
// traffic itself, so capture works from the first message, before the (lazily loaded)
// widget code is ready; outputs captured meanwhile are kept for the model. DOM-free.

import type { KernelMessage } from "../kernel/wire";

const OUTPUT_TYPES = new Set(["stream", "display_data", "execute_result", "error", "clear_output", "update_display_data"]);

export type CaptureListener = (msg: KernelMessage) => void;

function stateOf(msg: KernelMessage): Record<string, unknown> | null {
  const data = msg.content.data as { state?: unknown; method?: string } | undefined;
  if (!data || typeof data.state !== "object" || data.state === null) return null;
  return data.state as Record<string, unknown>;
}

export class OutputRouter {
  /** msg_id being captured -> Output model id. */
  private readonly byMsgId = new Map<string, string>();
  private readonly msgIdOf = new Map<string, string>();
  private readonly outputModels = new Set<string>();
  private readonly listeners = new Map<string, CaptureListener>();
  private readonly held = new Map<string, KernelMessage[]>();

  /** Follows comm_open / comm_msg / comm_close of Output models (call with every IOPub message). */
  observe(msg: KernelMessage): void {
    const type = msg.header.msg_type;
    const commId = String(msg.content.comm_id ?? "");
    if (type === "comm_open") {
      const state = stateOf(msg);
      if (state?._model_name !== "OutputModel") return;
      this.outputModels.add(commId);
      this.setMsgId(commId, typeof state.msg_id === "string" ? state.msg_id : "");
    } else if (type === "comm_msg" && this.outputModels.has(commId)) {
      const state = stateOf(msg);
      if (state && "msg_id" in state) this.setMsgId(commId, typeof state.msg_id === "string" ? state.msg_id : "");
    } else if (type === "comm_close" && this.outputModels.has(commId)) {
      this.setMsgId(commId, "");
      this.outputModels.delete(commId);
      this.held.delete(commId);
    }
  }

  /** The page itself changed a model's msg_id (e.g. restored state). */
  setMsgId(modelId: string, msgId: string): void {
    const old = this.msgIdOf.get(modelId);
    if (old && this.byMsgId.get(old) === modelId) this.byMsgId.delete(old);
    if (msgId) {
      this.msgIdOf.set(modelId, msgId);
      this.byMsgId.set(msgId, modelId);
    } else {
      this.msgIdOf.delete(modelId);
    }
  }

  /** True (and the output goes to the widget) when an Output model captures `msg`. */
  capture(msg: KernelMessage): boolean {
    if (!OUTPUT_TYPES.has(msg.header.msg_type)) return false;
    const modelId = this.byMsgId.get(msg.parent_header?.msg_id ?? "");
    if (!modelId) return false;
    const listener = this.listeners.get(modelId);
    if (listener) listener(msg);
    else {
      const held = this.held.get(modelId) ?? [];
      held.push(msg);
      this.held.set(modelId, held);
    }
    return true;
  }

  /** The Output model `modelId` takes its outputs (those held for it first). */
  subscribe(modelId: string, listener: CaptureListener): () => void {
    this.listeners.set(modelId, listener);
    const held = this.held.get(modelId) ?? [];
    this.held.delete(modelId);
    for (const msg of held) listener(msg);
    return () => {
      if (this.listeners.get(modelId) === listener) this.listeners.delete(modelId);
    };
  }

  reset(): void {
    this.byMsgId.clear();
    this.msgIdOf.clear();
    this.outputModels.clear();
    this.held.clear();
  }
}
