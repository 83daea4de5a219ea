/** Longest message the studio shows; a library's error can be thousands of characters (whole tensors). */
export const MAX_MESSAGE_CHARS = 300;

/**
 * A message cut to what a person reads: its first line, at most `maxChars`, ending at a word.
 * Returns the text unchanged when it is short already; `cut` says whether anything was left out
 * (the caller logs the whole text for support).
 */
export function conciseMessage(message: string, maxChars: number = MAX_MESSAGE_CHARS): { text: string; cut: boolean } {
  const firstLine = message.split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (firstLine.length <= maxChars) return { text: firstLine, cut: firstLine.length < message.trim().length };
  const words = firstLine.slice(0, maxChars).replace(/\s+\S*$/, '');
  return { text: `${words.length > 0 ? words : firstLine.slice(0, maxChars)}…`, cut: true };
}
