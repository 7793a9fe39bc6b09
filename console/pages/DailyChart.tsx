// Per-day lines with uPlot: carts started, abandoned, reminded, recovered orders. Redrawn when
// the numbers change, resized with its box.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { OrganizerStats } from '../../server/contracts/stats.ts';
import { intl, t } from '../i18n.ts';

const SERIES = [
  ['cartsStarted', '#4b5563'],
  ['abandoned', '#b45309'],
  ['reminded', '#2563eb'],
  ['recoveredOrders', '#15803d'],
] as const;

export function DailyChart({ daily }: { daily: OrganizerStats['daily'] }) {
  const box = useRef<HTMLDivElement>(null);
  const tx = t.value.stats;
  const lang = intl.value;
  useEffect(() => {
    // Days are plotted at noon UTC of their date, so format them in UTC, in the console's language.
    const short = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const long = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const el = box.current!;
    const data: uPlot.AlignedData = [daily.map((d) => Date.parse(`${d.day}T12:00:00Z`) / 1000), ...SERIES.map(([k]) => daily.map((d) => d[k]))];
    const plot = new uPlot(
      {
        width: el.clientWidth,
        height: 260,
        scales: { x: { time: true } },
        axes: [{ space: 72, values: (_u, splits) => splits.map((s) => short.format(new Date(s * 1000))) }, { size: 48 }],
        series: [
          { label: tx.day, value: (_u, v) => (v == null ? '—' : long.format(new Date(v * 1000))) },
          ...SERIES.map(([k, stroke]) => ({ label: tx[k], stroke, width: 2, points: { show: daily.length < 40 } })),
        ],
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
  }, [daily, tx, lang]);
  return <div class="chart" ref={box} data-testid="daily-chart" role="img" aria-label={SERIES.map(([k]) => tx[k]).join(', ')} />;
}
