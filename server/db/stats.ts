// The stats queries. Each is one statement whose correlated subqueries each walk one range of a
// covering index (see migration 0004): a performance's rows in [start, end), or the organizer's
// rows in one day bucket. SQLite groups by sorting, and sorting a million carts costs seconds;
// these walks touch each counted row once and sort nothing but a bucket's distinct series.
//
// Bucket bounds arrive as one JSON parameter, [[key, startIso, endIso], ...], so a day can be a
// local day of any time zone (its bounds are computed by the caller).
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface StatsScope {
  organizerId: string;
  eventId?: string;
}

/** Raw counts for one performance or one bucket. Money in minor units of the event's currency. */
export interface Counts {
  cartsStarted: number;
  cartsWithEmail: number;
  abandoned: number;
  abandonedWithEmail: number;
  remindedByStep: number[];
  reminded: number;
  clicked: number;
  orders: number;
  revenue: number;
  recoveredOrders: number;
  recoveredRevenue: number;
}

export function listStatsCatalogue(db: Db, scope: StatsScope) {
  let events = db
    .selectFrom('events')
    .select(['id', 'slug', 'title', 'currency'])
    .where('organizer_id', '=', scope.organizerId)
    .orderBy('title')
    .orderBy('id');
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

const stepCounts = (maxSteps: number) =>
  sql.join(Array.from({ length: maxSteps }, (_, step) => sql`count(*) filter (where o.step = ${step})`));

/** Counts per performance of the scope, for activity in [start, end). */
export async function countsByPerformance(db: Db, scope: StatsScope, start: string, end: string, maxSteps: number) {
  const result = await sql<{ id: string; carts: string; abandoned: string; orders: string; reminders: string; clicked: number }>`
    select p.id,
      (select json_array(count(*), count(c.email_captured_at)) from carts c
        where c.performance_id = p.id and c.created_at >= ${start} and c.created_at < ${end}) as carts,
      (select json_array(count(*), count(c.email_captured_at)) from carts c
        where c.performance_id = p.id and c.abandoned_at >= ${start} and c.abandoned_at < ${end}) as abandoned,
      (select json_array(count(*), total(o.total), count(o.recovered_via), total(o.total) filter (where o.recovered_via is not null))
        from orders o where o.performance_id = p.id and o.created_at >= ${start} and o.created_at < ${end}) as orders,
      (select json_array(count(distinct o.series_id), ${stepCounts(maxSteps)})
        from reminder_series s join outbox o on o.series_id = s.id
        where s.performance_id = p.id and o.sent_at >= ${start} and o.sent_at < ${end}) as reminders,
      (select count(distinct k.series_id) from reminder_series s join reminder_clicks k on k.series_id = s.id
        where s.performance_id = p.id and k.clicked_at >= ${start} and k.clicked_at < ${end}) as clicked
    from performances p join events e on e.id = p.event_id
    where e.organizer_id = ${scope.organizerId} ${scope.eventId ? sql`and e.id = ${scope.eventId}` : sql``}
  `.execute(db);
  return new Map(result.rows.map((r) => [r.id, toCounts(r)]));
}

/** Counts per bucket (a day): the organizer's activity, or one event's. */
export async function countsByBucket(db: Db, scope: StatsScope, buckets: [string, string, string][], maxSteps: number) {
  // Narrowed to one event, rows are found through that event's performances (or their series);
  // otherwise through the organizer's time-ordered indexes.
  const eventPerformances = sql`(select id from performances where event_id = ${scope.eventId ?? null})`;
  const carts = scope.eventId ? sql`c.performance_id in ${eventPerformances}` : sql`c.organizer_id = ${scope.organizerId}`;
  const orders = scope.eventId ? sql`o.performance_id in ${eventPerformances}` : sql`o.organizer_id = ${scope.organizerId}`;
  const outboxOfEvent = scope.eventId
    ? sql`and o.series_id in (select id from reminder_series where performance_id in ${eventPerformances})`
    : sql``;
  const clicksOfEvent = scope.eventId ? sql`and s.event_id = ${scope.eventId}` : sql``;
  // Clicks are walked by time and their series looked up (cross join fixes that order: left to
  // itself, SQLite walks every series of the event for every day instead).
  const result = await sql<{ id: string; carts: string; abandoned: string; orders: string; reminders: string; clicked: number }>`
    select b.value ->> 0 as id,
      (select json_array(count(*), count(c.email_captured_at)) from carts c
        where ${carts} and c.created_at >= b.value ->> 1 and c.created_at < b.value ->> 2) as carts,
      (select json_array(count(*), count(c.email_captured_at)) from carts c
        where ${carts} and c.abandoned_at >= b.value ->> 1 and c.abandoned_at < b.value ->> 2) as abandoned,
      (select json_array(count(*), total(o.total), count(o.recovered_via), total(o.total) filter (where o.recovered_via is not null))
        from orders o where ${orders} and o.created_at >= b.value ->> 1 and o.created_at < b.value ->> 2) as orders,
      (select json_array(count(distinct o.series_id), ${stepCounts(maxSteps)}) from outbox o
        where o.organizer_id = ${scope.organizerId} and o.sent_at >= b.value ->> 1 and o.sent_at < b.value ->> 2 ${outboxOfEvent}) as reminders,
      (select count(distinct k.series_id) from reminder_clicks k cross join reminder_series s on s.id = k.series_id
        where k.clicked_at >= b.value ->> 1 and k.clicked_at < b.value ->> 2
          and s.organizer_id = ${scope.organizerId} ${clicksOfEvent}) as clicked
    from json_each(${JSON.stringify(buckets)}) b
    order by b.key
  `.execute(db);
  return result.rows.map((r) => ({ key: r.id, counts: toCounts(r) }));
}

function toCounts(r: { carts: string; abandoned: string; orders: string; reminders: string; clicked: number }): Counts {
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
    revenue: Math.round(revenue!),
    recoveredOrders: recoveredOrders!,
    // total() sums to a float (0.0 over no rows, never null); money is integral again here.
    recoveredRevenue: Math.round(recoveredRevenue ?? 0),
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

/** One widget render of the event with this slug on `day` (UTC). One statement, no read first. */
export function countWidgetView(db: Db, slug: string, day: string) {
  return db
    .insertInto('widget_views')
    .columns(['event_id', 'day', 'views'])
    .expression((eb) => eb.selectFrom('events').select(['id', eb.val(day).as('day'), eb.lit(1).as('views')]).where('slug', '=', slug))
    .onConflict((oc) => oc.columns(['event_id', 'day']).doUpdateSet({ views: sql`views + 1` }))
    .execute();
}
