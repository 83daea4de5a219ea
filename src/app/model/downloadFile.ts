/** Hands bytes to the browser as a download; injected so tests can catch the files instead. */
export type DownloadFn = (fileName: string, bytes: Uint8Array) => void;

/**
 * Blob -> object URL -> a clicked <a download>. blob: URLs are same-origin and never touch the
 * network. The URL is revoked a tick later: revoking it synchronously can cancel the download.
 */
export const downloadFile: DownloadFn = (fileName, bytes) => downloadParts(fileName, [bytes]);

function mimeTypeOf(fileName: string): string {
  if (fileName.endsWith('.json')) return 'application/json';
  if (fileName.endsWith('.zip')) return 'application/zip';
  if (fileName.endsWith('.tif')) return 'image/tiff';
  if (fileName.endsWith('.png')) return 'image/png';
  return 'application/octet-stream';
}

/** Like DownloadFn, for a file made in parts (a project file written slice by slice): the parts go into the Blob as they are, never joined in memory. */
export type DownloadPartsFn = (fileName: string, parts: readonly Uint8Array[]) => void;

export const downloadParts: DownloadPartsFn = (fileName, parts) => {
  const url = URL.createObjectURL(new Blob(parts as Uint8Array<ArrayBuffer>[], { type: mimeTypeOf(fileName) }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
};
