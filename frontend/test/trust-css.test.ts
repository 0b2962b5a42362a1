// @vitest-environment jsdom
// The trust rules for CSS in untrusted output: no remote fetch, however it is spelled.
import { describe, expect, it } from "vitest";
import { sanitizeHtml, sanitizeSvg } from "../src/render/sanitize";

function html(fragment: Node): string {
  const div = document.createElement("div");
  div.append(fragment);
  return div.innerHTML;
}

describe("CSS in untrusted output", () => {
  it("drops style attributes that fetch, including escaped and entity-encoded url()", () => {
    for (const style of ["background:url(//evil/a)", "background:u\\rl(//evil/b)", "background:URL(&quot;//evil/c&quot;)", "background:image-set('//evil/d' 1x)", "background:\\75rl(//evil/e)"]) {
      const out = html(sanitizeHtml(`<p style="${style}">p</p>`));
      expect(out, style).toBe("<p>p</p>");
    }
    expect(html(sanitizeHtml("<p style='color: red'>q</p>"))).toContain('style="color: red"');
  });

  it("drops SVG presentation attributes that reference other documents", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(//evil/p.svg#p)" mask="url(http://evil/m#m)" filter="url(\'//evil/f#f\')" stroke="red"/></svg>';
    const out = html(sanitizeSvg(svg));
    expect(out).not.toContain("evil");
    expect(out).toContain('stroke="red"');
  });

  it("keeps references inside the output, following the id prefix", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><clipPath id="c"><rect width="1" height="1"/></clipPath><rect clip-path="url(#c)" fill="url(\'#g\')"/></svg>';
    const out = html(sanitizeSvg(svg));
    expect(out).toContain('id="user-content-c"');
    expect(out).toContain('clip-path="url(#user-content-c)"');
    expect(out).toContain("fill=\"url('#user-content-g')\"");
  });
});
