// Box-office reservations expire: the organizer's limits (hours after booking, hours before the
// show) set the order's expires_at at checkout, and the recovery loop's expire job releases the
// seats of a reservation left unpaid, as it does for an online order whose payment time ran out.
import { expect, test } from 'vitest';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { expireUnpaidOrders } from '../../server/payments/lifecycle.ts';
import { bearer, world, type EventOptions } from '../support/world.ts';

type Limits = { hoursAfterBooking?: number | null; hoursBeforeShow?: number | null };

/** A box-office organizer (no online provider) with these reservation limits. */
async function boxOffice(reservation: Limits = {}, o: EventOptions = {}) {
  const w = await world({ capacity: 4, ...o, settings: { payments: { reservation } } });
  const { key } = await createApiKey(w.db, w.organizerId, 'desk', w.clock.now());
  await w.db
    .insertInto('webhook_endpoints')
    .values({
      id: 'whe_test',
      organizer_id: w.organizerId,
      url: 'https://crm.example/hook',
      secret: 'whsec_test',
      events: JSON.stringify(['order.paid', 'order.expired']),
      active: 1,
      created_at: w.clock.now().toISOString(),
    })
    .execute();
  const available = async () => (await w.call('GET', `/api/v1/events/${w.slug}`)).body.performances[0].ticketTypes[0].available as number;
  const expire = () => expireUnpaidOrders({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now });
  const webhooks = async () => (await w.db.selectFrom('webhook_deliveries').select('event_type').orderBy('id').execute()).map((d) => d.event_type);
  const desk = (method: string, path: string) => w.call(method, `/api/console/v1${path}`, undefined, bearer(key));
  async function reserve(quantity = 2) {
    const cart = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity }] });
    const auth = bearer(cart.body.token);
    await w.call('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
    const done = await w.call('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, auth);
    const order = async () => (await w.call('GET', `/api/v1/carts/${cart.body.id}/order`, undefined, auth)).body;
    return { ...done, order };
  }
  return { ...w, available, expire, webhooks, desk, reserve };
}

const hours = (w: { clock: { now(): Date } }, h: number) => new Date(w.clock.now().getTime() + h * 3_600_000).toISOString();

async function consoleSettings(w: Awaited<ReturnType<typeof world>>) {
  const { key } = await createApiKey(w.db, w.organizerId, 'test', w.clock.now());
  return (method: string, body?: unknown) => w.call(method, '/api/console/v1/settings', body, { authorization: `Bearer ${key}` });
}

test('reservation limits: defaults, set field by field through the console, null for no limit, bad values refused by field', async () => {
  const w = await world();
  const settings = await consoleSettings(w);
  expect((await settings('GET')).body.payments.reservation).toEqual({ hoursAfterBooking: 72, hoursBeforeShow: 2 });

  const one = await settings('PATCH', { payments: { reservation: { hoursBeforeShow: 24 } } });
  expect(one.status).toBe(200);
  expect(one.body.payments.reservation).toEqual({ hoursAfterBooking: 72, hoursBeforeShow: 24 });
  const none = await settings('PATCH', { payments: { reservation: { hoursAfterBooking: null } } });
  expect(none.body.payments.reservation).toEqual({ hoursAfterBooking: null, hoursBeforeShow: 24 });
  expect((await settings('GET')).body.payments.reservation).toEqual({ hoursAfterBooking: null, hoursBeforeShow: 24 });

  for (const [reservation, field] of [
    [{ hoursAfterBooking: 0 }, 'payments.reservation.hoursAfterBooking'],
    [{ hoursAfterBooking: 1.5 }, 'payments.reservation.hoursAfterBooking'],
    [{ hoursBeforeShow: -1 }, 'payments.reservation.hoursBeforeShow'],
    [{ hoursBeforeShow: '2' }, 'payments.reservation.hoursBeforeShow'],
    [{ hoursAfterBooking: 100_000 }, 'payments.reservation.hoursAfterBooking'],
    [{ daysBefore: 1 }, 'payments.reservation.daysBefore'],
  ] as const) {
    const res = await settings('PATCH', { payments: { reservation } });
    expect(res.status, JSON.stringify(reservation)).toBe(400);
    expect(JSON.stringify(res.body.error), JSON.stringify(reservation)).toContain(field);
  }
  expect((await settings('GET')).body.payments.reservation).toEqual({ hoursAfterBooking: null, hoursBeforeShow: 24 });
});

test('a reservation holds its seats until the earlier limit, then the expire job releases them (order.expired); a later one waits', async () => {
  const w = await boxOffice({}, { startsInDays: 3 });
  // The show is 72 h away: 2 h before it (70 h) comes before 72 h after booking.
  const first = await w.reserve();
  expect(first.status).toBe(201);
  expect(first.body.order).toMatchObject({ status: 'reserved', paymentMethod: 'box_office', expiresAt: hours(w, 70) });
  expect((await first.order()).expiresAt).toBe(hours(w, 70));
  expect(await w.available()).toBe(2);

  w.clock.advance(69 * 60);
  expect(await w.expire()).toBe(0);
  expect((await first.order()).status).toBe('reserved');
  w.clock.advance(60);
  expect(await w.expire()).toBe(1);
  expect(await first.order()).toMatchObject({ status: 'expired', expiresAt: null, tickets: [] });
  expect(await w.available()).toBe(4);
  expect(await w.webhooks()).toEqual(['order.expired']);
  expect(await w.expire()).toBe(0);
});

test('hours after booking, when they end first; null limits: a reservation that never expires', async () => {
  const w = await boxOffice({ hoursAfterBooking: 24 }, { startsInDays: 10 });
  expect((await w.reserve(1)).body.order.expiresAt).toBe(hours(w, 24));
  const forever = await boxOffice({ hoursAfterBooking: null, hoursBeforeShow: null }, { startsInDays: 10 });
  const kept = await forever.reserve(1);
  expect(kept.body.order).toMatchObject({ status: 'reserved', expiresAt: null });
  forever.clock.advance(9 * 24 * 60);
  expect(await forever.expire()).toBe(0);
  expect((await kept.order()).status).toBe('reserved');
});

test('marked paid at the desk before it expires, a reservation is paid for good: the job leaves it alone', async () => {
  const w = await boxOffice({ hoursAfterBooking: 1 }, { startsInDays: 10 });
  const r = await w.reserve();
  const paid = await w.desk('POST', `/orders/${r.body.order.id}/mark-paid`);
  expect(paid.status).toBe(200);
  w.clock.advance(120);
  expect(await w.expire()).toBe(0);
  expect(await r.order()).toMatchObject({ status: 'paid', expiresAt: null });
  expect(await w.available()).toBe(2);
  expect(await w.webhooks()).toEqual(['order.paid']);
});

test('inside the hours before the show no reservation can be made: the cart cannot start, and one started before is refused at checkout with its seats still held', async () => {
  // The show starts in 90 minutes; online sales would close 30 minutes before it, reservations 2 h before.
  const w = await boxOffice({}, { startsInDays: 1.5 / 24 });
  const refused = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 2 }] });
  expect(refused.status).toBe(409);
  expect(refused.body.error).toMatchObject({ code: 'SALES_CLOSED' });
  // A cart started 2 h 5 min before the show, checked out 10 minutes later: refused, nothing sold.
  const early = await boxOffice({}, { startsInDays: (2 * 60 + 5) / (24 * 60) });
  const cart = await early.call('POST', '/api/v1/carts', { performanceId: early.performanceId, items: [{ ticketTypeId: early.standard, quantity: 2 }] });
  expect(cart.status).toBe(201);
  const auth = bearer(cart.body.token);
  await early.call('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  early.clock.advance(10);
  const late = await early.call('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, auth);
  expect(late.status).toBe(409);
  expect(late.body.error).toMatchObject({ code: 'SALES_CLOSED' });
  expect(await early.db.selectFrom('orders').select('id').execute()).toEqual([]);
  // Without that limit the same reservation is made, held until the booking limit or the show.
  const open = await boxOffice({ hoursBeforeShow: null }, { startsInDays: 1.5 / 24 });
  expect((await open.reserve()).body.order).toMatchObject({ status: 'reserved', expiresAt: hours(open, 72) });
});
