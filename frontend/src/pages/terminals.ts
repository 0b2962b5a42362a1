// The REST calls of /api/terminals (Jupyter Server's terminals API), for the tree and terminal pages.

import { ApiError, type Api } from "../kernel/api";

export interface TerminalModel {
  name: string;
  last_activity: string;
}

/** The running terminals, or null when the server has terminals turned off (404). */
export async function listTerminals(api: Api): Promise<TerminalModel[] | null> {
  try {
    return await api.call<TerminalModel[]>("GET", "api/terminals");
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export function newTerminal(api: Api, cwd = ""): Promise<TerminalModel> {
  return api.call<TerminalModel>("POST", "api/terminals", cwd ? { cwd } : {});
}

export function getTerminal(api: Api, name: string): Promise<TerminalModel> {
  return api.call<TerminalModel>("GET", `api/terminals/${encodeURIComponent(name)}`);
}

export async function shutdownTerminal(api: Api, name: string): Promise<void> {
  await api.call<unknown>("DELETE", `api/terminals/${encodeURIComponent(name)}`);
}

export function terminalUrl(baseUrl: string, name: string): string {
  return `${baseUrl}terminals/${encodeURIComponent(name)}`;
}
