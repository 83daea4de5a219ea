/** The value after `--name` on the command line, or `fallback` (the scripts' and benches' one flag parser). */
export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}
