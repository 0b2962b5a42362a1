// The render gate: a mime bundle to DOM, choosing the richest type the trust rules allow.

import { ansiPre } from "./ansi";
import { renderLatex, renderMarkdown, type MarkdownContext } from "./markdown";
import { sanitizeHtml, sanitizeSvg, setTrustedHtml } from "./sanitize";

export interface RenderContext extends MarkdownContext {
  trusted: boolean;
}

// Richest first, as the classic Notebook orders them.
export const MIME_ORDER = [
  "application/javascript",
  "text/html",
  "text/markdown",
  "text/latex",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "image/gif",
  "application/json",
  "text/plain",
];

/** Renders a bundle whose type another module owns (the widget view); richest of all. */
export type MimeExtension = (bundle: Record<string, unknown>, box: HTMLElement, ctx: RenderContext, metadata: Record<string, unknown>) => void;
const extensions = new Map<string, MimeExtension>();

export function registerMimeRenderer(mime: string, render: MimeExtension): void {
  extensions.set(mime, render);
}

/** The mime type to show for a bundle, or null when nothing is renderable. */
export function chooseMime(bundle: Record<string, unknown>, trusted: boolean): string | null {
  for (const mime of extensions.keys()) if (mime in bundle) return mime;
  for (const mime of MIME_ORDER) {
    if (!(mime in bundle)) continue;
    // Untrusted JavaScript never runs; the next richest type is shown instead.
    if (mime === "application/javascript" && !trusted) continue;
    return mime;
  }
  return null;
}

function text(value: unknown): string {
  if (Array.isArray(value)) return value.join("");
  return typeof value === "string" ? value : JSON.stringify(value);
}

function imageElement(mime: string, data: string, meta: Record<string, unknown>): HTMLImageElement {
  const img = document.createElement("img");
  img.src = `data:${mime};base64,${data.replace(/\n/g, "")}`;
  if (typeof meta.width === "number") img.width = meta.width;
  if (typeof meta.height === "number") img.height = meta.height;
  if (meta.unconfined) img.classList.add("unconfined");
  return img;
}

/**
 * Renders one output's mime bundle. Untrusted HTML, SVG and markdown are sanitized;
 * untrusted JavaScript is never run; trusted outputs render fully.
 */
export function renderMime(bundle: Record<string, unknown>, metadata: Record<string, unknown>, ctx: RenderContext): HTMLElement {
  const mime = chooseMime(bundle, ctx.trusted);
  const box = document.createElement("div");
  box.className = "output-mime";
  if (!mime) return box;
  box.dataset.mime = mime;
  const extension = extensions.get(mime);
  if (extension) {
    extension(bundle, box, ctx, metadata ?? {});
    return box;
  }
  const value = bundle[mime];
  const meta = (metadata?.[mime] as Record<string, unknown>) ?? {};
  switch (mime) {
    case "application/javascript": {
      // Trusted only (chooseMime): the classic API gives the code an `element`.
      try {
        new Function("element", text(value))(box);
      } catch (error) {
        box.append(ansiPre(`Javascript error: ${String(error)}`, "traceback-text"));
      }
      break;
    }
    case "text/html":
      if (ctx.trusted) setTrustedHtml(box, text(value));
      else box.append(sanitizeHtml(text(value)));
      box.classList.add("output-html");
      break;
    case "text/markdown":
      box.append(renderMarkdown(text(value), ctx));
      break;
    case "text/latex":
      box.append(renderLatex(text(value)));
      break;
    case "image/svg+xml":
      if (ctx.trusted) box.innerHTML = text(value);
      else box.append(sanitizeSvg(text(value)));
      break;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      box.append(imageElement(mime, text(value), meta));
      break;
    case "application/json": {
      const pre = document.createElement("pre");
      pre.className = "output-json";
      pre.textContent = JSON.stringify(value, null, 2);
      box.append(pre);
      break;
    }
    default:
      box.append(ansiPre(text(value), "output-text"));
  }
  return box;
}
