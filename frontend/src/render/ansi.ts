// ANSI-coloured text (streams, tracebacks) to escaped HTML with colour classes.

import { AnsiUp } from "ansi_up";

/** A <pre> showing text with ANSI colours; the text is always HTML-escaped. */
export function ansiPre(text: string, className: string): HTMLPreElement {
  const converter = new AnsiUp();
  converter.use_classes = true;
  converter.escape_html = true;
  const pre = document.createElement("pre");
  pre.className = className;
  // ansi_up escapes the text and only emits <span class=...> and (allow-listed) links.
  pre.innerHTML = converter.ansi_to_html(text);
  return pre;
}

/** A converter to escaped HTML with colour classes; it keeps colour state between calls. */
export function newAnsi(): AnsiUp {
  const converter = new AnsiUp();
  converter.use_classes = true;
  converter.escape_html = true;
  return converter;
}

/** A copy of a converter with its colour state, to draw from the same point twice. */
export function cloneAnsi(source: AnsiUp): AnsiUp {
  const copy = newAnsi();
  Object.assign(copy, source);
  return copy;
}
