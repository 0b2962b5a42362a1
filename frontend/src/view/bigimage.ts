// A large base64 image shown without a long main-thread task: decoded in slices, one
// per task, into a Blob whose short blob: URL the <img> loads (a data: URL of megabytes
// is parsed on the main thread in one go).

import { objectUrl } from "./bloburl";

// A multiple of 4 base64 characters: about 0.75 MB of bytes per slice.
const SLICE = 1 << 20;
export const BIG_IMAGE_CHARS = 1 << 20;

// The browser's own decoder (Uint8Array.fromBase64) where there is one: ~1 ms a slice
// against ~10 ms for atob and a copy loop.
const fromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> }).fromBase64;

function decodeSlice(text: string): Uint8Array<ArrayBuffer> {
  if (fromBase64) return fromBase64(text);
  const slice = atob(text);
  const bytes = new Uint8Array(slice.length);
  for (let i = 0; i < slice.length; i++) bytes[i] = slice.charCodeAt(i);
  return bytes;
}

export function bigImage(mime: string, base64: string, meta: Record<string, unknown>): HTMLImageElement {
  const img = document.createElement("img");
  img.decoding = "async";
  if (typeof meta.width === "number") img.width = meta.width;
  if (typeof meta.height === "number") img.height = meta.height;
  if (meta.unconfined) img.classList.add("unconfined");
  const data = base64.includes("\n") ? base64.replace(/\n/g, "") : base64;
  // One Blob per slice: the bytes go to the browser's blob store a slice at a time, and
  // the whole image is a Blob of Blobs (made of references: one Blob of 20 MB of bytes
  // copies them all in one task, 50-80 ms).
  const parts: Blob[] = [];
  let at = 0;
  const step = (): void => {
    parts.push(new Blob([decodeSlice(data.slice(at, at + SLICE))]));
    at += SLICE;
    if (at < data.length) {
      setTimeout(step, 0);
      return;
    }
    void objectUrl(new Blob(parts, { type: mime })).then((url) => {
      // Decoded off the main thread first, so the first paint does not decode it.
      const probe = new Image();
      probe.src = url;
      void probe
        .decode()
        .catch(() => undefined)
        .then(() => {
          img.src = url;
        });
    });
  };
  setTimeout(step, 0);
  return img;
}
