// The Find and Replace dialog: the query, a live preview of the matches (with what each
// becomes), and Replace All; the search itself is model/findreplace.

import { compileQuery, expandReplacement, findMatches, type FindQuery, type Match, matchSummary, type Searchable } from "../model/findreplace";
import { msg, t } from "../i18n";
import { choiceDialog } from "./dialog";
import { h } from "./dom";
import "./tools.css";

export interface FindState extends FindQuery {
  replace: string;
  selectedOnly: boolean;
}

export interface FindHooks<T extends Searchable> {
  /** The cells searched: every cell, or the selected ones. */
  targets(selectedOnly: boolean): T[];
  /** Replaces every match as one step; null when done, else why nothing changed. */
  replaceAll(targets: T[], state: FindState): string | null;
}

// The preview lists this many matches; the summary counts them all.
const SHOWN = 100;
// Characters of context kept before a match in a long line.
const CONTEXT = 40;

/** Opens the dialog; it comes back with the message after a refused Replace All, until done or closed. */
export async function findReplaceDialog<T extends Searchable>(state: FindState, hooks: FindHooks<T>): Promise<boolean> {
  let error = "";
  for (;;) {
    const find = h("input", { type: "text", class: "form-control find-input", "aria-label": t("Find"), placeholder: t("Find"), spellcheck: "false" });
    const replace = h("input", { type: "text", class: "form-control replace-input", "aria-label": t("Replace"), placeholder: t("Replace"), spellcheck: "false" });
    find.value = state.find;
    replace.value = state.replace;
    const box = (name: string, label: string, checked: boolean) => {
      const input = h("input", { type: "checkbox", class: `find-${name}`, "aria-label": label });
      input.checked = checked;
      return [input, h("label", { class: "find-option" }, input, t(label))] as const;
    };
    const [regex, regexLabel] = box("regex", msg("Regular expression"), state.regex);
    const [caseSensitive, caseLabel] = box("case", msg("Match case"), state.caseSensitive);
    const [selected, selectedLabel] = box("selected", msg("Selected cells only"), state.selectedOnly);
    const message = h("p", { class: "find-error", role: "alert" });
    const summary = h("p", { class: "find-summary", role: "status" });
    const preview = h("ol", { class: "find-preview" });
    const refresh = () => {
      Object.assign(state, { find: find.value, replace: replace.value, regex: regex.checked, caseSensitive: caseSensitive.checked, selectedOnly: selected.checked });
      const compiled = compileQuery(state);
      const problem = compiled.ok ? error : compiled.error;
      message.textContent = problem;
      message.hidden = !problem;
      error = "";
      preview.replaceChildren();
      if (!compiled.ok || !compiled.pattern) {
        summary.textContent = compiled.ok ? t("Type the text to find.") : "";
        return;
      }
      const matches = findMatches(hooks.targets(state.selectedOnly), compiled.pattern);
      summary.textContent = matchSummary(matches) + (matches.length > SHOWN ? ` ${t("(the first {count} shown)", { count: SHOWN })}` : "");
      for (const m of matches.slice(0, SHOWN)) preview.append(previewRow(m, state));
    };
    for (const input of [find, replace]) input.addEventListener("input", refresh);
    for (const input of [regex, caseSensitive, selected]) input.addEventListener("change", refresh);
    refresh();
    const body = h(
      "div",
      { class: "find-replace" },
      h("div", { class: "find-fields" }, find, replace),
      h("div", { class: "find-options" }, regexLabel, caseLabel, selectedLabel),
      message,
      summary,
      preview,
    );
    // Enter in Find goes on to Replace (the dialog's Enter, Replace All, would otherwise delete
    // every match of a search just typed); registered before the dialog's own key handler.
    const toReplace = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || event.target !== find) return;
      event.stopImmediatePropagation();
      event.preventDefault();
      replace.focus();
    };
    document.addEventListener("keydown", toReplace, true);
    const answer = choiceDialog(t("Find and Replace"), body, [
      { label: t("Close"), value: "close" },
      { label: t("Replace All"), value: "replace", primary: true },
    ]);
    find.focus();
    find.select();
    const chosen = await answer;
    document.removeEventListener("keydown", toReplace, true);
    if (chosen !== "replace") return false;
    const refused = hooks.replaceAll(hooks.targets(state.selectedOnly), state);
    if (refused === null) return true;
    error = refused;
  }
}

/** "Cell 2, line 3: …text [match → replacement] text". */
function previewRow(m: Match, state: FindState): HTMLElement {
  const from = Math.max(0, m.lineStart - CONTEXT);
  const before = (from > 0 ? "…" : "") + m.lineText.slice(from, m.lineStart);
  const found = m.lineText.slice(m.lineStart, m.lineEnd) + (m.end - m.start > m.lineEnd - m.lineStart ? "⏎…" : "");
  const after = m.lineText.slice(m.lineEnd);
  const row = h("li", { class: "find-match", "data-cell": String(m.index) }, h("span", { class: "find-where" }, t("Cell {cell}, line {line}", { cell: m.index + 1, line: m.line })), h("code", { class: "find-line" }, before, h("mark", {}, found)));
  const code = row.lastElementChild as HTMLElement;
  // What Replace All puts there (nothing shown while the Replace field is empty).
  const replacement = state.replace === "" ? "" : expandReplacement(state.replace, m.raw, state.regex);
  if (replacement !== "") code.append(h("ins", {}, replacement));
  code.append(after);
  return row;
}
