// Makes blob: URLs for the page (bigimage.ts says why). A URL stays valid as long as
// the global that made it: this worker lives as long as the page.

self.onmessage = (event: MessageEvent<{ id: number; blob: Blob }>) => {
  self.postMessage({ id: event.data.id, url: URL.createObjectURL(event.data.blob) });
};
