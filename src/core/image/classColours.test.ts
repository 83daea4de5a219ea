import { describe, expect, it } from 'vitest';
import { classColour, classPalette, hexColour, paletteColour, parseHexColour, predictionTint } from './classColours';

describe('class colours', () => {
  it('reads and writes #rrggbb, refusing anything else', () => {
    expect(parseHexColour('#0a80FF')).toEqual([10, 128, 255]);
    expect(parseHexColour('#fff')).toBeNull();
    expect(parseHexColour('blue')).toBeNull();
    expect(hexColour([10, 128, 255])).toBe('#0a80ff');
  });

  it("takes the user's colour where one is chosen and the default elsewhere, for every class", () => {
    const palette = classPalette([null, '#000000', 'nonsense'], 4);
    expect(palette).toEqual([classColour(0), [0, 0, 0], classColour(2), classColour(3)]);
    expect(paletteColour(palette, 9)).toEqual(classColour(9));
  });

  it('tints a prediction halfway to white: never the label colour, same hue', () => {
    for (let k = 0; k < 8; k++) {
      const colour = classColour(k);
      const tint = predictionTint(colour);
      expect(tint).not.toEqual(colour);
      expect(tint.map((v, c) => 2 * v - 255 - (colour[c] as number)).every((d) => Math.abs(d) <= 1)).toBe(true);
    }
  });
});
