import { useStudioActions, useStudioState } from '../StudioContext';
import { sliceTimeKey } from '../predict/createPredictActions';

/**
 * UNet++ with deep supervision: predict with every head averaged ("accurate") or pruned to a smaller,
 * faster level, each choice with the time one slice took with it (measured in this model's last runs),
 * so the user sees what pruning buys.
 */
export function PruneLevelField() {
  const levels = useStudioState((s) => s.model.pruneLevels ?? 0);
  const chosen = useStudioState((s) => s.prediction.pruneLevel);
  const times = useStudioState((s) => s.prediction.sliceTimes);
  const modelRevision = useStudioState((s) => s.model.revision);
  const { setPruneLevel } = useStudioActions();
  if (levels === 0) return null;
  const value = chosen !== null && chosen <= levels ? String(chosen) : 'all';
  const timeOf = (level: number | null) => {
    const time = times[sliceTimeKey(level)];
    return time && time.modelRevision === modelRevision ? time : null;
  };
  const measured = (level: number | null) => {
    const time = timeOf(level);
    return time ? ` · ${(time.ms / 1000).toFixed(2)} s` : '';
  };
  const sizes = [...new Set([null, ...Array.from({ length: levels }, (_, i) => i + 1)].map(timeOf).filter((t) => t !== null).map((t) => `${t.width}×${t.height}`))];
  return (
    <div className="predict-heads">
      <label>
        <span>UNet++ heads</span>
        <select value={value} onChange={(event) => setPruneLevel(event.target.value === 'all' ? null : Number(event.target.value))}>
          <option value="all">{`all, averaged (accurate)${measured(null)}`}</option>
          {Array.from({ length: levels }, (_, i) => i + 1).map((level) => (
            <option key={level} value={String(level)}>{`pruned to level ${level}${level === 1 ? ' (fastest)' : level === levels ? ' (the last head alone)' : ''}${measured(level)}`}</option>
          ))}
        </select>
      </label>
      {sizes.length > 0 ? <p className="hint">Times: one {sizes.join(' / ')} slice with this model, as last measured.</p> : null}
    </div>
  );
}
