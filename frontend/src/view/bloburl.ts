// blob: URLs made by a worker. URL.createObjectURL waits for the browser process,
// synchronously: right after a 27 MB message, with DevTools attached, that took 250-450
// ms of the page's thread. A worker makes the URLs instead (they stay valid while it
// lives, as long as the page); if it cannot run, the page makes them itself.
let minter: Worker | null = null;
let minterFailed = false;
let nextId = 0;
const minting = new Map<number, { blob: Blob; resolve: (url: string) => void }>();

/** A blob: URL for `blob`, made off the page's thread when a worker can run. */
export function objectUrl(blob: Blob): Promise<string> {
  if (!minter && !minterFailed) minter = startMinter();
  if (!minter) return Promise.resolve(URL.createObjectURL(blob));
  const id = (nextId += 1);
  return new Promise((resolve) => {
    minting.set(id, { blob, resolve });
    minter?.postMessage({ id, blob });
  });
}

function startMinter(): Worker | null {
  if (typeof Worker === "undefined") {
    minterFailed = true;
    return null;
  }
  let worker: Worker;
  try {
    worker = new Worker(new URL("./bloburl.worker.ts", import.meta.url), { type: "module", name: "blob-urls" });
  } catch {
    minterFailed = true;
    return null;
  }
  worker.onmessage = (event: MessageEvent<{ id: number; url: string }>) => {
    minting.get(event.data.id)?.resolve(event.data.url);
    minting.delete(event.data.id);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    minter = null;
    minterFailed = true;
    for (const { blob, resolve } of minting.values()) resolve(URL.createObjectURL(blob));
    minting.clear();
  };
  return worker;
}
