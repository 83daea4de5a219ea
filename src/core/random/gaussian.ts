/**
 * Standard normal draws from a uniform [0, 1) generator (e.g. `mulberry32`), by
 * Box-Muller. Pairs are generated together; the second is kept for the next call,
 * so a seeded generator gives the same sequence everywhere.
 */
export function gaussian(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const u1 = 1 - uniform(); // (0, 1]: log(0) would be -Infinity
    const u2 = uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };
}
