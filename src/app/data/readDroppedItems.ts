import type { DroppedFile } from './createImportActions';

/*
 * DOM-only glue between the browser's drop / file-picker objects and importFiles. There is no
 * DataTransfer or FileSystemEntry in Node, so this has no unit test; the end-to-end spec drops files.
 */

/**
 * The files of a drop, with every file inside dropped folders; paths start at the dropped item
 * ("isbi/labels/x.png" for a dropped folder "isbi"), as a folder picker's webkitRelativePath does.
 */
export async function readDroppedItems(transfer: DataTransfer): Promise<DroppedFile[]> {
  // Everything must be taken now: the DataTransfer is emptied once the drop handler has returned.
  const folders: FileSystemDirectoryEntry[] = [];
  const files: DroppedFile[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry(); // null for files made in the page (tests), not dragged from disk
    const file = item.getAsFile();
    if (entry && isDirectory(entry)) folders.push(entry);
    else if (file) files.push({ path: file.name, file });
  }
  if (folders.length === 0 && files.length === 0) return Array.from(transfer.files, (file) => ({ path: file.name, file }));
  for (const folder of folders) await collect(folder, files);
  return files;
}

/** The files of an <input type=file> (multiple, or webkitdirectory: then with their folder path). */
export function readPickedFiles(list: FileList): DroppedFile[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

async function collect(entry: FileSystemEntry, out: DroppedFile[]): Promise<void> {
  if (isFile(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), file });
  } else if (isDirectory(entry)) {
    const reader = entry.createReader();
    // readEntries hands out a folder in batches (100 in Chromium) until it returns an empty one.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await collect(child, out);
    }
  }
}

const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;
const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;
