// Taking things out of use through the console API. Delete: only what never sold, with the carts
// that looked at it (no foreign key left dangling, no reminder left queued). Archive: gone from
// the widget and the default lists, not on sale, still in the stats, restorable. Every statement
// of both reads the history tables through an index.
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { type Db, openDatabase } from '../../server/platform/db/database.ts';
import { isPostgres } from '../../server/platform/db/engine.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { hotPathServer } from '../support/hot-path-work.ts';
import { queryPlans, recordingDatabase } from '../support/query-plans.ts';
import { Clock, freshDatabase, makeEvent } from '../support/world.ts';

async function setUp() {
  const clock = new Clock();
  const fresh = await freshDatabase();
  const fx = await makeEvent(fresh.db, clock.now(), { capacity: 20 });
  await fresh.db.destroy();
  const { db: recorded, statements } = recordingDatabase(fresh.path);
  // The test's own look at the rows goes through another handle, so only the server's statements are checked.
  const db = openDatabase(fresh.path);
  const s = hotPathServer(recorded, clock.now);
  const { key } = await createApiKey(db, fx.organizerId, 'test', clock.now());
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await s.app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: each assertion reads the fields it checks
    return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
  };
  const console_ = (method: string, path: string, body?: unknown) => request(method, `/api/console/v1${path}`, body, { authorization: `Bearer ${key}` });
  const stranger = (await createApiKey(db, (await makeEvent(db, clock.now())).organizerId, 'test', clock.now())).key;
  const strangers = (method: string, path: string, body?: unknown) => request(method, `/api/console/v1${path}`, body, { authorization: `Bearer ${stranger}` });
  const days = (n: number) => new Date(clock.now().getTime() + n * 86_400_000).toISOString();
  /** A cart holding seats right now. */
  const hold = async (performanceId: string, items: { ticketTypeId: string; quantity: number }[]) => {
    const cart = await request('POST', '/api/v1/carts', { performanceId, items });
    expect(cart.status, JSON.stringify(cart.body)).toBe(201);
    const auth = { authorization: `Bearer ${cart.body.token}` };
    return { id: cart.body.id as string, read: () => request('GET', `/api/v1/carts/${cart.body.id}`, undefined, auth) };
  };
  const checkPlans = async () => {
    await Promise.all([recorded.destroy(), db.destroy()]);
    const scanning = (await queryPlans(fresh.path, statements)).filter((p) => p.scans.length > 0).map((p) => `${p.sql}\n  ${p.detail.join('\n  ')}`);
    expect(scanning).toEqual([]);
  };
  return { clock, db, fx, s, request, console: console_, strangers, days, hold, checkPlans };
}

// PostgreSQL checks every foreign key as it is written (a delete that would leave one dangling
// fails); SQLite is asked to check them all.
const danglingKeys = async (db: Db) => (isPostgres(db) ? [] : (await sql`pragma foreign_key_check`.execute(db)).rows);
const count = async (db: Db, table: 'carts' | 'reminder_series' | 'outbox' | 'holds' | 'inventory') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('delete: what never sold goes with the carts that looked at it; what sold is 409 HAS_SALES', async () => {
  const { clock, db, fx, s, request, console, strangers, days, hold, checkPlans } = await setUp();
  const second = (await console('POST', `/events/${fx.eventId}/performances`, { startsAt: days(5) })).body.id as string;
  await s.purchase({ slug: fx.slug, performanceId: second, ticketTypeId: fx.standard }, 'buyer@example.com', 'k1');
  // Another organizer cannot touch any of it, nor learn that it exists.
  for (const path of [`/ticket-types/${fx.free}`, `/performances/${fx.performanceId}`, `/events/${fx.eventId}`]) {
    expect((await strangers('DELETE', path)).status, path).toBe(404);
    expect((await strangers('PATCH', path, { archived: true })).status, path).toBe(404);
  }

  // On the first performance: a cart left with an email (abandoned, reminded) and one holding seats now.
  await s.leave({ slug: fx.slug, performanceId: fx.performanceId, ticketTypeId: fx.standard }, 'anna@example.com');
  clock.advance(31);
  await s.jobs.runOnce();
  clock.advance(61);
  await s.jobs.runOnce();
  expect(s.sent.map((m) => m.to)).toEqual(['anna@example.com']);
  const live = await hold(fx.performanceId, [
    { ticketTypeId: fx.standard, quantity: 1 },
    { ticketTypeId: fx.free, quantity: 2 },
  ]);

  for (const path of [`/ticket-types/${fx.standard}`, `/performances/${second}`, `/events/${fx.eventId}`]) {
    const refused = await console('DELETE', path);
    expect(refused.status, path).toBe(409);
    expect(refused.body.error.code).toBe('HAS_SALES');
  }

  // A ticket type nobody bought: it leaves the cart that held it, whose other seats stay held.
  expect((await console('DELETE', `/ticket-types/${fx.free}`)).status).toBe(204);
  const kept = (await live.read()).body;
  expect(kept.items.map((i: { ticketTypeId: string }) => i.ticketTypeId)).toEqual([fx.standard]);
  expect(kept.holdActive).toBe(true);
  const seats = await db.selectFrom('inventory').selectAll().where('performance_id', '=', fx.performanceId).execute();
  expect(seats).toEqual([{ performance_id: fx.performanceId, ticket_type_id: fx.standard, sold: 0, held: 1 }]);
  expect((await request('GET', `/api/v1/events/${fx.slug}`)).body.performances[0].ticketTypes.map((t: { id: string }) => t.id)).toEqual([fx.standard]);

  // A performance nobody bought: its carts, holds, series and queued reminders go with it.
  expect((await console('DELETE', `/performances/${fx.performanceId}`)).status).toBe(204);
  expect((await live.read()).status).toBe(404);
  expect(await count(db, 'carts')).toBe(1); // the buyer's, on the other performance
  expect(await count(db, 'reminder_series')).toBe(0);
  expect(await count(db, 'outbox')).toBe(0);
  expect(await count(db, 'holds')).toBe(0);
  const detail = (await console('GET', `/events/${fx.eventId}`)).body;
  expect(detail.performances.map((p: { id: string }) => p.id)).toEqual([second]);
  expect(detail.ticketTypes.map((t: { id: string; hasSales: boolean }) => [t.id, t.hasSales])).toEqual([[fx.standard, true]]);

  // A whole event nobody bought from, with a cart holding seats.
  const other = (await console('POST', '/events', { slug: 'other', title: 'Other', timeZone: 'UTC', currency: 'EUR' })).body;
  const performance = (await console('POST', `/events/${other.id}/performances`, { startsAt: days(3) })).body;
  const type = (await console('POST', `/events/${other.id}/ticket-types`, { name: 'Seat', price: 100, capacity: 5 })).body;
  await hold(performance.id, [{ ticketTypeId: type.id, quantity: 2 }]);
  expect((await request('GET', '/api/v1/events/other')).status).toBe(200);
  expect((await console('DELETE', `/events/${other.id}`)).status).toBe(204);
  expect((await request('GET', '/api/v1/events/other')).status).toBe(404);
  expect((await console('GET', `/events/${other.id}`)).status).toBe(404);
  expect((await console('GET', '/events')).body.events.map((e: { id: string }) => e.id)).toEqual([fx.eventId]);

  expect(await danglingKeys(db)).toEqual([]);
  await checkPlans();
});

test('archive: off the widget and not on sale, reminders stopped, gone from the default list, kept in the stats, restorable', async () => {
  const { clock, db, fx, s, request, console, days, hold, checkPlans } = await setUp();
  const second = (await console('POST', `/events/${fx.eventId}/performances`, { startsAt: days(5) })).body.id as string;
  await s.purchase({ slug: fx.slug, performanceId: fx.performanceId, ticketTypeId: fx.standard }, 'buyer@example.com', 'k1');
  await s.leave({ slug: fx.slug, performanceId: second, ticketTypeId: fx.standard }, 'anna@example.com');
  clock.advance(31);
  await s.jobs.runOnce();
  const live = await hold(fx.performanceId, [{ ticketTypeId: fx.free, quantity: 2 }]);
  const bootstrap = async () => (await request('GET', `/api/v1/events/${fx.slug}`)).body;

  // A ticket type: off the widget, out of the carts that held it (its seats free again).
  const archivedType = await console('PATCH', `/ticket-types/${fx.free}`, { archived: true });
  expect(archivedType.status).toBe(200);
  expect(archivedType.body.archivedAt).toBe(clock.now().toISOString());
  expect((await bootstrap()).performances[0].ticketTypes.map((t: { id: string }) => t.id)).toEqual([fx.standard]);
  expect((await live.read()).body).toMatchObject({ items: [], holdActive: false });
  const refused = await request('POST', '/api/v1/carts', { performanceId: fx.performanceId, items: [{ ticketTypeId: fx.free, quantity: 1 }] });
  expect(refused.body.error).toMatchObject({ code: 'VALIDATION', field: 'items.0.ticketTypeId' });
  expect((await console('PATCH', `/ticket-types/${fx.free}`, { archived: false })).body.archivedAt).toBeNull();
  expect((await bootstrap()).performances[0].ticketTypes.map((t: { id: string; available: number }) => [t.id, t.available])).toEqual([
    [fx.standard, 18],
    [fx.free, 5],
  ]);

  // A performance: off the widget, no new carts, its reminders stopped.
  const archivedShow = await console('PATCH', `/performances/${second}`, { archived: true });
  expect(archivedShow.body).toMatchObject({ archivedAt: clock.now().toISOString(), onSale: false, salesPaused: false });
  expect((await bootstrap()).performances.map((p: { id: string }) => p.id)).toEqual([fx.performanceId]);
  const closed = await request('POST', '/api/v1/carts', { performanceId: second, items: [{ ticketTypeId: fx.standard, quantity: 1 }] });
  expect(closed.body.error.code).toBe('SALES_CLOSED');
  expect(await db.selectFrom('reminder_series').select(['status', 'stop_reason']).execute()).toEqual([{ status: 'stopped', stop_reason: 'archived' }]);
  clock.advance(61);
  await s.jobs.runOnce();
  expect(s.sent).toEqual([]);
  const detail = (await console('GET', `/events/${fx.eventId}`)).body;
  expect(detail.event.hasSales).toBe(true);
  expect(detail.performances.map((p: { id: string; hasSales: boolean; archivedAt: string | null }) => [p.id, p.hasSales, p.archivedAt !== null])).toEqual([
    [fx.performanceId, true, false],
    [second, false, true],
  ]);

  // The event: not found by the widget, not on sale, out of the default list, still in the stats.
  await console('PATCH', `/events/${fx.eventId}`, { archived: true });
  expect((await request('GET', `/api/v1/events/${fx.slug}`)).status).toBe(404);
  const noSale = await request('POST', '/api/v1/carts', { performanceId: fx.performanceId, items: [{ ticketTypeId: fx.standard, quantity: 1 }] });
  expect(noSale.body.error.code).toBe('SALES_CLOSED');
  const ids = async (query: string) => (await console('GET', `/events${query}`)).body.events.map((e: { id: string }) => e.id);
  expect(await ids('')).toEqual([]);
  expect(await ids('?archived=only')).toEqual([fx.eventId]);
  expect(await ids('?archived=include')).toEqual([fx.eventId]);
  expect((await console('GET', '/events?archived=maybe')).body.error).toMatchObject({ code: 'VALIDATION', field: 'archived' });
  const stats = (await console('GET', '/stats')).body;
  expect(stats.byEvent).toEqual([expect.objectContaining({ eventId: fx.eventId, orders: 1 })]);
  expect((await console('DELETE', `/events/${fx.eventId}`)).body.error.code).toBe('HAS_SALES');

  // Restored: back on sale, with the performance that is still archived left out.
  expect((await console('PATCH', `/events/${fx.eventId}`, { archived: false })).body.archivedAt).toBeNull();
  expect((await bootstrap()).performances.map((p: { id: string; onSale: boolean }) => [p.id, p.onSale])).toEqual([[fx.performanceId, true]]);
  expect(await ids('')).toEqual([fx.eventId]);
  await checkPlans();
});
