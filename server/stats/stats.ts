// The organizer's recovery funnel for a date range: per event, per performance, per day, and in
// total. Everything is counted from the rows themselves at query time, so there is no counter to
// drift, and nothing reads buyer details, so the numbers survive PII erasure unchanged.
//
// Which day a thing counts on (days are local days of `timeZone`, default UTC):
//   views                        the UTC day of the render (widget_views is kept per UTC day, so
//                                in another zone a local day shows the views of the same date in UTC)
//   cartsStarted, cartsWithEmail carts.created_at ("with email": email_captured_at is set — the
//                                timestamp stays when retention erases the address itself)
//   abandoned, abandonedWithEmail carts.abandoned_at
//   remindedByStep, reminded     outbox.sent_at of each sent reminder (reminded = distinct series)
//   clicked                      reminder_clicks.clicked_at (distinct series)
//   orders, revenue, recovered*  orders.created_at (recovered: orders.recovered_via is set)
//   attendance                   checkins.scanned_at (tickets checked in at the door)
// So a day's recovery rate compares that day's recovered orders with that day's abandonments;
// over a range long enough to hold the whole funnel it is the recovery rate of the period.
import type { Db } from '../platform/db/database.ts';
import type { Counts, Metrics, OrganizerStats } from '../contracts/stats.ts';
import { countsByPerformanceAndDay, distinctSeriesByPerformance, listStatsCatalogue, listWidgetViews } from './stats-db.ts';
import { DomainError } from '../platform/errors.ts';
import { MAX_REMINDER_STEPS } from '../contracts/recovery-settings.ts';

export interface StatsOptions {
  /** Local dates 'YYYY-MM-DD', both included. */
  from: string;
  to: string;
  eventId?: string;
  /** IANA zone whose days the range and the daily series use; default 'UTC'. */
  timeZone?: string;
}

/** The organizer's funnel over `options` (see the top of this file for which day a thing counts on). */
export async function organizerStats(db: Db, organizerId: string, options: StatsOptions): Promise<OrganizerStats> {
  const timeZone = options.timeZone ?? 'UTC';
  const scope = { organizerId, eventId: options.eventId };
  const buckets = dayBuckets(options.from, options.to, timeZone);
  const start = buckets[0]![1];
  const end = buckets.at(-1)![2];
  const [[events, performances], cells, distinctSeries, views] = await Promise.all([
    listStatsCatalogue(db, scope),
    countsByPerformanceAndDay(db, scope, buckets, MAX_REMINDER_STEPS),
    distinctSeriesByPerformance(db, scope, start, end),
    listWidgetViews(db, scope, options.from, options.to),
  ]);
  // Each row is read once, for its performance and day; both tables are sums of those cells.
  // A day's distinct series add up over its performances (a series has one performance), but a
  // performance's do not add up over days (one series is reminded on several), so a
  // performance's distinct series are counted over the whole range.
  const perPerformance = new Map<string, Counts>();
  const perDay = new Map(buckets.map(([day]) => [day, zero()]));
  for (const cell of cells) {
    perPerformance.set(cell.performanceId, add(perPerformance.get(cell.performanceId) ?? zero(), cell.counts));
    perDay.set(cell.day, add(perDay.get(cell.day)!, cell.counts));
  }
  for (const [id, series] of distinctSeries) {
    const counts = perPerformance.get(id);
    if (counts) Object.assign(counts, series);
  }

  if (options.eventId && events.length === 0) throw new DomainError('NOT_FOUND', 'No such event', 'eventId');
  const currencyOf = new Map(events.map((e) => [e.id, e.currency]));
  const byPerformance: OrganizerStats['byPerformance'] = [];
  const eventCounts = new Map<string, Counts>();
  for (const p of performances) {
    const counts = perPerformance.get(p.id);
    if (!counts || isEmpty(counts)) continue;
    byPerformance.push({ performanceId: p.id, eventId: p.event_id, startsAt: p.starts_at, currency: currencyOf.get(p.event_id)!, ...metrics(counts, null) });
    eventCounts.set(p.event_id, add(eventCounts.get(p.event_id) ?? zero(), counts));
  }
  const viewsByEvent = new Map<string, number>();
  const viewsByDay = new Map<string, number>();
  for (const v of views) {
    viewsByEvent.set(v.event_id, (viewsByEvent.get(v.event_id) ?? 0) + v.views);
    viewsByDay.set(v.day, (viewsByDay.get(v.day) ?? 0) + v.views);
  }

  const byEvent = events
    .filter((e) => options.eventId || eventCounts.has(e.id) || viewsByEvent.has(e.id))
    .map((e) => ({
      eventId: e.id,
      slug: e.slug,
      title: e.title,
      currency: e.currency,
      ...metrics(eventCounts.get(e.id) ?? zero(), viewsByEvent.get(e.id) ?? 0),
    }));

  const currencies = [...new Set(byEvent.map((e) => e.currency))].sort();
  const currency = currencies.length <= 1 ? (currencies[0] ?? events[0]?.currency ?? null) : null;
  const single = currencies.length <= 1;
  const totalCounts = [...eventCounts.values()].reduce(add, zero());
  const totalViews = [...viewsByEvent.values()].reduce((a, b) => a + b, 0);
  const totalsByCurrency = currencies.map((c) => {
    const of = byEvent.filter((e) => e.currency === c);
    const sum = (k: 'orders' | 'revenue' | 'recoveredOrders' | 'recoveredRevenue') => of.reduce((a, e) => a + (e[k] ?? 0), 0);
    return { currency: c, orders: sum('orders'), revenue: sum('revenue'), recoveredOrders: sum('recoveredOrders'), recoveredRevenue: sum('recoveredRevenue') };
  });

  return {
    range: { from: options.from, to: options.to, timeZone, start, end },
    currency,
    totals: metrics(totalCounts, totalViews, single),
    totalsByCurrency,
    byEvent,
    byPerformance,
    daily: [...perDay].map(([day, counts]) => ({ day, ...metrics(counts, viewsByDay.get(day) ?? 0, single) })),
  };
}

function metrics(c: Counts, views: number | null, singleCurrency = true): Metrics {
  // Recovered orders and abandonments count on their own days, so a short bucket can recover
  // more carts than it saw abandoned; the rate is capped at 1 and both counts are reported.
  const recoveryRate = c.abandonedWithEmail === 0 ? 0 : Math.min(1, c.recoveredOrders / c.abandonedWithEmail);
  return {
    ...c,
    views,
    recoveryRate,
    revenue: singleCurrency ? c.revenue : null,
    recoveredRevenue: singleCurrency ? c.recoveredRevenue : null,
  };
}

const zero = (): Counts => ({
  cartsStarted: 0,
  cartsWithEmail: 0,
  abandoned: 0,
  abandonedWithEmail: 0,
  remindedByStep: Array(MAX_REMINDER_STEPS).fill(0),
  reminded: 0,
  clicked: 0,
  orders: 0,
  revenue: 0,
  recoveredOrders: 0,
  recoveredRevenue: 0,
  attendance: 0,
});

function add(a: Counts, b: Counts): Counts {
  const sum = { ...a };
  for (const key of Object.keys(a) as (keyof Counts)[]) {
    if (key !== 'remindedByStep') (sum[key] as number) = a[key] + b[key];
  }
  sum.remindedByStep = a.remindedByStep.map((n, i) => n + (b.remindedByStep[i] ?? 0));
  return sum;
}

const isEmpty = (c: Counts) => Object.values(c).every((v) => (Array.isArray(v) ? v.every((n) => n === 0) : v === 0));

/** [day, start, end) of each local day from..to, as UTC instants. */
export function dayBuckets(from: string, to: string, timeZone: string): [string, string, string][] {
  const buckets: [string, string, string][] = [];
  const offset = offsetFinder(timeZone);
  const midnight = (day: number) => {
    // Local midnight: the wall-clock instant shifted by the zone's offset at (about) that time.
    const guess = day - offset(day);
    return new Date(day - offset(guess)).toISOString();
  };
  for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`); day += 86_400_000) {
    buckets.push([new Date(day).toISOString().slice(0, 10), midnight(day), midnight(day + 86_400_000)]);
  }
  return buckets;
}

function offsetFinder(timeZone: string) {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (instant: number) => {
    const part = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
    return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!) - instant;
  };
}
