import type { StackMetrics } from '../../store/slices/predictionSlice';

/** A threshold as the challenge names it (Fiji's 0.7999999999999999 is its 0.8); none when no threshold scored above 0. */
function thresholdText(threshold: number | null): string {
  return threshold === null ? 'no threshold' : `threshold ${threshold.toFixed(1)}`;
}

/** The stack line under the metrics table: each score named on its scale. */
export function formatStackMetrics(stack: StackMetrics): string {
  const slices = stack.slices === 1 ? '1 slice with objects' : `${stack.slices} slices with objects`;
  return `Scored as the ISBI 2012 challenge (Fiji), ${slices}, one threshold for all: ` +
    `V_Rand ${stack.vRand.toFixed(3)} (${thresholdText(stack.vRandThreshold)}), V_Info ${stack.vInfo.toFixed(3)} (${thresholdText(stack.vInfoThreshold)}), higher is better; ` +
    `foreground-restricted Rand error ${stack.foregroundRestrictedRandError.toFixed(3)} (${thresholdText(stack.foregroundRestrictedRandThreshold)}), ` +
    'the 2012 leaderboard\'s and the U-Net paper\'s Table 1 scale, lower is better.';
}
