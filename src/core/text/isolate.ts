/**
 * Wraps user text (a file name, a class name) in Unicode's first-strong isolate (U+2068 ... U+2069)
 * before it goes into a sentence: a name holding a right-to-left override (U+202E) or Arabic or
 * Hebrew then cannot reorder the words around it. Use it wherever such text joins a message.
 */
export function isolate(userText: string): string {
  return `\u2068${userText}\u2069`;
}
