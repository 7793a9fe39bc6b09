import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import type { ConsoleEnv } from '../../server/console/env.ts';
import { consoleStatsApi } from '../../server/stats/routes.ts';
import { onError } from '../../server/platform/http/errors.ts';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { dayBuckets } from '../../server/stats/stats.ts';
import { makeEvent, bearer } from '../support/world.ts';
import { recoveryWorld, resumeTokenFrom } from '../support/recovery-world.ts';

// The stats sub-app on a bare Hono: a stand-in middleware puts the organizer on the context the
// way console auth does (auth itself is tested with the console routes).
function statsClient(w: Awaited<ReturnType<typeof recoveryWorld>>, organizerId = w.organizerId) {
  const app = new Hono<ConsoleEnv>();
  app.onError(onError((line) => w.logs.push(line)));
  app.use('*', async (c, next) => {
    c.set('organizerId', organizerId);
    c.set('userId', null);
    await next();
  });
  app.route('/stats', consoleStatsApi({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now }, w.views));
  return async (query: string) => {
    const res = await app.request(`/stats?${query}`);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
  };
}

/** Two renders, four carts: one recovered through its reminder link, one reminded twice and never back, one without email, one bought at once. */
async function scriptedWorld() {
  const w = await recoveryWorld({ startsInDays: 10, capacity: 20 });
  const first = await w.call('GET', `/api/v1/events/${w.slug}`);
  const again = await w.app.request(`/api/v1/events/${w.slug}`, { headers: { 'if-none-match': first.headers.get('etag')! } });
  expect(again.status).toBe(304);

  await w.leaveCart({ email: 'back@example.com' });
  await w.leaveCart({ email: 'gone@example.com' });
  await w.leaveCart({});
  const direct = await w.leaveCart({ email: 'direct@example.com', quantity: 1 });
  expect((await w.call('POST', `/api/v1/carts/${direct.id}/checkout`, {}, direct.auth)).status).toBe(201);

  await w.after(31); // three carts abandoned at 09:30
  await w.after(60); // first reminders at 10:31
  const mail = w.inbox().find((m) => m.to.includes('back@example.com'))!;
  const resumed = await w.call('POST', '/api/v1/resume', { token: resumeTokenFrom(mail) });
  expect(resumed.status).toBe(200);
  const order = await w.call('POST', `/api/v1/carts/${resumed.body.cart.id}/checkout`, {}, bearer(resumed.body.cart.token));
  expect(order.status).toBe(201);
  // Both are box-office reservations; the box office takes the money (stats count paid money).
  await w.db.updateTable('orders').set({ status: 'paid' }).where('status', '=', 'reserved').execute();
  await w.after(60 * 24); // gone@ gets the second reminder on 12-02
  expect(
    w
      .inbox()
      .map((m) => m.to[0])
      .sort(),
  ).toEqual(['back@example.com', 'gone@example.com', 'gone@example.com']);
  return w;
}

const metrics = (m: Record<string, unknown>) => ({
  cartsStarted: m.cartsStarted,
  cartsWithEmail: m.cartsWithEmail,
  abandoned: m.abandoned,
  abandonedWithEmail: m.abandonedWithEmail,
  remindedByStep: m.remindedByStep,
  reminded: m.reminded,
  clicked: m.clicked,
  recoveredOrders: m.recoveredOrders,
  recoveredRevenue: m.recoveredRevenue,
  recoveryRate: m.recoveryRate,
  orders: m.orders,
  revenue: m.revenue,
  attendance: m.attendance,
});

const TOTAL = {
  cartsStarted: 4,
  cartsWithEmail: 3,
  abandoned: 3,
  abandonedWithEmail: 2,
  remindedByStep: [2, 1, 0, 0, 0],
  reminded: 2,
  clicked: 1,
  recoveredOrders: 1,
  recoveredRevenue: 300000,
  recoveryRate: 0.5,
  orders: 2,
  revenue: 450000,
  attendance: 0,
};

describe('stats from a scripted funnel', () => {
  test('an order counts once paid or reserved; its money, recovered or not, once paid', async () => {
    const w = await scriptedWorld();
    const stats = statsClient(w);
    const orders = await w.db.selectFrom('orders').select(['id', 'recovered_via']).orderBy('created_at').execute();
    const set = (id: string, status: 'reserved' | 'pending_payment' | 'expired') => w.db.updateTable('orders').set({ status }).where('id', '=', id).execute();
    await set(orders.find((o) => o.recovered_via)!.id, 'reserved');
    let totals = (await stats('from=2026-12-01&to=2026-12-02')).body.totals;
    expect(totals).toMatchObject({ orders: 2, revenue: 150000, recoveredOrders: 1, recoveredRevenue: 0 });
    await set(orders.find((o) => !o.recovered_via)!.id, 'pending_payment');
    await set(orders.find((o) => o.recovered_via)!.id, 'expired');
    totals = (await stats('from=2026-12-01&to=2026-12-02')).body.totals;
    expect(totals).toMatchObject({ orders: 0, revenue: 0, recoveredOrders: 0, recoveredRevenue: 0 });
  });

  test('every metric, per event, per performance and per day; unchanged after PII erasure', async () => {
    const w = await scriptedWorld();
    const stats = statsClient(w);
    const res = await stats('from=2026-12-01&to=2026-12-02');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.currency).toBe('RUB');
    expect(body.totals).toEqual({ views: 2, ...TOTAL });
    expect(body.byEvent).toEqual([{ eventId: w.eventId, slug: w.slug, title: 'Hamlet', currency: 'RUB', views: 2, ...TOTAL }]);
    expect(body.byPerformance).toEqual([
      { performanceId: w.performanceId, eventId: w.eventId, startsAt: w.startsAt.toISOString(), currency: 'RUB', views: null, ...TOTAL },
    ]);
    expect(body.daily.map((d: Record<string, unknown>) => ({ day: d.day, views: d.views, ...metrics(d) }))).toEqual([
      { day: '2026-12-01', views: 2, ...TOTAL, remindedByStep: [2, 0, 0, 0, 0] },
      {
        day: '2026-12-02',
        views: 0,
        cartsStarted: 0,
        cartsWithEmail: 0,
        abandoned: 0,
        abandonedWithEmail: 0,
        remindedByStep: [0, 1, 0, 0, 0],
        reminded: 1,
        clicked: 0,
        recoveredOrders: 0,
        recoveredRevenue: 0,
        recoveryRate: 0,
        orders: 0,
        revenue: 0,
        attendance: 0,
      },
    ]);
    expect((await stats('from=2026-12-02&to=2026-12-02')).body.totals).toMatchObject({ cartsStarted: 0, reminded: 1, remindedByStep: [0, 1, 0, 0, 0] });

    // Retention erases the buyer details of the carts that never became orders; the counts stay.
    await w.after(60 * 24 * 60);
    const erased = await w.db.selectFrom('carts').select(['buyer_email', 'pii_erased_at']).where('status', '=', 'open').execute();
    expect(erased).toHaveLength(2);
    expect(erased.every((c) => c.buyer_email === null && c.pii_erased_at !== null)).toBe(true);
    expect((await stats('from=2026-12-01&to=2026-12-02')).body).toEqual(body);
  });

  test('days are local days of the time zone; an event filter; validation', async () => {
    const w = await scriptedWorld();
    const stats = statsClient(w);
    // In Vladivostok (UTC+10) the carts of 09:00Z and the first reminders (10:31Z) fall on 12-01
    // local evening too, but the second reminder at 10:31Z on 12-02 is 20:31 local on 12-02.
    expect(dayBuckets('2026-12-01', '2026-12-01', 'Asia/Vladivostok')).toEqual([['2026-12-01', '2026-11-30T14:00:00.000Z', '2026-12-01T14:00:00.000Z']]);
    const local = await stats('from=2026-12-01&to=2026-12-02&timeZone=Asia/Vladivostok');
    expect(local.body.range).toMatchObject({ start: '2026-11-30T14:00:00.000Z', end: '2026-12-02T14:00:00.000Z' });
    expect(local.body.totals).toMatchObject({ cartsStarted: 4, remindedByStep: [2, 1, 0, 0, 0] });

    expect((await stats(`from=2026-12-01&to=2026-12-02&eventId=${w.eventId}`)).body.totals).toMatchObject(TOTAL);
    const other = await makeEvent(w.db, w.clock.now());
    expect((await stats(`eventId=${other.eventId}`)).status).toBe(404);

    const bad = async (query: string, field: string) => {
      const res = await stats(query);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION', field });
    };
    await bad('from=2026-12-03&to=2026-12-01', 'from');
    await bad('from=2025-12-01&to=2026-12-02', 'from');
    await bad('from=2026-02-30&to=2026-03-01', 'from');
    await bad('from=yesterday', 'from');
    await bad('format=xml', 'format');
    await bad('timeZone=Mars/Olympus', 'timeZone');
    expect((await stats('from=2025-12-02&to=2026-12-02')).status).toBe(200);
    // Default: the last 30 days up to today.
    expect((await stats('')).body.range).toMatchObject({ from: '2026-11-03', to: '2026-12-02' });
  });

  test('CSV: a header, totals, events and performances; titles cannot become formulas', async () => {
    const w = await scriptedWorld();
    await w.db.updateTable('events').set({ title: '=HYPERLINK("x")' }).where('id', '=', w.eventId).execute();
    const res = await statsClient(w)('from=2026-12-01&to=2026-12-02&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="encore-stats-2026-12-01-2026-12-02.csv"');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'row,event_id,event_slug,event_title,performance_id,starts_at,currency,views,carts_started,carts_with_email,abandoned,abandoned_with_email,' +
        'reminded_step_0,reminded_step_1,reminded_step_2,reminded_step_3,reminded_step_4,reminded,clicked,recovered_orders,recovered_revenue_minor,recovery_rate,orders,revenue_minor,attendance',
    );
    expect(lines[1]).toBe('total,,,,,,RUB,2,4,3,3,2,2,1,0,0,0,2,1,1,300000,0.5000,2,450000,0');
    expect(lines[2]).toBe(`event,${w.eventId},${w.slug},"'=HYPERLINK(""x"")",,,RUB,2,4,3,3,2,2,1,0,0,0,2,1,1,300000,0.5000,2,450000,0`);
    expect(lines[3]).toBe(
      `performance,${w.eventId},${w.slug},"'=HYPERLINK(""x"")",${w.performanceId},${w.startsAt.toISOString()},RUB,,4,3,3,2,2,1,0,0,0,2,1,1,300000,0.5000,2,450000,0`,
    );
  });
});
