/**
 * The paper's separation borders: where two objects touch, the pixels of each
 * object that have a different object in their 3x3 neighbourhood become
 * background, so the network must learn the thin gaps between touching cells.
 *
 * @returns a mask (1 = border pixel) over width*height
 */
export function findSeparationBorders(instances: Int32Array, width: number, height: number): Uint8Array {
  const border = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const id = instances[i] as number;
      if (id === 0) continue;
      search: for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const other = instances[ny * width + nx] as number;
          if (other !== 0 && other !== id) {
            border[i] = 1;
            break search;
          }
        }
      }
    }
  }
  return border;
}

/** Classes and instances with the separation borders set to background (class 0, no instance). */
export function applySeparationBorders(classes: Int32Array, instances: Int32Array, width: number, height: number): { classes: Int32Array; instances: Int32Array } {
  const border = findSeparationBorders(instances, width, height);
  const outClasses = classes.slice();
  const outInstances = instances.slice();
  for (let i = 0; i < border.length; i++) {
    if (border[i]) {
      outClasses[i] = 0;
      outInstances[i] = 0;
    }
  }
  return { classes: outClasses, instances: outInstances };
}
