// The one sanitizer every piece of untrusted HTML, SVG and markdown passes through.

import DOMPurify from "dompurify";

// Forms can phish credentials or post elsewhere; frames, objects and styles can load or
// exfiltrate; none belongs in untrusted output.
const FORBID_TAGS = ["form", "input", "button", "textarea", "select", "option", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta", "base", "script", "noscript", "template"];
const FORBID_ATTR = ["formaction", "action", "srcdoc", "ping", "background"];

// Attributes whose values are CSS (style, and SVG presentation attributes): url() there
// fetches, which leaks what the page shows, unless it points inside the document.
const CSS_VALUED = new Set(["style", "fill", "stroke", "filter", "mask", "clip-path", "marker-start", "marker-mid", "marker-end", "cursor"]);
const LOCAL_URL = /url\(\s*(['"]?)#([\w.:-]+)\1\s*\)/gi;

/** A CSS value without remote fetches (null when it has one), local references kept working. */
function safeCss(value: string): string | null {
  const remote = value.replace(LOCAL_URL, "");
  // CSS escapes (u\rl) would hide a url( from the pattern, so any backslash is refused too.
  if (/url\s*\(|image-set|@import|expression\s*\(/i.test(remote) || value.includes("\\")) return null;
  // Ids in output are prefixed (SANITIZE_NAMED_PROPS), so references to them must be too.
  return value.replace(LOCAL_URL, (_m, quote: string, id: string) => `url(${quote}#user-content-${id}${quote})`);
}

let hooked = false;

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook("uponSanitizeAttribute", (_node, data) => {
    if (!CSS_VALUED.has(data.attrName)) return;
    const safe = safeCss(data.attrValue);
    if (safe === null) data.keepAttr = false;
    else data.attrValue = safe;
  });
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    // Links from output open in a new tab and cannot reach back into this page.
    if (node.tagName === "A" && node.getAttribute("href")) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
  });
}

/** Untrusted HTML (or SVG) as an inert fragment: no script, handlers, forms or clobbering. */
export function sanitizeHtml(html: string): DocumentFragment {
  installHooks();
  return DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    // ids and names could shadow document/window properties the page relies on.
    SANITIZE_DOM: true,
    SANITIZE_NAMED_PROPS: true,
    ADD_ATTR: ["target"],
  });
}

/** Untrusted SVG markup, sanitized with the SVG profile. */
export function sanitizeSvg(svg: string): DocumentFragment {
  installHooks();
  return DOMPurify.sanitize(svg, {
    RETURN_DOM_FRAGMENT: true,
    USE_PROFILES: { svg: true, svgFilters: true },
    FORBID_TAGS,
    FORBID_ATTR,
    SANITIZE_NAMED_PROPS: true,
  });
}

/** Sets trusted HTML into an element and runs its scripts, as a trusted output expects. */
export function setTrustedHtml(element: HTMLElement, html: string): void {
  element.innerHTML = html;
  for (const old of Array.from(element.querySelectorAll("script"))) {
    const script = document.createElement("script");
    for (const attr of Array.from(old.attributes)) script.setAttribute(attr.name, attr.value);
    script.textContent = old.textContent;
    old.replaceWith(script);
  }
}
