// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../src/render/markdown";
import { chooseMime, renderMime } from "../src/render/mime";
import { sanitizeHtml } from "../src/render/sanitize";

const ctx = { filesUrl: "/files/dir/" };

function html(fragment: Node): string {
  const div = document.createElement("div");
  div.append(fragment);
  return div.innerHTML;
}

describe("the render gate", () => {
  it("prefers the richest type and never picks untrusted JavaScript", () => {
    const bundle = { "application/javascript": "x()", "text/html": "<b>x</b>", "text/plain": "x" };
    expect(chooseMime(bundle, true)).toBe("application/javascript");
    expect(chooseMime(bundle, false)).toBe("text/html");
    expect(chooseMime({ "application/javascript": "x()" }, false)).toBeNull();
    expect(chooseMime({ "image/png": "AA", "text/plain": "x" }, false)).toBe("image/png");
  });

  it("strips script, handlers, javascript: URLs, forms, frames and CSS that loads URLs", () => {
    const out = html(
      sanitizeHtml(
        "<b>ok</b><script>bad()</script><img src=x onerror=bad()><a href='javascript:bad()'>l</a>" +
          "<form><input name=x></form><iframe src=//x></iframe><style>b{}</style>" +
          "<p style=\"background:url(https://evil/?leak)\">p</p><p style='color:red'>q</p>",
      ),
    );
    expect(out).toContain("<b>ok</b>");
    for (const bad of ["<script", "onerror", "javascript:", "<form", "<input", "<iframe", "<style", "url("]) expect(out).not.toContain(bad);
    expect(out).toContain('style="color:red"');
  });

  it("prefixes ids and names so output cannot clobber the page's globals", () => {
    const out = html(sanitizeHtml("<img id='carnet' name='getElementById' src='data:,'>"));
    expect(out).not.toMatch(/id="carnet"/);
    expect(out).not.toMatch(/name="getElementById"/);
  });

  it("runs trusted JavaScript with an element, and never untrusted", () => {
    const js = { "application/javascript": "element.textContent = 'ran'", "text/plain": "fallback" };
    expect(renderMime(js, {}, { ...ctx, trusted: true }).textContent).toBe("ran");
    expect(renderMime(js, {}, { ...ctx, trusted: false }).textContent).toBe("fallback");
  });

  it("sanitizes untrusted SVG and keeps its drawing", () => {
    const svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>bad()</script><rect width='4' height='4' onload='bad()'/></svg>";
    const box = renderMime({ "image/svg+xml": svg }, {}, { ...ctx, trusted: false });
    expect(box.querySelector("rect")).not.toBeNull();
    expect(box.querySelector("script")).toBeNull();
    expect(box.querySelector("[onload]")).toBeNull();
  });

  it("shows images with their metadata size", () => {
    const box = renderMime({ "image/png": "iVBORw0KGgo=\n" }, { "image/png": { width: 20 } }, { ...ctx, trusted: false });
    const img = box.querySelector("img");
    expect(img?.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
    expect(img?.width).toBe(20);
  });

  it("escapes ANSI text and colours it", () => {
    const box = renderMime({ "text/plain": "\u001b[31m<red>\u001b[0m" }, {}, { ...ctx, trusted: false });
    expect(box.querySelector(".ansi-red-fg")?.textContent).toBe("<red>");
    expect(box.querySelector("red")).toBeNull();
  });
});

describe("markdown", () => {
  it("renders math with KaTeX, leaving code spans alone", () => {
    const el = renderMarkdown("Inline $x_1$ and `$not math$`\n\n$$\\frac{a}{b}$$", ctx);
    expect(el.querySelectorAll(".katex").length).toBe(2);
    expect(el.querySelector(".katex-display")).not.toBeNull();
    expect(el.querySelector("code")?.textContent).toBe("$not math$");
  });

  it("keeps underscores inside math out of markdown emphasis", () => {
    const el = renderMarkdown("$a_1 + b_1$ and $c_2$", ctx);
    expect(el.querySelector("em")).toBeNull();
  });

  it("resolves relative images against the notebook's directory and attachments", () => {
    const el = renderMarkdown("![a](pics/a.png) ![b](https://x.org/b.png) ![c](attachment:c.png)", {
      ...ctx,
      attachments: { "c.png": { "image/png": "AAAA" } },
    });
    const srcs = Array.from(el.querySelectorAll("img")).map((i) => i.getAttribute("src"));
    expect(srcs).toEqual(["/files/dir/pics/a.png", "https://x.org/b.png", "data:image/png;base64,AAAA"]);
  });

  it("shows only this cell's image attachments, in Markdown or HTML, and nothing else through attachment:", () => {
    const attachments = { "c.png": { "image/png": "AAAA" }, "x.html": { "text/html": "PHNjcmlwdD4=" }, "q.png": { "image/png": '" onerror="bad()' } };
    const source = '<img src="attachment:c.png" width="20"> ![x](attachment:x.html) ![q](attachment:q.png) ![n](attachment:none.png) [l](attachment:c.png)';
    const el = renderMarkdown(source, { ...ctx, attachments });
    const srcs = Array.from(el.querySelectorAll("img")).map((i) => i.getAttribute("src") ?? "");
    expect(srcs).toEqual(["data:image/png;base64,AAAA", "", "", ""]);
    expect(el.querySelector("img")?.getAttribute("width")).toBe("20");
    expect(el.querySelector("[onerror]")).toBeNull();
    expect(el.querySelector("a")?.getAttribute("href") ?? null).toBeNull();
    // Without attachments of its own, a cell shows none.
    expect(renderMarkdown("![c](attachment:c.png)", ctx).querySelector("img")?.getAttribute("src") ?? "").toBe("");
  });

  it("adds heading anchors and never keeps script", () => {
    const el = renderMarkdown("# My title\n\n<script>bad()</script><img src=x onerror=bad()>", ctx);
    expect(el.querySelector("h1")?.id).toBe("My-title");
    expect(el.querySelector("h1 a.anchor-link")?.getAttribute("href")).toBe("#My-title");
    expect(el.querySelector("script")).toBeNull();
    expect(el.querySelector("[onerror]")).toBeNull();
  });
});
