/**
 * Fiji's classic watershed (Trainable_Segmentation's WatershedTransform2D.apply(), Vincent & Soille
 * flooding, 4-connected), ported statement by statement because its queue order decides where a
 * thick border's 1-px line falls. The ISBI scores run it on a binary image (cells 0, border 255) to
 * thin the proposal's borders: each 4-connected cell region becomes a basin, the border is shared
 * out between the basins and what is left between them is the watershed line, label 0.
 *
 * The pixel list is Java's: column by column (x outer, y inner), sorted by level, ties kept in
 * list order (PixelRecord's sequence number); here a counting sort over the 256 byte levels.
 * Labels are clipped at 65535, as Fiji's convertToShortProcessor(false) stores them.
 */
const MASK = -2;
const WSHED = 0;
const INIT = -1;
const INQUEUE = -3;
const MAX_SHORT_LABEL = 65535;

/** `levels` is row-major (y * width + x), 0-255; returns basin labels 1.., watershed pixels 0. */
export function watershedTransform(levels: Uint8Array, width: number, height: number): Int32Array {
  const n = width * height;
  const lab = new Int32Array(n).fill(INIT);
  const start = new Int32Array(257);
  for (let i = 0; i < n; i++) start[(levels[i] as number) + 1] = (start[(levels[i] as number) + 1] as number) + 1;
  for (let v = 0; v < 256; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number);
  const list = new Int32Array(n);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const i = y * width + x;
      const v = levels[i] as number;
      list[start[v] as number] = i;
      start[v] = (start[v] as number) + 1;
    }
  }
  const fifo = new Int32Array(n);
  let head = 0;
  let tail = 0;
  // Neighborhood2DC4's order: left, up, right, down; -1 where it leaves the image.
  const neighbours = new Int32Array(4);
  const setNeighbours = (p: number) => {
    const x = p % width;
    const y = (p - x) / width;
    neighbours[0] = x > 0 ? p - 1 : -1;
    neighbours[1] = y > 0 ? p - width : -1;
    neighbours[2] = x < width - 1 ? p + 1 : -1;
    neighbours[3] = y < height - 1 ? p + width : -1;
  };

  let currentLabel = 0;
  let flag = false;
  let h = 0;
  let currentIndex = 0;
  let heightIndex1 = 0;
  let heightIndex2 = 0;
  while (currentIndex < n && h <= 255) {
    h = levels[list[currentIndex] as number] as number;
    for (let k = heightIndex1; k < n; k++) {
      const p = list[k] as number;
      if (levels[p] !== h) {
        heightIndex1 = k;
        break;
      }
      lab[p] = MASK;
      setNeighbours(p);
      for (let m = 0; m < 4; m++) {
        const q = neighbours[m] as number;
        if (q >= 0 && (lab[q] as number) >= WSHED) {
          fifo[tail++] = p;
          lab[p] = INQUEUE;
          break;
        }
      }
    }
    while (head < tail) {
      const p = fifo[head++] as number;
      setNeighbours(p);
      for (let m = 0; m < 4; m++) {
        const q = neighbours[m] as number;
        if (q < 0) continue;
        const lq = lab[q] as number;
        if (lq > 0) {
          const lp = lab[p] as number;
          if (lp === INQUEUE || (lp === WSHED && flag)) lab[p] = lq;
          else if (lp > 0 && lp !== lq) {
            lab[p] = WSHED;
            flag = false;
          }
        } else if (lq === WSHED) {
          if (lab[p] === INQUEUE) {
            lab[p] = WSHED;
            flag = true;
          }
        } else if (lq === MASK) {
          lab[q] = INQUEUE;
          fifo[tail++] = q;
        }
      }
    }
    head = 0;
    tail = 0;
    for (let k = heightIndex2; k < n; k++, currentIndex++) {
      const p = list[k] as number;
      if (levels[p] !== h) {
        heightIndex2 = k;
        break;
      }
      if (lab[p] !== MASK) continue;
      currentLabel++;
      fifo[tail++] = p;
      lab[p] = currentLabel;
      while (head < tail) {
        setNeighbours(fifo[head++] as number);
        for (let m = 0; m < 4; m++) {
          const q = neighbours[m] as number;
          if (q >= 0 && lab[q] === MASK) {
            fifo[tail++] = q;
            lab[q] = currentLabel;
          }
        }
      }
      head = 0;
      tail = 0;
    }
  }
  for (let i = 0; i < n; i++) {
    const l = lab[i] as number;
    lab[i] = l === INIT ? 0 : Math.min(l, MAX_SHORT_LABEL);
  }
  return lab;
}
