import { memo } from 'react';

interface Props { readonly losses: readonly number[]; readonly label: string }

const WIDTH = 320;
const HEIGHT = 120;
const PAD = 8;

/** A minimal line chart of loss per step (the training panel will use a full chart library). */
export const LossChart = memo(function LossChart({ losses, label }: Props) {
  if (losses.length === 0) return null;
  const max = Math.max(...losses);
  const min = Math.min(0, ...losses);
  const x = (i: number) => PAD + (losses.length === 1 ? 0 : (i / (losses.length - 1)) * (WIDTH - 2 * PAD));
  const y = (v: number) => PAD + (1 - (v - min) / Math.max(max - min, 1e-9)) * (HEIGHT - 2 * PAD);
  const points = losses.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg role="img" aria-label={label} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="loss-chart">
      <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} className="axis" />
      <polyline points={points} fill="none" className="loss-line" />
    </svg>
  );
});
