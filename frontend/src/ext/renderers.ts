// Extensions' output renderers for a MIME type, through the render gate (render/mime):
// a renderer that throws leaves its error in the output, never a broken page.

import { t } from "../i18n";
import { registerMimeRenderer } from "../render/mime";
import type { Renderer } from "./types";

export function registerRenderer(mime: string, render: Renderer, log: { error(...args: unknown[]): void } = console): void {
  if (typeof mime !== "string" || !/^[\w.+-]+\/[\w.+-]+$/.test(mime)) throw new Error(`Carnet: "${String(mime)}" is not a MIME type`);
  if (typeof render !== "function") throw new Error(`Carnet: the renderer for ${mime} is not a function`);
  registerMimeRenderer(mime, (bundle, box, ctx, metadata) => {
    try {
      render(bundle[mime], box, { mime, bundle, metadata, trusted: ctx.trusted });
    } catch (error) {
      log.error(`Carnet: the renderer for ${mime} failed:`, error);
      const note = document.createElement("pre");
      note.className = "output-text renderer-error";
      note.textContent = t("The renderer for {mime} failed: {error}", { mime, error: error instanceof Error ? error.message : String(error) });
      box.replaceChildren(note);
    }
  });
}
