// A large base64 image shown without a long main-thread task: decoded in slices, one
// per task, into a Blob whose short blob: URL the <img> loads (a data: URL of megabytes
// is parsed on the main thread in one go).

// A multiple of 4 base64 characters: about 0.75 MB of bytes per slice.
const SLICE = 1 << 20;
export const BIG_IMAGE_CHARS = 1 << 20;

export function bigImage(mime: string, base64: string, meta: Record<string, unknown>): HTMLImageElement {
  const img = document.createElement("img");
  img.decoding = "async";
  if (typeof meta.width === "number") img.width = meta.width;
  if (typeof meta.height === "number") img.height = meta.height;
  if (meta.unconfined) img.classList.add("unconfined");
  const data = base64.includes("\n") ? base64.replace(/\n/g, "") : base64;
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let at = 0;
  const step = (): void => {
    const slice = atob(data.slice(at, at + SLICE));
    const bytes = new Uint8Array(slice.length);
    for (let i = 0; i < slice.length; i++) bytes[i] = slice.charCodeAt(i);
    parts.push(bytes);
    at += SLICE;
    if (at < data.length) {
      setTimeout(step, 0);
      return;
    }
    const url = URL.createObjectURL(new Blob(parts, { type: mime }));
    // Decoded off the main thread first, so the first paint does not decode it.
    const probe = new Image();
    probe.src = url;
    void probe
      .decode()
      .catch(() => undefined)
      .then(() => {
        img.src = url;
      });
  };
  setTimeout(step, 0);
  return img;
}
