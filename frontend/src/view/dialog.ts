// Modal dialogs (confirm, prompt, choose, message) that keep keyboard focus to themselves.

import { h } from "./dom";
import { t } from "../i18n";

export interface Button {
  label: string;
  value: string;
  primary?: boolean;
  danger?: boolean;
}

function open(title: string, body: Node, buttons: Button[], initial?: HTMLElement): Promise<string | null> {
  return new Promise((resolve) => {
    const backdrop = h("div", { class: "modal-backdrop" });
    const close = (value: string | null) => {
      backdrop.remove();
      document.removeEventListener("keydown", onKey, true);
      resolve(value);
    };
    const primary = buttons.find((b) => b.primary) ?? buttons[0];
    const onKey = (event: KeyboardEvent) => {
      event.stopPropagation();
      if (event.key === "Escape") {
        event.preventDefault();
        close(null);
      } else if (event.key === "Enter" && !(event.target instanceof HTMLTextAreaElement) && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        close(primary?.value ?? null);
      }
    };
    document.addEventListener("keydown", onKey, true);
    const footer = h("div", { class: "modal-footer" });
    for (const b of buttons) {
      footer.append(h("button", { class: `btn${b.primary ? " btn-primary" : ""}${b.danger ? " btn-danger" : ""}`, "data-value": b.value, onclick: () => close(b.value) }, b.label));
    }
    const dialog = h(
      "div",
      { class: "modal", role: "dialog", "aria-modal": "true", "aria-label": title },
      h("div", { class: "modal-header" }, h("h4", {}, title), h("button", { class: "close", "aria-label": t("Close"), onclick: () => close(null) }, "×")),
      h("div", { class: "modal-body" }, body),
      footer,
    );
    backdrop.append(dialog);
    backdrop.addEventListener("mousedown", (e) => {
      if (e.target === backdrop) close(null);
    });
    document.body.append(backdrop);
    (initial ?? (footer.querySelector(".btn-primary") as HTMLElement | null) ?? footer.querySelector("button"))?.focus();
  });
}

export async function confirmDialog(title: string, message: string, action = t("OK"), danger = false): Promise<boolean> {
  const answer = await open(title, h("p", {}, message), [
    { label: t("Cancel"), value: "cancel" },
    { label: action, value: "ok", primary: true, danger },
  ]);
  return answer === "ok";
}

export async function promptDialog(title: string, label: string, value = ""): Promise<string | null> {
  const input = h("input", { type: "text", class: "form-control", value, "aria-label": label });
  const body = h("div", {}, h("label", {}, label), input);
  const answer = await open(title, body, [
    { label: t("Cancel"), value: "cancel" },
    { label: t("OK"), value: "ok", primary: true },
  ], input);
  return answer === "ok" ? input.value : null;
}

export async function chooseDialog(title: string, label: string, options: { value: string; label: string }[], selected?: string): Promise<string | null> {
  const select = h("select", { class: "form-control", "aria-label": label });
  for (const o of options) {
    const option = h("option", { value: o.value }, o.label);
    if (o.value === selected) option.selected = true;
    select.append(option);
  }
  const answer = await open(title, h("div", {}, h("label", {}, label), select), [
    { label: t("Cancel"), value: "cancel" },
    { label: t("OK"), value: "ok", primary: true },
  ], select);
  return answer === "ok" ? select.value : null;
}

/** Several ways out: resolves to the chosen button's value, or null when dismissed (Escape, ×). */
export function choiceDialog(title: string, body: string | Node, buttons: Button[]): Promise<string | null> {
  return open(title, typeof body === "string" ? h("p", {}, body) : body, buttons);
}

export async function messageDialog(title: string, body: string | Node): Promise<void> {
  await open(title, typeof body === "string" ? h("p", {}, body) : body, [{ label: t("Close"), value: "ok", primary: true }]);
}

/** A short message at the top of the page that fades away. */
export function notify(message: string, kind: "info" | "error" = "info", ms = 2500): void {
  let area = document.getElementById("notification-area");
  if (!area) {
    area = h("div", { id: "notification-area" });
    document.body.append(area);
  }
  if (kind === "error") console.error(`Carnet: ${message}`);
  const note = h("div", { class: `notification ${kind}`, role: "status" }, message);
  area.append(note);
  setTimeout(() => note.remove(), ms);
}
