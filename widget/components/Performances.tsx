// The dates on sale; sold-out ones stay visible but cannot be picked.
import { isSoldOut } from '../models/catalogue.ts';
import type { Widget } from '../models/widget.ts';

export function Performances({ w }: { w: Widget }) {
  const t = w.t.value;
  const list = w.catalogue.performances.value;
  const selected = w.catalogue.performanceId.value;
  if (list.length === 0) return <p class="muted">{t.noDates}</p>;
  return (
    <ul class="perfs" aria-label={t.chooseDate}>
      {list.map((p) => {
        const soldOut = isSoldOut(p);
        return (
          <li key={p.id}>
            <button
              type="button"
              class="perf"
              data-testid="perf-option"
              aria-pressed={p.id === selected}
              disabled={soldOut}
              onClick={() => w.choosePerformance(p.id)}
            >
              <span>{w.dateTime(p.startsAt)}</span>
              {soldOut && <span class="tag">{t.soldOut}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
