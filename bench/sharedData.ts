import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** ../shared/data beside the repository, or SHARED_DATA. */
export const SHARED_DATA = process.env.SHARED_DATA ?? path.resolve(import.meta.dirname, '../../shared/data');

export function requireSharedData(relative: string): string {
  const full = path.join(SHARED_DATA, relative);
  if (!existsSync(full)) throw new Error(`${full} is missing: the benchmarks need ../shared/data (set SHARED_DATA to point elsewhere).`);
  return full;
}

/** The DSB image id with the most nuclei (images.csv), the hardest weight-map case. */
export function dsbIdWithMostNuclei(): string {
  const lines = readFileSync(requireSharedData('nuclei/dsb2018-stage1-subset/images.csv'), 'utf8').trim().split('\n').slice(1);
  let best = { id: '', count: -1 };
  for (const line of lines) {
    const id = line.slice(0, line.indexOf(','));
    // n_nuclei is the second-to-last field; the style field before it may contain quoted commas.
    const fields = line.split(',');
    const count = Number(fields[fields.length - 2]);
    if (count > best.count) best = { id, count };
  }
  return best.id;
}
