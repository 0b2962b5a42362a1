// Uploads through the contents API; large files go in chunks (chunk 1, 2, ..., -1 for the last).

import type { Api } from "../kernel/api";
import { t } from "../i18n";

export const CHUNK_SIZE = 1024 * 1024;

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function uploadFile(api: Api, path: string, file: File, progress: (fraction: number) => void = () => {}): Promise<void> {
  if (file.name.endsWith(".ipynb") && file.size < 50 * CHUNK_SIZE) {
    let content: unknown;
    try {
      content = JSON.parse(await file.text());
    } catch {
      throw new Error(t("{name} is not valid notebook JSON", { name: file.name }));
    }
    await api.save(path, { type: "notebook", format: "json", content } as never);
    return;
  }
  if (file.size <= CHUNK_SIZE) {
    const content = base64(new Uint8Array(await file.arrayBuffer()));
    await api.save(path, { type: "file", format: "base64", content } as never);
    return;
  }
  const chunks = Math.ceil(file.size / CHUNK_SIZE);
  for (let i = 0; i < chunks; i++) {
    const slice = file.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE);
    const content = base64(new Uint8Array(await slice.arrayBuffer()));
    const chunk = i === chunks - 1 ? -1 : i + 1;
    await api.save(path, { type: "file", format: "base64", content, chunk } as never);
    progress((i + 1) / chunks);
  }
}
