/** A message without the Unicode isolation marks (U+2068, U+2069) around the user's names: the words a test reads. */
export function withoutIsolates(message: string | undefined): string {
  return (message ?? '').replace(/[\u2068\u2069]/g, '');
}
