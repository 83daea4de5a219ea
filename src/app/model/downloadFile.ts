/** Hands bytes to the browser as a download; injected so tests can catch the files instead. */
export type DownloadFn = (fileName: string, bytes: Uint8Array) => void;

/**
 * Blob -> object URL -> a clicked <a download>. blob: URLs are same-origin and never touch the
 * network. The URL is revoked a tick later: revoking it synchronously can cancel the download.
 */
export const downloadFile: DownloadFn = (fileName, bytes) => {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeTypeOf(fileName) }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
};

function mimeTypeOf(fileName: string): string {
  if (fileName.endsWith('.json')) return 'application/json';
  if (fileName.endsWith('.zip')) return 'application/zip';
  if (fileName.endsWith('.tif')) return 'image/tiff';
  if (fileName.endsWith('.png')) return 'image/png';
  return 'application/octet-stream';
}
