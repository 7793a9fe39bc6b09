// The stats queries. Each correlated subquery walks one range of a covering index (see migrations
// 0004 and 0008): one performance's rows in [start, end) of one day, or of the whole range. SQLite
// groups by sorting, and sorting a million carts costs seconds; these walks touch each counted row
// once per query and sort nothing but a cell's distinct series.
//
// Day bounds arrive as one JSON parameter, [[key, startIso, endIso], ...], so a day can be a local
// day of any time zone (its bounds are computed by the caller).
import { sql, type RawBuilder } from 'kysely';
import type { Counts } from '../contracts/stats.ts';
import type { Db } from '../platform/db/database.ts';
import { jsonArray, jsonElements } from '../platform/db/engine.ts';

export interface StatsScope {
  organizerId: string;
  eventId?: string;
}

/** Raw counts for one performance or one bucket. Money in minor units of the event's currency. */
export function listStatsCatalogue(db: Db, scope: StatsScope) {
  let events = db.selectFrom('events').select(['id', 'slug', 'title', 'currency']).where('organizer_id', '=', scope.organizerId).orderBy('title').orderBy('id');
  if (scope.eventId) events = events.where('id', '=', scope.eventId);
  let performances = db
    .selectFrom('performances')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .select(['performances.id', 'performances.event_id', 'performances.starts_at'])
    .where('events.organizer_id', '=', scope.organizerId)
    .orderBy('performances.starts_at')
    .orderBy('performances.id');
  if (scope.eventId) performances = performances.where('events.id', '=', scope.eventId);
  return Promise.all([events.execute(), performances.execute()]);
}

const stepCounts = (maxSteps: number) => sql.join(Array.from({ length: maxSteps }, (_, step) => sql`count(*) filter (where o.step = ${step})`));

const inScope = (scope: StatsScope) => sql`e.organizer_id = ${scope.organizerId} ${scope.eventId ? sql`and e.id = ${scope.eventId}` : sql``}`;

/**
 * Counts per performance of the scope and day (a cell), for every pair. Everything adds up over
 * cells except the distinct series (reminded, clicked): a series reminded on two days counts on
 * both, so per performance and range those come from distinctSeriesByPerformance. Over the
 * performances of one day they do add up, since a series belongs to one performance.
 */
export async function countsByPerformanceAndDay(db: Db, scope: StatsScope, days: [string, string, string][], maxSteps: number) {
  const json = (...values: RawBuilder<unknown>[]) => jsonArray(db, values);
  const result = await sql<CountsRow & { performance_id: string; day: string }>`
    with d(key, since, until) as materialized (select value ->> 0, value ->> 1, value ->> 2 from ${jsonElements(db, JSON.stringify(days))})
    select p.id as performance_id, d.key as day,
      (select ${json(sql`count(*)`, sql`count(c.email_captured_at)`)} from carts c
        where c.performance_id = p.id and c.created_at >= d.since and c.created_at < d.until) as carts,
      (select ${json(sql`count(*)`, sql`count(c.email_captured_at)`)} from carts c
        where c.performance_id = p.id and c.abandoned_at >= d.since and c.abandoned_at < d.until) as abandoned,
      -- An order counts once paid or reserved at the box office; its money once paid, less what is
      -- refunded or being refunded (a fully refunded order is 'refunded' and counts for nothing).
      (select ${json(
        sql`count(*) filter (where o.status in ('paid', 'reserved'))`,
        sql`coalesce(sum(o.total - o.refunded_amount) filter (where o.status = 'paid'), 0)`,
        sql`count(o.recovered_via) filter (where o.status in ('paid', 'reserved'))`,
        sql`coalesce(sum(o.total - o.refunded_amount) filter (where o.recovered_via is not null and o.status = 'paid'), 0)`,
      )}
        from orders o where o.performance_id = p.id and o.created_at >= d.since and o.created_at < d.until) as orders,
      (select ${json(sql`count(distinct o.series_id)`, stepCounts(maxSteps))} from outbox o
        where o.performance_id = p.id and o.sent_at >= d.since and o.sent_at < d.until) as reminders,
      (select count(distinct k.series_id) from reminder_clicks k
        where k.performance_id = p.id and k.clicked_at >= d.since and k.clicked_at < d.until) as clicked,
      (select count(*) from checkins k
        where k.performance_id = p.id and k.scanned_at >= d.since and k.scanned_at < d.until) as attendance
    -- Performance by performance, day after day: each walk starts next to where the last ended.
    from performances p join events e on e.id = p.event_id cross join d
    where ${inScope(scope)}
  `.execute(db);
  return result.rows.map((r) => ({ performanceId: r.performance_id, day: r.day, counts: toCounts(r) }));
}

/**
 * Distinct series reminded and clicked per performance of the scope in [start, end). Reminders
 * are walked in series order (a performance's sent ones, times checked in the index), so SQLite
 * counts a series when it changes instead of keeping a temporary b-tree of all of them.
 */
export async function distinctSeriesByPerformance(db: Db, scope: StatsScope, start: string, end: string) {
  const result = await sql<{ id: string; reminded: number; clicked: number }>`
    select p.id,
      (select count(distinct o.series_id) from outbox o where o.performance_id = p.id and o.sent_at >= ${start} and o.sent_at < ${end}) as reminded,
      (select count(distinct k.series_id) from reminder_clicks k where k.performance_id = p.id and k.clicked_at >= ${start} and k.clicked_at < ${end}) as clicked
    from performances p join events e on e.id = p.event_id
    where ${inScope(scope)}
  `.execute(db);
  return new Map(result.rows.map((r) => [r.id, { reminded: Number(r.reminded), clicked: Number(r.clicked) }]));
}

interface CountsRow {
  carts: string;
  abandoned: string;
  orders: string;
  reminders: string;
  clicked: number;
  attendance: number;
}

function toCounts(r: CountsRow): Counts {
  const [cartsStarted, cartsWithEmail] = JSON.parse(r.carts) as number[];
  const [abandoned, abandonedWithEmail] = JSON.parse(r.abandoned) as number[];
  const [orders, revenue, recoveredOrders, recoveredRevenue] = JSON.parse(r.orders) as number[];
  const [reminded, ...remindedByStep] = JSON.parse(r.reminders) as number[];
  return {
    cartsStarted: cartsStarted!,
    cartsWithEmail: cartsWithEmail!,
    abandoned: abandoned!,
    abandonedWithEmail: abandonedWithEmail!,
    remindedByStep,
    reminded: reminded!,
    clicked: Number(r.clicked),
    orders: orders!,
    revenue: Number(revenue ?? 0),
    recoveredOrders: recoveredOrders!,
    recoveredRevenue: Number(recoveredRevenue ?? 0),
    attendance: Number(r.attendance),
  };
}

/** Widget views of the scope's events on UTC days fromDay..toDay inclusive. */
export function listWidgetViews(db: Db, scope: StatsScope, fromDay: string, toDay: string) {
  let q = db
    .selectFrom('widget_views')
    .innerJoin('events', 'events.id', 'widget_views.event_id')
    .select(['widget_views.event_id', 'widget_views.day', 'widget_views.views'])
    .where('events.organizer_id', '=', scope.organizerId)
    .where('widget_views.day', '>=', fromDay)
    .where('widget_views.day', '<=', toDay);
  if (scope.eventId) q = q.where('events.id', '=', scope.eventId);
  return q.execute();
}

/** Adds counted widget renders per event and UTC day, one upsert for all of them. */
export function addWidgetViews(db: Db, rows: { event_id: string; day: string; views: number }[]) {
  return db
    .insertInto('widget_views')
    .values(rows)
    .onConflict((oc) => oc.columns(['event_id', 'day']).doUpdateSet({ views: sql`widget_views.views + excluded.views` }))
    .execute();
}
