import type { PredictionSlice } from '../../store/slices/predictionSlice';

type Progress = Pick<PredictionSlice['prediction'], 'status' | 'tilesDone' | 'tilesTotal' | 'slicesDone' | 'slicesTotal' | 'predictedSliceIds'>;

/**
 * The prediction's progress bar and line: over the whole run (a stack of 30 one-tile slices moves
 * 1/30 per slice, not a full bar at "tile 1 of 1"), naming the slice and the tile being predicted.
 */
export function predictionProgress(p: Progress): { readonly value: number; readonly max: number; readonly text: string } {
  const slices = Math.max(p.slicesTotal, 1);
  const tileFraction = p.tilesTotal > 0 ? Math.min(1, p.tilesDone / p.tilesTotal) : 0;
  switch (p.status) {
    case 'running': {
      const slice = Math.min(p.slicesDone + 1, slices);
      const tiles = p.tilesTotal > 0 ? `tile ${p.tilesDone} of ${p.tilesTotal}` : 'first tile…';
      const where = p.slicesTotal > 1 ? `slice ${slice} of ${p.slicesTotal}, ${tiles}` : tiles;
      return { value: Math.min(slices, p.slicesDone + tileFraction), max: slices, text: where };
    }
    case 'done': return { value: slices, max: slices, text: `done: ${p.predictedSliceIds.length} slice(s) predicted` };
    case 'stopped': {
      const partly = p.tilesTotal > 0 ? `; slice ${Math.min(p.slicesDone + 1, slices)} stopped at tile ${p.tilesDone} of ${p.tilesTotal} (its predicted tiles are shown)` : '';
      return { value: Math.min(slices, p.slicesDone + tileFraction), max: slices, text: `stopped: ${p.slicesDone} of ${slices} slice(s) predicted${partly}` };
    }
    case 'failed': return { value: p.slicesDone, max: slices, text: 'failed: see the error above' };
    default: return { value: 0, max: 1, text: 'not run yet' };
  }
}
