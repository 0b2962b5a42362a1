// The terminal page (/terminals/<name>): xterm.js on the terminado websocket.
//
// The shell lives on the server: closing or reloading the page, or losing the network,
// leaves it running. On every (re)connect the server sends ["setup", {}] and replays the
// recent output, so the screen is rebuilt from a reset terminal. A dropped socket is
// reopened with a growing delay while the terminal still exists; ["disconnect", ...] from
// the server means the shell exited, which the page says.

import "@xterm/xterm/css/xterm.css";
import "./terminal.css";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import { Api, ApiError } from "../kernel/api";
import { h } from "../view/dom";
import { icon } from "../view/icons";
import { type PageConfig, wsBase } from "./config";
import { getTerminal } from "./terminals";
import { t } from "../i18n";

const MAX_RETRY_DELAY = 10_000;

export interface TerminalPage {
  terminal: Terminal;
  /** Close the websocket as a network drop would (the page reconnects). */
  dropConnection(): void;
}

export async function startTerminalPage(config: PageConfig): Promise<TerminalPage> {
  const name = config.path;
  const api = new Api(config.baseUrl, config.xsrfToken);
  document.title = `${t("Terminal {name}", { name })} - Carnet`;
  document.body.classList.add("terminal_app");
  const status = h("span", { id: "terminal-status", role: "status" });
  const container = h("div", { id: "terminal-container" });
  const header = h("div", { id: "header" }, h("div", { id: "header-container" },
    h("a", { id: "logo", href: `${config.baseUrl}tree`, title: t("Dashboard") }, icon("notebook", 22), h("span", { class: "logo-text" }, "Carnet")),
    h("span", { id: "terminal-title" }, t("Terminal {name}", { name })), status));
  document.body.replaceChildren(header, container);

  const terminal = new Terminal({ cursorBlink: true, scrollback: 5000, fontFamily: "Menlo, Consolas, 'DejaVu Sans Mono', monospace", fontSize: 14 });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.open(container);
  fit.fit();
  terminal.focus();

  let socket: WebSocket | null = null;
  let ended = false;
  let retryDelay = 500;
  // Keys typed while reconnecting wait here (a little of them) and reach the shell after.
  let typedOffline = "";
  const send = (message: unknown[]) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    else if (message[0] === "stdin" && !ended) typedOffline = (typedOffline + String(message[1])).slice(-4096);
  };
  const sendSize = () => send(["set_size", terminal.rows, terminal.cols, window.innerHeight, window.innerWidth]);
  const setStatus = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle("error", error);
  };
  const end = (message: string) => {
    ended = true;
    setStatus("");
    terminal.options.disableStdin = true;
    document.body.append(h("div", { class: "terminal-banner", id: "terminal-ended", role: "alert" }, message));
  };

  const connect = () => {
    const ws = new WebSocket(`${wsBase(config.baseUrl)}terminals/websocket/${encodeURIComponent(name)}`);
    socket = ws;
    ws.onopen = () => {
      retryDelay = 500;
      setStatus("");
      sendSize();
      if (typedOffline) send(["stdin", typedOffline]);
      typedOffline = "";
    };
    ws.onmessage = (event) => {
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!Array.isArray(message)) return;
      if (message[0] === "setup") terminal.reset(); // the replay that follows redraws the screen
      else if (message[0] === "stdout" && typeof message[1] === "string") terminal.write(message[1]);
      else if (message[0] === "disconnect") end(t("The shell exited. Close this page, or open a new terminal from the file tree."));
    };
    ws.onclose = () => {
      if (socket !== ws || ended) return;
      socket = null;
      setStatus(t("Connection lost; reconnecting…"), true);
      setTimeout(() => void reconnect(), retryDelay);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY);
    };
  };

  // Before reopening, ask whether the terminal still exists: a 404 ends the retries.
  const reconnect = async () => {
    if (ended) return;
    try {
      await getTerminal(api, name);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        end(t("This terminal no longer exists (it was shut down, or its shell exited)."));
        return;
      }
      setTimeout(() => void reconnect(), retryDelay); // the server is unreachable: keep trying
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY);
      return;
    }
    connect();
  };

  terminal.onData((data) => send(["stdin", data]));
  terminal.onResize(() => sendSize());
  new ResizeObserver(() => fit.fit()).observe(container);
  // Ctrl+Shift+C copies the selection; Ctrl+Shift+V is left to the browser, whose paste
  // event xterm.js turns into input (Ctrl+C and Ctrl+V stay the shell's keys).
  terminal.attachCustomKeyEventHandler((event) => {
    if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey) return true;
    if (event.code === "KeyC") {
      const text = terminal.getSelection();
      if (text) void navigator.clipboard?.writeText(text).catch(() => document.execCommand("copy"));
      return false;
    }
    return event.code !== "KeyV";
  });

  connect();
  return {
    terminal,
    dropConnection: () => socket?.close(),
  };
}
