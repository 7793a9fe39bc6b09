// The recovery funnel for a date range: totals as bars, a per-day chart (uPlot), a table per
// event and performance, and the same numbers as CSV. Every figure's name carries its
// definition (components/Term.tsx); the table scrolls sideways in its own focusable region when
// the window is narrow, never the page.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { OrganizerStats } from '../../server/contracts/stats.ts';
import type { ConsoleEvent } from '../../server/contracts/console.ts';
import { BASE, get } from '../api.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Term } from '../components/Term.tsx';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { count, dateTime, money, percent } from '../format.ts';
import { t } from '../i18n.ts';
import { DailyChart } from './DailyChart.tsx';

const day = (d: Date) => d.toISOString().slice(0, 10);
const FUNNEL = ['views', 'cartsStarted', 'cartsWithEmail', 'abandoned', 'abandonedWithEmail', 'reminded', 'clicked', 'recoveredOrders'] as const;
const COLUMNS = ['cartsStarted', 'abandoned', 'reminded', 'recoveredOrders', 'recoveryRate', 'orders', 'revenue', 'attendance'] as const;
type Figure = keyof ReturnType<typeof t.peek>['stats']['definitions'];

/** A figure's name with its definition on hover and focus. */
const name = (figure: Figure) => <Term label={t.value.stats[figure]} definition={t.value.stats.definitions[figure]} />;

export function Stats() {
  const tx = t.value;
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const from = useSignal(day(new Date(Date.now() - 29 * 86_400_000)));
  const to = useSignal(day(new Date()));
  const eventId = useSignal('');
  const stats = useSignal<OrganizerStats | null>(null);
  const events = useSignal<ConsoleEvent[]>([]);
  const form = useForm();
  const query = () => new URLSearchParams({ from: from.value, to: to.value, timeZone, ...(eventId.value ? { eventId: eventId.value } : {}) }).toString();
  const load = () => form.run(async () => (stats.value = await get<OrganizerStats>(`/stats?${query()}`)));
  useEffect(() => {
    void load();
    // Archived events stay in the stats, so they can be picked here too.
    get<{ events: ConsoleEvent[] }>('/events?archived=include')
      .then((r) => (events.value = r.events))
      .catch((e) => (form.general.value = describeFailure(e)));
  }, []);

  const s = stats.value;
  return (
    <Page title={tx.stats.title}>
      <form
        noValidate
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <TextField label={tx.stats.from} type="date" value={from.value} onInput={(v) => (from.value = v)} error={form.error('from')} testId="stats-from" />
        <TextField label={tx.stats.to} type="date" value={to.value} onInput={(v) => (to.value = v)} error={form.error('to')} testId="stats-to" />
        <SelectField
          label={tx.stats.event}
          value={eventId.value}
          onChange={(v) => (eventId.value = v)}
          options={[{ value: '', label: tx.stats.allEvents }, ...events.value.map((e) => ({ value: e.id, label: e.title }))]}
          error={form.error('eventId')}
        />
        <Submit form={form} label={tx.stats.show} testId="stats-show" />
        <a class="button secondary" href={`${BASE}/stats?${query()}&format=csv`} download data-testid="stats-csv">
          {tx.stats.csv}
        </a>
      </form>
      <FormMessage form={form} />
      {!s ? <Loading /> : <Report stats={s} events={events.value} />}
    </Page>
  );
}

function Report({ stats, events }: { stats: OrganizerStats; events: ConsoleEvent[] }) {
  const tx = t.value;
  const totals = stats.totals;
  const top = Math.max(1, ...FUNNEL.map((k) => totals[k] ?? 0));
  return (
    <>
      <Card title={tx.stats.funnel} testId="funnel">
        <dl class="funnel">
          {FUNNEL.map((k) => {
            const value = totals[k] ?? 0;
            return (
              <div class="funnel-row" key={k}>
                <dt>{name(k)}</dt>
                <dd>
                  <span class="bar" style={{ width: `${(value / top) * 100}%` }} />
                  <span class="bar-value" data-testid={`total-${k}`}>
                    {count(value)}
                  </span>
                </dd>
              </div>
            );
          })}
        </dl>
        <p class="kpis">
          <span>
            {name('recoveryRate')}: <strong data-testid="total-recoveryRate">{percent(totals.recoveryRate)}</strong>
          </span>
          <span>
            {name('orders')}: <strong data-testid="total-orders">{count(totals.orders)}</strong>
          </span>
          <span>
            {name('revenue')}: <strong data-testid="total-revenue">{money(totals.revenue, stats.currency)}</strong>
          </span>
          <span>
            {name('recoveredRevenue')}: <strong data-testid="total-recoveredRevenue">{money(totals.recoveredRevenue, stats.currency)}</strong>
          </span>
        </p>
        {stats.currency === null && <p class="hint">{tx.stats.mixedCurrencies}</p>}
      </Card>
      <Card title={tx.stats.overTime}>
        <DailyChart daily={stats.daily} />
      </Card>
      <Card title={tx.stats.table}>
        {stats.byEvent.length === 0 ? (
          <p class="muted">{tx.stats.noData}</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than the window scrolls sideways, and a focusable scroller is what lets keyboard users scroll it
          <section class="table-wrap" tabIndex={0} aria-label={tx.stats.tableRegion} data-testid="stats-table-region">
            <table data-testid="stats-table">
              <thead>
                <tr>
                  <th scope="col">{tx.stats.name}</th>
                  {COLUMNS.map((k) => (
                    <th scope="col" key={k}>
                      {name(k)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {stats.byEvent.map((e) => {
                  const rows = stats.byPerformance.filter((p) => p.eventId === e.eventId);
                  const eventTz = events.find((x) => x.id === e.eventId)?.timeZone ?? 'UTC';
                  return [
                    <Row key={e.eventId} name={e.title} m={e} currency={e.currency} head testId={`event-row-${e.slug}`} />,
                    ...rows.map((p) => <Row key={p.performanceId} name={dateTime(p.startsAt, eventTz)} m={p} currency={p.currency} />),
                  ];
                })}
              </tbody>
            </table>
          </section>
        )}
      </Card>
    </>
  );
}

function Row({ name, m, currency, head, testId }: { name: string; m: OrganizerStats['totals']; currency: string; head?: boolean; testId?: string }) {
  return (
    <tr class={head ? 'row-head' : 'row-sub'} data-testid={testId}>
      <th scope="row">{name}</th>
      <td>{count(m.cartsStarted)}</td>
      <td>{count(m.abandoned)}</td>
      <td>{count(m.reminded)}</td>
      <td>{count(m.recoveredOrders)}</td>
      <td>{percent(m.recoveryRate)}</td>
      <td>{count(m.orders)}</td>
      <td>{money(m.revenue, currency)}</td>
      <td>{count(m.attendance)}</td>
    </tr>
  );
}
