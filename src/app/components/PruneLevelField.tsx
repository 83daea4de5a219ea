import { useStudioActions, useStudioState } from '../StudioContext';

/** UNet++ with deep supervision: predict with every head averaged ("accurate") or pruned to a smaller, faster level. */
export function PruneLevelField() {
  const levels = useStudioState((s) => s.model.pruneLevels ?? 0);
  const chosen = useStudioState((s) => s.prediction.pruneLevel);
  const { setPruneLevel } = useStudioActions();
  if (levels === 0) return null;
  const value = chosen !== null && chosen <= levels ? String(chosen) : 'all';
  return (
    <label className="predict-heads">
      <span>UNet++ heads</span>
      <select value={value} onChange={(event) => setPruneLevel(event.target.value === 'all' ? null : Number(event.target.value))}>
        <option value="all">all, averaged (accurate)</option>
        {Array.from({ length: levels }, (_, i) => i + 1).map((level) => (
          <option key={level} value={String(level)}>{`pruned to level ${level}${level === 1 ? ' (fastest)' : level === levels ? ' (the last head alone)' : ''}`}</option>
        ))}
      </select>
    </label>
  );
}
