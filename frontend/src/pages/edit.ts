// The text editor page (/edit/<path>): CodeMirror on a plain text file, save and rename.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { python } from "@codemirror/lang-python";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { Api, encodePath } from "../kernel/api";
import { notify, promptDialog } from "../view/dialog";
import { h } from "../view/dom";
import { icon } from "../view/icons";
import type { PageConfig } from "./config";
import { t } from "../i18n";

function languageFor(path: string): Extension {
  if (/\.pyw?$/.test(path)) return python();
  if (/\.(md|markdown)$/.test(path)) return markdown();
  return [];
}

export async function startEditPage(config: PageConfig): Promise<void> {
  const api = new Api(config.baseUrl, config.xsrfToken);
  let path = config.path;
  const model = await api.contents(path, { type: "file" }).catch(async (error) => {
    throw new Error(t("cannot open {path}: {error}", { path, error: error.message }));
  });
  if (model.format !== "text") throw new Error(t("{path} is not a text file; download it from the file list instead", { path }));
  let dirty = false;
  const name = h("span", { id: "file_name", class: "filename", role: "button", tabindex: "0", title: t("Rename file") });
  const status = h("span", { id: "dirty-indicator", class: "autosave_status" });
  const sync = () => {
    name.textContent = path.split("/").pop() ?? path;
    status.textContent = dirty ? t("(unsaved changes)") : t("(saved)");
    status.classList.toggle("dirty", dirty);
    document.title = `${path.split("/").pop()} - Carnet`;
  };
  const save = async () => {
    try {
      await api.save(path, { type: "file", format: "text", content: view.state.doc.toString() } as never);
      dirty = false;
      sync();
      notify(t("File saved"));
    } catch (error) {
      notify(t("Save failed: {error}", { error: error instanceof Error ? error.message : String(error) }), "error", 6000);
    }
  };
  const rename = async () => {
    const current = path.split("/").pop() ?? path;
    const next = await promptDialog(t("Rename file"), t("Enter a new file name:"), current);
    if (!next || next === current) return;
    try {
      const moved = await api.rename(path, path.slice(0, path.length - current.length) + next);
      path = moved.path;
      window.history.replaceState(null, "", `${config.baseUrl}edit/${encodePath(path)}`);
      sync();
    } catch (error) {
      notify(t("Rename failed: {error}", { error: error instanceof Error ? error.message : String(error) }), "error", 6000);
    }
  };
  const view = new EditorView({
    state: EditorState.create({
      doc: String(model.content ?? ""),
      extensions: [
        lineNumbers(),
        history(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([{ key: "Mod-s", run: () => (void save(), true), preventDefault: true }, indentWithTab, ...historyKeymap, ...defaultKeymap]),
        languageFor(path),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !dirty) {
            dirty = true;
            sync();
          }
        }),
      ],
    }),
  });
  name.addEventListener("click", () => void rename());
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  const header = h("div", { id: "header" }, h("div", { id: "header-container" },
    h("a", { id: "logo", href: `${config.baseUrl}tree/${encodePath(dir)}` }, icon("notebook", 22), h("span", { class: "logo-text" }, "Carnet")),
    h("span", { id: "save_widget" }, name, status)),
    h("div", { id: "menubar-container" }, h("div", { id: "maintoolbar" }, h("button", { class: "btn", id: "save-button", onclick: () => void save() }, icon("save"), t("Save")))));
  const host = h("div", { id: "texteditor-container", class: "container" }, view.dom);
  document.body.classList.add("edit_app");
  document.body.replaceChildren(header, h("div", { id: "site" }, host));
  sync();
  view.focus();
}
