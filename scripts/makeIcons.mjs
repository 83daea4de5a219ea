#!/usr/bin/env node
/**
 * Draws the app icons (public/icons/icon-192.png, icon-512.png) for the web app manifest: the same
 * picture as public/icons/icon.svg (a blue U over a dark square, a red dot inside), rasterised
 * here with a few lines of geometry so no image tool is needed. Run again after changing it.
 */
import { writeFileSync } from 'node:fs';
import { encode } from 'fast-png';

function draw(size) {
  const rgba = new Uint8Array(size * size * 4);
  const s = size / 64; // the SVG's units
  const dark = [0x1b, 0x1f, 0x27];
  const blue = [0x3c, 0xa0, 0xf0];
  const red = [0xe6, 0x50, 0x3c];
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / s;
      const y = (py + 0.5) / s;
      // Rounded square (rx 12).
      const cx = Math.min(Math.max(x, 12), 52);
      const cy = Math.min(Math.max(y, 12), 52);
      if (Math.hypot(x - cx, y - cy) > 12) continue;
      let colour = dark;
      // The U: two verticals at x 16 and 48 from y 14 to 34, and a half circle of radius 16 about (32, 34); stroke 8, round caps.
      const onArc = y >= 34 && Math.abs(Math.hypot(x - 32, y - 34) - 16) <= 4;
      const onLeg = y <= 34 && (Math.hypot(x - 16, Math.max(0, 14 - y)) <= 4 && Math.abs(x - 16) <= 4 || Math.hypot(x - 48, Math.max(0, 14 - y)) <= 4 && Math.abs(x - 48) <= 4);
      if (onArc || onLeg) colour = blue;
      if (Math.hypot(x - 32, y - 34) <= 5) colour = red;
      const i = (py * size + px) * 4;
      rgba.set([...colour, 255], i);
    }
  }
  return encode({ width: size, height: size, data: rgba, channels: 4, depth: 8 });
}

for (const size of [192, 512]) writeFileSync(new URL(`../public/icons/icon-${size}.png`, import.meta.url), draw(size));
console.log('wrote public/icons/icon-192.png and icon-512.png');
