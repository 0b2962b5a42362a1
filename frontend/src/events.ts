// The events custom.js can listen to, as `carnet.events.on(name, callback)`:
//   "page_loaded"   (detail: {page})             once the page is built
//   "kernel_ready"  (detail: {kernel_id, name})  when a kernel is connected and idle
//   "cell_execute"  (detail: {cell_id, index})  when a run is sent to the kernel
//   "cell_executed" (detail: {cell_id, index, status, execution_count}) after each run
//   "notebook_saved" (detail: {path}), "notebook_loaded" (detail: {path})
// The classic names (kernel_ready.Kernel...) are bridged in pages/classic.ts.
// "page_loaded" and "kernel_ready" are sticky: a late listener is called at once with the
// last detail. Each event is also dispatched on `document` as `carnet:<name>` CustomEvents.

type Listener = (detail: Record<string, unknown>) => void;

const STICKY = new Set(["page_loaded", "kernel_ready"]);

export class PageEvents {
  private listeners = new Map<string, Set<Listener>>();
  private last = new Map<string, Record<string, unknown>>();

  on(name: string, listener: Listener): void {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name)?.add(listener);
    const seen = this.last.get(name);
    if (seen) this.safely(listener, seen);
  }

  off(name: string, listener: Listener): void {
    this.listeners.get(name)?.delete(listener);
  }

  emit(name: string, detail: Record<string, unknown>): void {
    if (STICKY.has(name)) this.last.set(name, detail);
    for (const listener of this.listeners.get(name) ?? []) this.safely(listener, detail);
    document.dispatchEvent(new CustomEvent(`carnet:${name}`, { detail }));
  }

  private safely(listener: Listener, detail: Record<string, unknown>): void {
    try {
      listener(detail);
    } catch (error) {
      // A broken custom.js or extension must not break the page.
      console.error("Carnet: error in an event listener (custom.js or an extension)", error);
    }
  }
}

export const events = new PageEvents();
