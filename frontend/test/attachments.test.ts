import { describe, expect, it } from "vitest";
import {
  attachImage,
  attachmentsOf,
  attachmentUrl,
  cleanName,
  imageMarkdown,
  imageTypeOf,
  parseDataUrl,
  removeAttachment,
  usedNames,
  withoutUnusedAttachments,
} from "../src/model/attachments";
import { setCellToolbar } from "../src/model/metadata";
import { Notebook } from "../src/model/notebook";
import type { CellType, NbDocument } from "../src/model/types";

const PNG = "iVBORw0KGgo=";

function load(type: CellType = "markdown", attachments?: Record<string, unknown>, source = ""): Notebook {
  const doc: NbDocument = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ id: "c0", cell_type: type, source, metadata: {}, ...(attachments ? { attachments } : {}), ...(type === "code" ? { outputs: [], execution_count: null } : {}) }],
  };
  return Notebook.fromJSON(doc);
}

describe("attaching images", () => {
  it("stores the image under a clean name, says so, and makes the notebook dirty", () => {
    const nb = load();
    const cell = nb.cells[0];
    const changes: string[] = [];
    cell.changed.on((c) => changes.push(c));
    const result = attachImage(cell, "my screen shot.png", "image/png", PNG);
    expect(result).toEqual({ ok: true, name: "my_screen_shot.png", markdown: "![my_screen_shot.png](attachment:my_screen_shot.png)" });
    expect(cell.toJSON().attachments).toEqual({ "my_screen_shot.png": { "image/png": PNG } });
    expect(changes).toEqual(["attachments"]);
    expect(nb.dirty).toBe(true);
  });

  it("gives a second, different image of the same name a new name; the same image its old one", () => {
    const cell = load().cells[0];
    expect(attachImage(cell, "image.png", "image/png", PNG)).toMatchObject({ name: "image.png" });
    expect(attachImage(cell, "image.png", "image/png", "AAAA")).toMatchObject({ name: "image-1.png" });
    expect(attachImage(cell, "image.png", "image/png", "AAAA")).toMatchObject({ name: "image-1.png" });
    expect(attachImage(cell, "image.png", "image/png", PNG)).toMatchObject({ name: "image.png" });
    expect(Object.keys(cell.attachments ?? {})).toEqual(["image.png", "image-1.png"]);
  });

  it("refuses code cells, files that are not images and data that is not base64, changing nothing", () => {
    const code = load("code").cells[0];
    expect(attachImage(code, "a.png", "image/png", PNG)).toMatchObject({ ok: false, error: expect.stringContaining("Markdown cells only") });
    const md = load();
    expect(attachImage(md.cells[0], "doc.pdf", "application/pdf", PNG)).toMatchObject({ ok: false, error: expect.stringContaining("doc.pdf is application/pdf") });
    expect(attachImage(md.cells[0], "a.png", "image/png", "not base64!")).toMatchObject({ ok: false, error: expect.stringContaining("Could not read") });
    expect(md.cells[0].attachments).toBeUndefined();
    expect(md.dirty).toBe(false);
  });

  it("names pasted images that have no usable name after their type", () => {
    expect(cleanName("", "image/jpeg")).toBe("image.jpg");
    expect(cleanName("C:\\pics\\cat (1)", "image/gif")).toBe("cat_1_.gif");
    expect(cleanName("../../etc/passwd.png", "image/png")).toBe("passwd.png");
    expect(cleanName("...", "image/png")).toBe("image.png");
  });

  it("knows an image's type by its name when the browser gives none", () => {
    expect(imageTypeOf("Photo.JPEG")).toBe("image/jpeg");
    expect(imageTypeOf("a.jpg")).toBe("image/jpeg");
    expect(imageTypeOf("d.svg")).toBe("image/svg+xml");
    expect(imageTypeOf("notes.txt")).toBe("");
    expect(imageTypeOf("png")).toBe("");
  });

  it("reads FileReader data URLs", () => {
    expect(parseDataUrl(`data:image/png;base64,${PNG}`)).toEqual({ mime: "image/png", base64: PNG });
    expect(parseDataUrl("data:image/svg+xml;charset=utf-8;base64,PHN2Zz4=")).toEqual({ mime: "image/svg+xml", base64: "PHN2Zz4=" });
    expect(parseDataUrl("data:text/plain,hello")).toBeNull();
  });
});

describe("the attachments a cell lists and removes", () => {
  it("lists them, used or not, and removes one (the last one leaves no attachments key)", () => {
    const nb = load("markdown", { "a.png": { "image/png": PNG }, "b.png": { "image/png": PNG } }, "![a](attachment:a.png)");
    const cell = nb.cells[0];
    expect(attachmentsOf(cell)).toEqual([
      { name: "a.png", mime: "image/png", used: true },
      { name: "b.png", mime: "image/png", used: false },
    ]);
    removeAttachment(cell, "a.png");
    expect(Object.keys(cell.attachments ?? {})).toEqual(["b.png"]);
    expect(nb.dirty).toBe(true);
    removeAttachment(cell, "b.png");
    expect("attachments" in cell.toJSON()).toBe(false);
  });

  it("offers the Attachments cell toolbar, kept in the notebook's metadata", () => {
    const nb = load();
    setCellToolbar(nb, "Attachments");
    expect(nb.toJSON().metadata.celltoolbar).toBe("Attachments");
  });

  it("keeps them when cells are copied and pasted, and through undo of a delete", () => {
    const nb = load("markdown", { "a.png": { "image/png": PNG } }, imageMarkdown("a.png"));
    nb.copy();
    nb.paste();
    expect(nb.cells).toHaveLength(2);
    expect(nb.cells[1].id).not.toBe(nb.cells[0].id);
    expect(nb.cells[1].toJSON().attachments).toEqual({ "a.png": { "image/png": PNG } });
    // The copies are independent: removing from one leaves the other alone.
    removeAttachment(nb.cells[1], "a.png");
    expect(nb.cells[0].attachments).toEqual({ "a.png": { "image/png": PNG } });
    nb.select(0);
    nb.deleteSelected();
    nb.undoDelete();
    expect(nb.cells[0].attachments).toEqual({ "a.png": { "image/png": PNG } });
  });
});

describe("splitting and merging cells", () => {
  it("merges the cells' images, renaming one whose name was taken by another image", () => {
    const nb = load("markdown", { "image.png": { "image/png": PNG } }, "one ![](attachment:image.png)");
    nb.insert(1, "markdown", "two ![](attachment:image.png) ![](attachment:image.png.bak)");
    attachImage(nb.cells[1], "image.png", "image/png", "AAAA");
    nb.insert(2, "markdown", "three, same image ![](attachment:image.png)");
    attachImage(nb.cells[2], "image.png", "image/png", PNG);
    nb.select(0);
    nb.select(2, true);
    nb.merge();
    expect(nb.cells).toHaveLength(1);
    expect(nb.cells[0].source).toBe("one ![](attachment:image.png)\n\ntwo ![](attachment:image-1.png) ![](attachment:image.png.bak)\n\nthree, same image ![](attachment:image.png)");
    expect(nb.cells[0].attachments).toEqual({ "image.png": { "image/png": PNG }, "image-1.png": { "image/png": "AAAA" } });
  });

  it("leaves the images with both halves of a split cell", () => {
    const nb = load("markdown", { "a.png": { "image/png": PNG } }, "text\n![](attachment:a.png)");
    nb.splitActive(4);
    expect(nb.cells.map((c) => c.source)).toEqual(["text", "![](attachment:a.png)"]);
    expect(nb.cells[1].attachments).toEqual({ "a.png": { "image/png": PNG } });
    expect("attachments" in withoutUnusedAttachments(nb.toJSON()).cells[0]).toBe(false);
  });
});

describe("saving drops unused attachments, as Jupyter does", () => {
  it("keeps what Markdown images and HTML <img> use, drops the rest", () => {
    const attachments = { "a.png": { "image/png": PNG }, "b b.png": { "image/png": PNG }, "c.png": { "image/png": PNG }, "gone.png": { "image/png": PNG } };
    const source = ['![a](attachment:a.png "title")', "![b](attachment:b%20b.png)", '<img src="attachment:c.png" width=20>'];
    const nb = load("markdown", attachments, source.join("\n"));
    const saved = withoutUnusedAttachments(nb.toJSON());
    expect(Object.keys(saved.cells[0].attachments ?? {})).toEqual(["a.png", "b b.png", "c.png"]);
    // The page keeps them (undo can bring the reference back); only the file loses them.
    expect(Object.keys(nb.cells[0].attachments ?? {})).toHaveLength(4);
  });

  it("leaves no attachments key when none is used, and other cells untouched", () => {
    const nb = load("markdown", { "a.png": { "image/png": PNG } }, "no image any more");
    nb.insert(1, "code", "x = 1");
    const saved = withoutUnusedAttachments(nb.toJSON());
    expect("attachments" in saved.cells[0]).toBe(false);
    expect(saved.cells[1]).toEqual(nb.toJSON().cells[1]);
  });

  it("finds names in sources", () => {
    expect([...usedNames("![x](attachment:x.png) and attachment:y.gif.")]).toEqual(["x.png", "y.gif."]);
  });
});

describe("what an attachment URL shows", () => {
  const attachments = {
    "a.png": { "image/png": [`${PNG.slice(0, 4)}\n`, PNG.slice(4)] },
    "page.html": { "text/html": "PGI+" },
    "bad.png": { "image/png": 'AA" onerror="x' },
    "t.svg": { "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>" },
  };

  it("is a data: URL of an image type with base64 data, from this cell's attachments only", () => {
    expect(attachmentUrl(attachments, "a.png")).toBe(`data:image/png;base64,${PNG}`);
    expect(attachmentUrl(attachments, "page.html")).toBeNull();
    expect(attachmentUrl(attachments, "bad.png")).toBeNull();
    expect(attachmentUrl(attachments, "other.png")).toBeNull();
    expect(attachmentUrl(undefined, "a.png")).toBeNull();
    expect(attachmentUrl(attachments, "t.svg")).toBe(`data:image/svg+xml,${encodeURIComponent("<svg xmlns='http://www.w3.org/2000/svg'/>")}`);
  });
});
