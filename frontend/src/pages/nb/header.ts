// The notebook page's header: name, save status, kernel and trust indicators, menus, toolbar.

import { h } from "../../view/dom";
import { icon } from "../../view/icons";
import { CELL_TOOLBAR_ACTIONS } from "./metadata";
import { ALL_OUTPUT, CURRENT_OUTPUTS } from "./outputmenu";
import { msg, t } from "../../i18n";

export interface Action {
  label: string;
  run(): void | Promise<void>;
  keys?: string;
}

export type Actions = Record<string, Action>;

// An item is an action's name, "-" (a divider), or [title, names] (a submenu).
type MenuItem = string | [string, string[]];

const DOWNLOADS = ["download-ipynb", "download-html", "download-markdown", "download-python", "download-pdf"];

export const MENUS: [string, MenuItem[]][] = [
  ["File", ["new-notebook", "open", "-", "make-copy", "save-as", "rename", "save", "revert-checkpoint", "-", "print-preview", ["Download as", DOWNLOADS], "-", "trust", "-", "close"]],
  ["Edit", ["cut", "copy", "paste-above", "paste-below", "delete", "undo-delete", "-", "split", "merge-above", "merge", "-", "move-up", "move-down", "-", "find-replace", "-", "edit-notebook-metadata", "-", "shortcuts"]],
  ["View", ["toggle-header", "toggle-toolbar", "toggle-line-numbers", "toggle-toc", ["Cell Toolbar", CELL_TOOLBAR_ACTIONS], "-", "toggle-output", "toggle-scroll"]],
  ["Insert", ["insert-above", "insert-below", "-", "insert-image"]],
  ["Cell", ["run", "run-select-next", "run-insert-below", "run-all", "run-above", "run-below", "-", "to-code", "to-markdown", "to-raw", "-", ["Current Outputs", CURRENT_OUTPUTS], ["All Output", ALL_OUTPUT]]],
  ["Kernel", ["interrupt", "restart", "restart-clear", "restart-run-all", "reconnect", "shutdown", "-", "change-kernel"]],
  ["Help", ["shortcuts", "edit-shortcuts", "-", "markdown-reference", "-", "about"]],
];

const TOOLBAR: (string | "-")[] = ["save", "-", "insert-below", "-", "cut", "copy", "paste-below", "-", "move-up", "move-down", "-", "run-select-next", "interrupt", "restart", "restart-run-all"];

export const ICONS: Record<string, [string, string]> = {
  save: ["save", ""],
  "insert-below": ["plus", ""],
  cut: ["cut", ""],
  copy: ["copy", ""],
  "paste-below": ["paste", ""],
  "move-up": ["up", ""],
  "move-down": ["down", ""],
  "run-select-next": ["run", "Run"],
  interrupt: ["stop", ""],
  restart: ["restart", ""],
  "restart-run-all": ["forward", ""],
};

export class NotebookHeader {
  readonly element: HTMLElement;
  readonly name = h("span", { id: "notebook_name", class: "filename", title: t("Rename notebook"), role: "button", tabindex: "0" });
  readonly checkpoint = h("span", { id: "save_widget_status", class: "checkpoint_status" });
  readonly dirty = h("span", { id: "dirty-indicator", class: "autosave_status" });
  readonly kernelName = h("span", { id: "kernel_name", class: "kernel_name" });
  readonly kernelIndicator = h("span", { id: "kernel_indicator", class: "kernel_indicator", title: t("Kernel status") });
  readonly trust = h("button", { id: "trust-indicator", class: "indicator trust", title: t("Trust this notebook") });
  readonly modeIndicator = h("span", { id: "mode-indicator", class: "mode_indicator" });
  // Kept for the items other code adds (addToolbarButton, addMenuItem).
  private readonly menubar: HTMLElement;
  private readonly toolbar: HTMLElement;
  readonly cellType = h("select", { id: "cell-type", class: "form-control", "aria-label": t("Cell type") });

  constructor(
    private readonly actions: Actions,
    homeUrl: string,
  ) {
    const site = h(
      "div",
      { id: "header-container" },
      h("a", { id: "logo", href: homeUrl, title: t("Dashboard") }, icon("notebook", 22), h("span", { class: "logo-text" }, "Carnet")),
      h("span", { id: "save_widget" }, this.name, this.checkpoint, this.dirty),
      h("span", { class: "header-right" }, this.trust, this.kernelName, this.kernelIndicator),
    );
    const menubar = h("div", { id: "menubar", role: "menubar" });
    for (const [title, items] of MENUS) menubar.append(this.menu(title, items));
    menubar.append(h("span", { class: "menubar-right" }, this.modeIndicator));
    for (const [value, label] of [["code", msg("Code")], ["markdown", msg("Markdown")], ["raw", msg("Raw NBConvert")]]) this.cellType.append(h("option", { value }, t(label)));
    const toolbar = h("div", { id: "maintoolbar", role: "toolbar" });
    for (const name of TOOLBAR) {
      if (name === "-") {
        toolbar.append(h("span", { class: "toolbar-sep" }));
        continue;
      }
      const action = actions[name];
      toolbar.append(h("button", { class: "btn toolbar-btn", title: t(action.label), "data-action": name, onclick: () => void action.run() }, ...toolbarContent(name, t(action.label))));
    }
    toolbar.append(h("span", { class: "toolbar-sep" }), this.cellType);
    this.element = h("div", { id: "header" }, site, h("div", { id: "menubar-container" }, menubar, toolbar));
    this.menubar = menubar;
    this.toolbar = toolbar;
  }

  /** A toolbar button running the action `name` (added by other code: extensions). */
  addToolbarButton(name: string, content: (Node | string)[] = []): HTMLElement | null {
    const action = this.actions[name];
    if (!action) return null;
    let group = this.toolbar.querySelector<HTMLElement>(".toolbar-added");
    if (!group) {
      group = h("span", { class: "toolbar-added" });
      this.toolbar.append(h("span", { class: "toolbar-sep" }), group);
    }
    const button = h("button", { class: "btn toolbar-btn", title: t(action.label), "data-action": name, onclick: () => void action.run() }, ...(content.length ? content : [t(action.label)]));
    group.append(button);
    return button;
  }

  /** An item running the action `name` at the end of a menu (its data-menu id, e.g.
   * "cell"); a menu of that title is made, before Help, when there is none. */
  addMenuItem(menu: string, name: string): HTMLElement | null {
    const action = this.actions[name];
    if (!action) return null;
    const id = menu.toLowerCase();
    let list = this.menubar.querySelector<HTMLElement>(`[data-menu="${CSS.escape(id)}"] + .dropdown-menu`);
    if (!list) {
      const wrapper = this.menu(menu, []);
      this.menubar.insertBefore(wrapper, this.menubar.querySelector('[data-menu="help"]')?.parentElement ?? this.menubar.querySelector(".menubar-right"));
      list = wrapper.querySelector<HTMLElement>(".dropdown-menu");
    }
    const item = h("li", { role: "menuitem", "data-action": name, onclick: () => {
      item.closest(".dropdown")?.classList.remove("open");
      void action.run();
    } }, h("span", {}, t(action.label)), action.keys ? h("kbd", {}, action.keys) : null);
    list?.append(item);
    return item;
  }

  private menu(title: string, items: MenuItem[]): HTMLElement {
    const list = h("ul", { class: "dropdown-menu", role: "menu" });
    const entry = (name: string, prefix = "") => {
      const action = this.actions[name];
      if (!action) return null;
      return h("li", { role: "menuitem", "data-action": name, onclick: () => {
        wrapper.classList.remove("open");
        void action.run();
      } }, h("span", {}, menuLabel(t(action.label), prefix && t(prefix))), action.keys ? h("kbd", {}, action.keys) : null);
    };
    for (const item of items) {
      if (item === "-") {
        list.append(h("li", { class: "divider" }));
      } else if (Array.isArray(item)) {
        // A submenu opens on hover, or on a click (touch, keyboard).
        const [label, names] = item;
        const sub = h("ul", { class: "dropdown-menu", role: "menu" });
        for (const name of names) {
          const li = entry(name, label);
          if (li) sub.append(li);
        }
        const li = h("li", { class: "dropdown-submenu", role: "menuitem", "aria-haspopup": "true", "data-submenu": label.toLowerCase().replace(/\s+/g, "-") }, h("span", {}, t(label)), sub);
        li.addEventListener("click", (event) => {
          if (event.target instanceof Element && event.target.closest("li[data-action]")) {
            li.classList.remove("open"); // an item was chosen: the menu closes
            return;
          }
          event.stopPropagation(); // opening the submenu keeps the menu open
          li.classList.toggle("open");
        });
        list.append(li);
      } else {
        const li = entry(item);
        if (li) list.append(li);
      }
    }
    const toggle = h("button", { class: "dropdown-toggle", "data-menu": title.toLowerCase() }, t(title));
    const wrapper = h("div", { class: "dropdown" }, toggle, list);
    toggle.addEventListener("click", (event) => {
      event.stopPropagation();
      const open = !wrapper.classList.contains("open");
      document.querySelectorAll(".dropdown.open").forEach((d) => d.classList.remove("open"));
      wrapper.classList.toggle("open", open);
    });
    document.addEventListener("click", () => wrapper.classList.remove("open"));
    return wrapper;
  }
}

function toolbarContent(name: string, label: string): (Node | string)[] {
  const entry = ICONS[name];
  if (!entry) return [label];
  return entry[1] ? [icon(entry[0]), t(entry[1])] : [icon(entry[0])];
}

// A submenu's items drop its (translated) title: "Download as HTML" -> "HTML", "Cell Toolbar: Tags" -> "Tags".
function menuLabel(label: string, prefix: string): string {
  return prefix && label.startsWith(prefix) ? label.slice(prefix.length).replace(/^[:：\s]+/, "") : label;
}
