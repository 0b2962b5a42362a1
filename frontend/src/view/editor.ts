// A CodeMirror 6 editor for one cell, created lazily (first focus or first time on screen).

import { autocompletion, completionKeymap, startCompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentMore, indentLess } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { drawSelection, EditorView, highlightSpecialChars, keymap, lineNumbers } from "@codemirror/view";
import { type CodePoints, toCodePoints, toUtf16 } from "../kernel/offsets";
import type { CellType } from "../model/types";

export interface EditorHooks {
  onChange(text: string): void;
  onFocus(): void;
  /** complete_request: matches and the range they replace, or null. The cursor, start and end
   * count code points, as the protocol does; the editor converts from and to its UTF-16 offsets. */
  complete?(code: string, cursor: CodePoints): Promise<{ matches: string[]; start: number; end: number } | null>;
  /** The cursor tried to leave the editor (Up on the first line, Down on the last). */
  leave?(direction: "up" | "down"): boolean;
}

const languageSlot = new Compartment();
const numbersSlot = new Compartment();
const optionsSlot = new Compartment();

/** The classic notebook's cm_config options Carnet honours (nbconfig's Cell/CodeCell.cm_config). */
export interface CmOptions {
  lineNumbers?: boolean;
  indentUnit?: number;
  lineWrapping?: boolean;
  tabSize?: number;
}

// Per cell type, from the front-end config; read when an editor is made or reconfigured.
let configured: Partial<Record<CellType, CmOptions>> = {};

export function setEditorOptions(byType: Partial<Record<CellType, CmOptions>>): void {
  configured = byType;
}

function options(type: CellType): Extension {
  const cm = configured[type] ?? {};
  return [
    indentUnit.of(" ".repeat(cm.indentUnit ?? 4)),
    EditorState.tabSize.of(cm.tabSize ?? 4),
    // Carnet wraps long lines unless cm_config says lineWrapping: false.
    cm.lineWrapping === false ? [] : EditorView.lineWrapping,
  ];
}

function language(type: CellType): Extension {
  if (type === "code") return python();
  if (type === "markdown") return markdown();
  return [];
}

function numbers(on: boolean | undefined, type: CellType): Extension {
  return (on ?? configured[type]?.lineNumbers ?? false) ? lineNumbers() : [];
}

function kernelCompletion(hooks: EditorHooks) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    if (!hooks.complete || !context.explicit) return null;
    const code = context.state.doc.toString();
    const reply = await hooks.complete(code, toCodePoints(code, context.pos));
    if (!reply || reply.matches.length === 0) return null;
    return {
      from: toUtf16(code, reply.start),
      to: toUtf16(code, reply.end),
      options: reply.matches.map((label) => ({ label })),
      filter: false,
    };
  };
}

/** Tab completes after a word character and indents elsewhere, as in Jupyter. */
function tabCommand(view: EditorView): boolean {
  const { head, empty } = view.state.selection.main;
  const before = view.state.sliceDoc(Math.max(0, head - 1), head);
  if (empty && /[\w.\])"'/]/.test(before)) return startCompletion(view);
  return indentMore(view);
}

function atEdge(view: EditorView, direction: "up" | "down"): boolean {
  const { main } = view.state.selection;
  if (!main.empty) return false;
  const line = view.state.doc.lineAt(main.head).number;
  return direction === "up" ? line === 1 : line === view.state.doc.lines;
}

export class CellEditor {
  readonly view: EditorView;

  private type: CellType;

  /** lineNumbersOn: the page's choice (View > Toggle Line Numbers); undefined: the config's. */
  constructor(parent: HTMLElement, text: string, type: CellType, hooks: EditorHooks, lineNumbersOn?: boolean) {
    this.type = type;
    const state = EditorState.create({
      doc: text,
      extensions: [
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        autocompletion({ override: [kernelCompletion(hooks)], activateOnTyping: false, icons: false }),
        keymap.of([
          { key: "Tab", run: tabCommand, shift: indentLess },
          ...completionKeymap,
          { key: "ArrowUp", run: (view) => atEdge(view, "up") && (hooks.leave?.("up") ?? false) },
          { key: "ArrowDown", run: (view) => atEdge(view, "down") && (hooks.leave?.("down") ?? false) },
          ...historyKeymap,
          ...defaultKeymap,
        ]),
        languageSlot.of(language(type)),
        numbersSlot.of(numbers(lineNumbersOn, type)),
        optionsSlot.of(options(type)),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) hooks.onChange(update.state.doc.toString());
          if (update.focusChanged && update.view.hasFocus) hooks.onFocus();
        }),
      ],
    });
    this.view = new EditorView({ state, parent });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the text (when the model changed it, e.g. split or merge). */
  setText(text: string): void {
    if (text === this.text) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  setType(type: CellType, lineNumbersOn?: boolean): void {
    this.type = type;
    this.view.dispatch({ effects: [languageSlot.reconfigure(language(type)), ...this.reconfigure(lineNumbersOn)] });
  }

  setLineNumbers(on: boolean | undefined): void {
    this.view.dispatch({ effects: numbersSlot.reconfigure(numbers(on, this.type)) });
  }

  /** Applies the options set since the editor was made (the config arrived late). */
  applyOptions(lineNumbersOn?: boolean): void {
    this.view.dispatch({ effects: this.reconfigure(lineNumbersOn) });
  }

  private reconfigure(lineNumbersOn: boolean | undefined) {
    return [numbersSlot.reconfigure(numbers(lineNumbersOn, this.type)), optionsSlot.reconfigure(options(this.type))];
  }

  /** The cursor as a UTF-16 offset into `text`. */
  get cursor(): number {
    return this.view.state.selection.main.head;
  }

  /** The cursor in code points, the unit of the protocol's cursor_pos (inspect_request). */
  get kernelCursor(): CodePoints {
    return toCodePoints(this.text, this.cursor);
  }

  focus(where: "keep" | "start" | "end" = "keep"): void {
    if (where === "end") this.view.dispatch({ selection: { anchor: this.view.state.doc.length } });
    if (where === "start") this.view.dispatch({ selection: { anchor: 0 } });
    this.view.focus();
  }

  /** Puts the cursor at a UTF-16 offset into the text. */
  placeCursor(offset: number): void {
    this.view.dispatch({ selection: { anchor: Math.min(offset, this.view.state.doc.length) } });
  }

  blur(): void {
    this.view.contentDOM.blur();
  }

  destroy(): void {
    this.view.destroy();
  }
}
