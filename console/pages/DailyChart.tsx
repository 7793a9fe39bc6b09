// Per-day lines with uPlot: carts started, abandoned, reminded, recovered orders. Redrawn when
// the numbers change, resized with its box.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { OrganizerStats } from '../../server/domain/stats.ts';
import { t } from '../i18n.ts';

const SERIES = [
  ['cartsStarted', '#4b5563'],
  ['abandoned', '#b45309'],
  ['reminded', '#2563eb'],
  ['recoveredOrders', '#15803d'],
] as const;

export function DailyChart({ daily }: { daily: OrganizerStats['daily'] }) {
  const box = useRef<HTMLDivElement>(null);
  const tx = t.value.stats;
  useEffect(() => {
    const el = box.current!;
    const data: uPlot.AlignedData = [daily.map((d) => Date.parse(`${d.day}T12:00:00Z`) / 1000), ...SERIES.map(([k]) => daily.map((d) => d[k]))];
    const plot = new uPlot(
      {
        width: el.clientWidth,
        height: 260,
        scales: { x: { time: true } },
        axes: [{}, { size: 48 }],
        series: [{ label: tx.day }, ...SERIES.map(([k, stroke]) => ({ label: tx[k], stroke, width: 2, points: { show: daily.length < 40 } }))],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 260 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [daily, tx]);
  return <div class="chart" ref={box} data-testid="daily-chart" role="img" aria-label={SERIES.map(([k]) => tx[k]).join(', ')} />;
}
