import { formatLearningRate } from '../core/train/learningRateSchedule';
import type { EngineEvent } from '../engine/protocol';

/** "1:05" / "1:02:03": an ETA as a person reads it. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * The lines the terminal shows for engine events: every training step would flood a log, so a
 * step is printed about 40 times a run (and always the first and the last); validation, notices,
 * the end of a run and each predicted slice always. null: nothing to print for this event.
 */
export function progressLine(event: EngineEvent): string | null {
  switch (event.type) {
    case 'train/started':
      return `Training ${event.totalSteps} steps from step ${event.fromStep}, ${event.parameterCount.toLocaleString('en')} parameters; ${event.splitDescription}`;
    case 'train/progress': {
      const every = Math.max(1, Math.round(event.totalSteps / 40));
      if (event.step !== 1 && event.step !== event.totalSteps && event.step % every !== 0) return null;
      return `step ${event.step}/${event.totalSteps}  loss ${event.loss.toFixed(4)}  learning rate ${formatLearningRate(event.learningRate)}  ${event.tilesPerSecond.toFixed(2)} tiles/s  ETA ${formatDuration(event.etaSeconds)}`;
    }
    case 'train/validation':
      return `  validation at step ${event.step}: loss ${event.loss.toFixed(4)}, foreground IoU ${event.foregroundIoU.toFixed(3)}${event.isBest ? ' (best so far)' : ''}`;
    case 'train/notice':
      return `  note: ${event.message}`;
    case 'train/done':
      return `Training ${event.reason === 'completed' ? 'completed' : 'stopped'} after ${event.steps} steps${event.bestStep !== null ? `; best validation at step ${event.bestStep}` : ''}.`;
    case 'predict/slice-done':
      return `  predicted ${event.sliceId}: ${event.width}x${event.height} px, ${event.instanceCount} objects, ${(event.elapsedMs / 1000).toFixed(1)} s`;
    default:
      return null;
  }
}
