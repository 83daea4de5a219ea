import { unzipSync, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { StudioError } from '../errors';
import { isolate } from '../text/isolate';

/**
 * A zip written file by file: each file's bytes go out (to `onData`) as soon as it is added, so a
 * project's slices need not be in memory together. Text is deflated; TIFFs and weights are stored
 * as they are (label TIFFs are deflated inside; images and weights barely compress and Deflate over
 * hundreds of MB would take seconds).
 */
export class ProjectZipWriter {
  private readonly zip: Zip;
  private failure: Error | null = null;

  constructor(onData: (chunk: Uint8Array, final: boolean) => void) {
    this.zip = new Zip((error, chunk, final) => {
      if (error) this.failure = error;
      else onData(chunk, final);
    });
  }

  add(path: string, bytes: Uint8Array): void {
    const file = /\.json$/i.test(path) ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    this.zip.add(file);
    file.push(bytes, true);
    if (this.failure) throw this.failure;
  }

  end(): void {
    this.zip.end();
    if (this.failure) throw this.failure;
  }
}

/** One entry of a zip: its path and stored size. */
export interface ZipEntry {
  readonly path: string;
  readonly bytes: number;
}

/** Reads single files out of a zip in memory, one at a time (only the asked-for file is inflated). */
export class ProjectZipReader {
  readonly entries: readonly ZipEntry[];

  constructor(private readonly zip: Uint8Array, private readonly zipName: string) {
    const entries: ZipEntry[] = [];
    try {
      unzipSync(zip, { filter: (file) => { entries.push({ path: file.name, bytes: file.originalSize }); return false; } });
    } catch (error) {
      throw new StudioError('decode-failed', `${isolate(zipName)} could not be read as a zip file (${error instanceof Error ? error.message : String(error)}).`);
    }
    this.entries = entries;
  }

  has(path: string): boolean {
    return this.entries.some((e) => e.path === path);
  }

  /** The file's bytes; null when the zip has no such file. */
  read(path: string): Uint8Array | null {
    if (!this.has(path)) return null;
    try {
      return unzipSync(this.zip, { filter: (file) => file.name === path })[path] ?? null;
    } catch (error) {
      throw new StudioError('decode-failed', `${isolate(path)} in ${isolate(this.zipName)} could not be unpacked (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
}
