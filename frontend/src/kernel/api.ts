// The REST calls the pages make (same-origin, authenticated by the login cookie).

import type { CheckpointModel, ContentsModel } from "./contents";
import { t } from "../i18n";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's short machine-readable reason ("changed on disk", "not found", ...). */
    readonly reason = "",
  ) {
    super(message);
  }
}

/** A save refused (409) because the file on disk is not the one the page last loaded or saved. */
export class ChangedOnDiskError extends ApiError {}

// Generated with the server's TypedDicts (scripts/typegen); hash is null unless asked (?hash=1).
export type { CheckpointModel, ContentsModel } from "./contents";

export interface SessionModel {
  id: string;
  path: string;
  name: string;
  type: string;
  kernel: { id: string; name: string; execution_state?: string; connections?: number } | null;
}

export interface KernelspecsModel {
  default: string;
  kernelspecs: Record<string, { name: string; spec: { display_name: string; language: string } }>;
}

/** Encodes a contents path segment by segment (slashes stay separators). */
export function encodePath(path: string): string {
  return path
    .split("/")
    .filter(Boolean)
    .map(encodeURIComponent)
    .join("/");
}

export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly xsrf = "",
  ) {}

  async call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.xsrf) headers["X-XSRFToken"] = this.xsrf;
    let response: Response;
    try {
      response = await fetch(this.baseUrl + url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      // fetch's own message ("Failed to fetch") tells the user nothing.
      throw new ApiError(0, t("The server cannot be reached (it may be restarting, or the network is down)"), "unreachable");
    }
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      let reason = "";
      try {
        const data = await response.json();
        message = data.message || data.reason || message;
        reason = typeof data.reason === "string" ? data.reason : "";
      } catch {
        // not JSON: the status line says enough
      }
      if (response.status === 409 && reason === "changed on disk") throw new ChangedOnDiskError(409, message, reason);
      throw new ApiError(response.status, message, reason);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  contents(path: string, options: { content?: boolean; type?: string; hash?: boolean } = {}): Promise<ContentsModel> {
    const query = new URLSearchParams();
    if (options.content === false) query.set("content", "0");
    if (options.type) query.set("type", options.type);
    if (options.hash) query.set("hash", "1");
    const q = query.toString();
    return this.call("GET", `api/contents/${encodePath(path)}${q ? `?${q}` : ""}`);
  }

  /**
   * Saves a model. With `expectedHash`, the server refuses (ChangedOnDiskError) unless the file
   * on disk still has that hash; with `hash`, the answer carries the hash of what was written.
   */
  save(path: string, model: Partial<ContentsModel>, options: { expectedHash?: string | null; hash?: boolean } = {}): Promise<ContentsModel> {
    const body = options.expectedHash ? { ...model, expected_hash: options.expectedHash } : model;
    return this.call("PUT", `api/contents/${encodePath(path)}${options.hash ? "?hash=1" : ""}`, body);
  }

  create(dir: string, body: Record<string, unknown>): Promise<ContentsModel> {
    return this.call("POST", `api/contents/${encodePath(dir)}`, body);
  }

  rename(path: string, newPath: string): Promise<ContentsModel> {
    return this.call("PATCH", `api/contents/${encodePath(path)}`, { path: newPath });
  }

  remove(path: string): Promise<void> {
    return this.call("DELETE", `api/contents/${encodePath(path)}`);
  }

  checkpoints(path: string): Promise<CheckpointModel[]> {
    return this.call("GET", `api/contents/${encodePath(path)}/checkpoints`);
  }

  createCheckpoint(path: string): Promise<CheckpointModel> {
    return this.call("POST", `api/contents/${encodePath(path)}/checkpoints`);
  }

  restoreCheckpoint(path: string, id: string): Promise<void> {
    return this.call("POST", `api/contents/${encodePath(path)}/checkpoints/${encodeURIComponent(id)}`);
  }

  trust(path: string): Promise<void> {
    return this.call("POST", `api/contents/${encodePath(path)}/trust`);
  }

  sessions(): Promise<SessionModel[]> {
    return this.call("GET", "api/sessions");
  }

  startSession(path: string, kernelName: string | null): Promise<SessionModel> {
    const body: Record<string, unknown> = { path, type: "notebook", name: "" };
    if (kernelName) body.kernel = { name: kernelName };
    return this.call("POST", "api/sessions", body);
  }

  patchSession(id: string, body: Record<string, unknown>): Promise<SessionModel> {
    return this.call("PATCH", `api/sessions/${encodeURIComponent(id)}`, body);
  }

  deleteSession(id: string): Promise<void> {
    return this.call("DELETE", `api/sessions/${encodeURIComponent(id)}`);
  }

  kernels(): Promise<{ id: string; name: string; execution_state: string; connections: number }[]> {
    return this.call("GET", "api/kernels");
  }

  kernelspecs(): Promise<KernelspecsModel> {
    return this.call("GET", "api/kernelspecs");
  }

  interrupt(kernelId: string): Promise<void> {
    return this.call("POST", `api/kernels/${encodeURIComponent(kernelId)}/interrupt`);
  }

  restart(kernelId: string): Promise<void> {
    return this.call("POST", `api/kernels/${encodeURIComponent(kernelId)}/restart`);
  }

  shutdownKernel(kernelId: string): Promise<void> {
    return this.call("DELETE", `api/kernels/${encodeURIComponent(kernelId)}`);
  }
}
