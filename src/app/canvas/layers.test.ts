import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../../core/labels/classMap';
import { PredictionRegistry } from '../predict/predictionRegistry';
import { predictionTint } from '../../core/image/classColours';
import { autoWindow, CLASS_COLOURS, classColour, classPalette, PREDICTION_FILL_ALPHA, PREDICTION_RIM, renderImageLayer, renderLabelRegion, renderPredictionRegion } from './layers';

describe('canvas layers', () => {
  it('maps the contrast window of 16-bit data onto 0..255', () => {
    const pixels = Uint16Array.from([1000, 1500, 2000, 60000]);
    const out = renderImageLayer(pixels, 2, 2, 1, { low: 1000, high: 2000 });
    expect([out[0], out[4], out[8], out[12]]).toEqual([0, 128, 255, 255]);
    expect(out[3]).toBe(255);
  });

  it('finds the percentile window from samples, ignoring rare outliers', () => {
    const pixels = new Uint16Array(100_000).map((_, i) => 1000 + (i % 1000));
    pixels[5] = 65535;
    const window = autoWindow(pixels, 1000, 100, 1);
    expect(window.low).toBeGreaterThanOrEqual(1000);
    expect(window.low).toBeLessThan(1010);
    expect(window.high).toBeGreaterThan(1990);
    expect(window.high).toBeLessThan(2000);
  });

  it('renders label colours in a region, transparent where unlabelled, one block centre per pyramid step', () => {
    const classes = Int32Array.from([0, 1, UNLABELLED, 1]);
    const out = renderLabelRegion(classes, 2, CLASS_COLOURS, { x: 1, y: 0, width: 1, height: 2 }); // the right column only
    expect([...out.subarray(0, 4)]).toEqual([...classColour(1), 255]);
    expect([...out.subarray(4, 8)]).toEqual([...classColour(1), 255]);
    const coarse = renderLabelRegion(Int32Array.from([UNLABELLED, UNLABELLED, UNLABELLED, 0]), 2, CLASS_COLOURS, { x: 0, y: 0, width: 2, height: 2 }, 2);
    expect([...coarse]).toEqual([...classColour(0), 255]); // the 2x2 block's centre pixel (1, 1)
  });

  it('fills labels in the colour the user chose for their class', () => {
    const palette = classPalette([null, '#102030'], 2);
    const out = renderLabelRegion(Int32Array.from([0, 1]), 2, palette, { x: 0, y: 0, width: 2, height: 1 });
    expect([...out]).toEqual([...classColour(0), 255, 0x10, 0x20, 0x30, 255]);
  });

  it('draws only the tiles that have arrived: predicted classes in their tint, never in the label colour', () => {
    const registry = new PredictionRegistry();
    // Left tile of a 4x1 image arrives: foreground probabilities 0.9 and 0.2.
    registry.writeTile('s', 4, 1, 2, { inputX: 0, inputY: 0, outX: 0, outY: 0, outWidth: 2, outHeight: 1 }, Float32Array.from([0.1, 0.9, 0.8, 0.2]));
    const whole = { x: 0, y: 0, width: 4, height: 1 };
    const out = renderPredictionRegion(registry.get('s')!, 'classes', 0.5, CLASS_COLOURS, whole);
    expect([...out.subarray(0, 3)]).toEqual([...predictionTint(classColour(1))]);
    expect([...out.subarray(0, 3)]).not.toEqual([...classColour(1)]);
    expect(out[3]).toBe(255); // beside a background pixel: the outline
    expect([...out.subarray(4, 8)]).toEqual([...PREDICTION_RIM]); // background touching it: the dark rim
    expect(out[11]).toBe(0); // not predicted yet
    const probability = renderPredictionRegion(registry.get('s')!, 'probability', 0.5, CLASS_COLOURS, whole);
    expect(probability[3]).toBe(Math.round(Math.fround(0.9) * 255));
    expect(probability[7]).toBe(Math.round(Math.fround(0.2) * 255));
    expect(probability[11]).toBe(0);
  });

  it('outlines a predicted object opaquely with a dark rim outside and fills its inside faintly, in the tint of the chosen colour', () => {
    // 5x5, a 3x3 foreground square in the middle.
    const size = 5;
    const probabilities = new Float32Array(size * size * 2);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = x >= 1 && x <= 3 && y >= 1 && y <= 3;
        probabilities[(y * size + x) * 2] = inside ? 0.1 : 0.9;
        probabilities[(y * size + x) * 2 + 1] = inside ? 0.9 : 0.1;
      }
    }
    const registry = new PredictionRegistry();
    registry.writeTile('s', size, size, 2, { inputX: 0, inputY: 0, outX: 0, outY: 0, outWidth: size, outHeight: size }, probabilities);
    const palette = classPalette([null, '#00ff00'], 2);
    const out = renderPredictionRegion(registry.get('s')!, 'classes', 0.5, palette, { x: 0, y: 0, width: size, height: size });
    const alphaAt = (x: number, y: number) => out[(y * size + x) * 4 + 3];
    expect([alphaAt(1, 1), alphaAt(2, 1), alphaAt(3, 3)]).toEqual([255, 255, 255]); // the square's edge
    expect(alphaAt(2, 2)).toBe(PREDICTION_FILL_ALPHA); // its inside
    expect(alphaAt(0, 0)).toBe(0); // background away from the square: see-through
    expect([...out.subarray((2 * size) * 4, (2 * size) * 4 + 4)]).toEqual([...PREDICTION_RIM]); // (0, 2) touches it
    expect([...out.subarray((2 * size + 2) * 4, (2 * size + 2) * 4 + 3)]).toEqual([128, 255, 128]); // #00ff00 halfway to white
  });
});
