// GET /api/console/v1/stats — the recovery funnel for a date range, as JSON (console charts and
// API-key clients) or as a CSV download of the same numbers. Mounted behind console auth, which
// puts the organizer on the context; every number is scoped by it.
import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError, invalidInput } from '../platform/errors.ts';
import type { Metrics, OrganizerStats } from '../contracts/stats.ts';
import { organizerStats } from './stats.ts';
import type { Store } from '../store.ts';
import type { ViewCounter } from './view-counter.ts';
import type { ConsoleEnv } from '../console/env.ts';

const MAX_DAYS = 366;
const DAY = 86_400_000;

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Not a calendar date');
const statsQuery = z.object({
  from: date.optional(),
  to: date.optional(),
  eventId: z.string().min(1).max(64).optional(),
  timeZone: z.string().max(64).refine(isTimeZone, 'Unknown time zone').optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export function consoleStatsApi(store: Store, views?: ViewCounter) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => {
    const parsed = statsQuery.safeParse(c.req.query());
    if (!parsed.success) throw invalidInput(parsed.error);
    const { eventId, timeZone = 'UTC', format } = parsed.data;
    const today = localDate(store.now(), timeZone);
    const to = parsed.data.to ?? today;
    const from = parsed.data.from ?? shift(to, -29);
    if (from > to) throw new DomainError('VALIDATION', '"from" must not be after "to"', 'from');
    if (Date.parse(to) - Date.parse(from) >= MAX_DAYS * DAY) throw new DomainError('VALIDATION', `At most ${MAX_DAYS} days at once`, 'from');

    await views?.flush();
    const stats = await organizerStats(store.db, c.var.organizerId, { from, to, eventId, timeZone });
    c.header('Cache-Control', 'no-store');
    if (format === 'json') return c.json(stats);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="encore-stats-${from}-${to}.csv"`);
    return c.body(toCsv(stats));
  });

  return app;
}

const STEP_COLUMNS = (n: number) => Array.from({ length: n }, (_, i) => `reminded_step_${i}`);
const METRIC_COLUMNS = (steps: number) => [
  'views',
  'carts_started',
  'carts_with_email',
  'abandoned',
  'abandoned_with_email',
  ...STEP_COLUMNS(steps),
  'reminded',
  'clicked',
  'recovered_orders',
  'recovered_revenue_minor',
  'recovery_rate',
  'orders',
  'revenue_minor',
  'attendance',
];

/** Totals, then each event, then each performance; money in minor units of the row's currency. */
export function toCsv(stats: OrganizerStats): string {
  const steps = stats.totals.remindedByStep.length;
  const header = ['row', 'event_id', 'event_slug', 'event_title', 'performance_id', 'starts_at', 'currency', ...METRIC_COLUMNS(steps)];
  const values = (m: Metrics) => [
    m.views,
    m.cartsStarted,
    m.cartsWithEmail,
    m.abandoned,
    m.abandonedWithEmail,
    ...m.remindedByStep,
    m.reminded,
    m.clicked,
    m.recoveredOrders,
    m.recoveredRevenue,
    m.recoveryRate.toFixed(4),
    m.orders,
    m.revenue,
    m.attendance,
  ];
  const titles = new Map(stats.byEvent.map((e) => [e.eventId, e]));
  const rows: unknown[][] = [header, ['total', '', '', '', '', '', stats.currency, ...values(stats.totals)]];
  if (stats.currency === null) {
    // Several currencies: money cannot be added up across them, so each gets its own total row.
    for (const t of stats.totalsByCurrency) {
      const money = Object.fromEntries(METRIC_COLUMNS(steps).map((col) => [col, '']));
      Object.assign(money, { orders: t.orders, revenue_minor: t.revenue, recovered_orders: t.recoveredOrders, recovered_revenue_minor: t.recoveredRevenue });
      rows.push(['total', '', '', '', '', '', t.currency, ...METRIC_COLUMNS(steps).map((col) => money[col])]);
    }
  }
  for (const e of stats.byEvent) rows.push(['event', e.eventId, e.slug, e.title, '', '', e.currency, ...values(e)]);
  for (const p of stats.byPerformance) {
    const e = titles.get(p.eventId);
    rows.push(['performance', p.eventId, e?.slug ?? '', e?.title ?? '', p.performanceId, p.startsAt, p.currency, ...values(p)]);
  }
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * RFC 4180 quoting, and text that a spreadsheet would run as a formula (organizer-typed titles)
 * is prefixed with a quote so it shows as text (OWASP's CSV injection advice).
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
