import { revealDirectionControls } from '../../core/text/isolate';
import { useStudioState } from '../StudioContext';
import { SliceNavigator } from './SliceNavigator';

/** Along the bottom of the canvas: what is loaded and shown, and every slice as a thumbnail. */
export function SliceStrip() {
  const slices = useStudioState((s) => s.data.slices);
  const current = useStudioState((s) => s.data.slices.find((x) => x.id === s.data.currentSliceId));
  if (!current) return null;
  return (
    <div className="slice-strip" aria-label="Slices of the stack" role="group">
      <p className="slice-strip-summary" role="status" aria-label="Data summary">
        {slices.length} slice{slices.length === 1 ? '' : 's'}, {slices.filter((s) => s.labelled).length} labelled. Showing <bdi>{revealDirectionControls(current.name)}</bdi> ({current.width}x{current.height} px{current.dtype !== 'uint8' ? `, ${current.dtype}` : ''}).
      </p>
      <SliceNavigator />
    </div>
  );
}
