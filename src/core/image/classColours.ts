/** Overlay colours per class (RGB), class 0 first: the canvas and exported covers draw classes alike. */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 80, 60], [60, 160, 240], [250, 200, 40], [120, 200, 90], [200, 100, 220], [40, 200, 200], [240, 140, 40], [150, 150, 150],
];

export function classColour(k: number): readonly [number, number, number] {
  return CLASS_COLOURS[k % CLASS_COLOURS.length] as readonly [number, number, number];
}
