/** Explicit direction controls (embeddings, overrides, isolates): in a name they only ever disguise it. */
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Shows each direction control in user text as a visible code ("[U+202E]"), so a file named
 * "invoice\u202Egnp.tif" cannot pass for "invoicefit.png". Use it wherever a name is shown on its own.
 */
export function revealDirectionControls(userText: string): string {
  return userText.replace(DIRECTION_CONTROLS, (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}]`);
}

/**
 * Wraps user text (a file name, a class name) in Unicode's first-strong isolate (U+2068 ... U+2069)
 * before it goes into a sentence, its direction controls made visible: a name in Arabic or Hebrew,
 * or one holding a right-to-left override (U+202E), then cannot reorder the words around it. Use it
 * wherever such text joins a message.
 */
export function isolate(userText: string): string {
  return `\u2068${revealDirectionControls(userText)}\u2069`;
}
