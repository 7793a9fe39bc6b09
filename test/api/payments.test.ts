// The order lifecycle with the built-in demo provider, through HTTP: checkout makes a pending
// order and a payment page; Pay, Decline, a duplicate notification, one after expiry, and a
// forged one. Seats stay exact throughout.
import { expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { signDemo } from '../../server/payments/demo.ts';
import { expireUnpaidOrders } from '../../server/payments/lifecycle.ts';
import { dueUnpaidOrders } from '../../server/payments/payments-db.ts';
import { bearer, SITE, world } from '../support/world.ts';
import { explain, readsIndex, readsWhole } from '../support/query-plans.ts';

const SECRET = 'test-instance-secret';
const BASE = 'https://api.encore.test';

async function payingWorld(o: { capacity?: number } = {}) {
  const w = await world({ capacity: o.capacity ?? 4, settings: { payments: { provider: 'demo', timeoutMinutes: 20 } } });
  const app = createApp({ db: w.db, now: w.clock.now, log: (l) => w.logs.push(l), demoPayments: true, secret: SECRET, publicBaseUrl: BASE });
  const request = (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
    app.request(path.replace(BASE, ''), { method, ...init });
  const json = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const available = async () => (await json('GET', `/api/v1/events/${w.slug}`)).body.performances[0].ticketTypes[0].available as number;
  const expire = () => expireUnpaidOrders({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now });
  return { ...w, app, request, json, available, expire };
}

type PayingWorld = Awaited<ReturnType<typeof payingWorld>>;

/** A cart of `quantity` Stalls with a buyer, checked out: the pending order and its payment page. */
async function checkedOut(w: PayingWorld, quantity = 2) {
  const created = await w.json('POST', '/api/v1/carts', {
    performanceId: w.performanceId,
    items: [{ ticketTypeId: w.standard, quantity }],
    pageUrl: `${SITE}/hamlet?x=1`,
  });
  expect(created.status).toBe(201);
  const auth = bearer(created.body.token);
  await w.json('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  const res = await w.json('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth);
  expect(res.status).toBe(201);
  const start = await w.request('GET', res.body.payment.redirectUrl);
  expect(start.status).toBe(303);
  const page = start.headers.get('location')!;
  expect(page).toMatch(`${BASE}/payments/demo/demo_pay_`);
  return { cartId: created.body.id as string, auth, order: res.body.order, page, providerPaymentId: page.split('/').pop()! };
}

const press = (w: PayingWorld, page: string, result: 'succeeded' | 'declined') =>
  w.request('POST', page, { body: `result=${result}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

const notify = (w: PayingWorld, providerPaymentId: string, status: string, signature?: string) => {
  const body = JSON.stringify({ paymentId: providerPaymentId, status });
  return w.request('POST', `/payments/notify/demo/${w.organizerId}`, { body, headers: { 'encore-demo-signature': signature ?? signDemo(SECRET, body) } });
};

const orderOf = async (w: PayingWorld, cartId: string, auth: Record<string, string>) =>
  (await w.json('GET', `/api/v1/carts/${cartId}/order`, undefined, auth)).body;

test('checkout with an online provider makes a pending order that keeps its seats; Pay issues the tickets and returns the buyer', async () => {
  const w = await payingWorld();
  const { cartId, auth, order, page } = await checkedOut(w);
  expect(order).toMatchObject({ status: 'pending_payment', paymentMethod: 'demo', total: 300000, tickets: [] });
  expect(await w.available()).toBe(2);

  const shown = await w.request('GET', page);
  expect(await shown.text()).toContain('Pay');

  const back = await press(w, page, 'succeeded');
  expect(back.status).toBe(303);
  const returned = await w.request('GET', back.headers.get('location')!);
  expect(returned.headers.get('location')).toBe(`${SITE}/hamlet?x=1&encore_order=${order.id}`);

  const paid = await orderOf(w, cartId, auth);
  expect(paid.status).toBe('paid');
  expect(paid.tickets).toHaveLength(2);
  expect(await w.available()).toBe(2);
  // The payment time passing changes nothing once paid.
  w.clock.advance(30);
  expect(await w.expire()).toBe(0);
  expect(await w.available()).toBe(2);
});

test('Decline leaves the order pending with its seats; the buyer pays again and gets the tickets', async () => {
  const w = await payingWorld();
  const { cartId, auth, page } = await checkedOut(w);
  const back = await press(w, page, 'declined');
  expect((await w.request('GET', back.headers.get('location')!)).headers.get('location')).toMatch(/encore_order=ord_/);
  expect((await orderOf(w, cartId, auth)).status).toBe('pending_payment');
  expect(await w.available()).toBe(2);

  const again = await w.json('POST', `/api/v1/carts/${cartId}/order/payment`, {}, auth);
  expect(again.status).toBe(201);
  const next = (await w.request('GET', again.body.redirectUrl)).headers.get('location')!;
  expect(next).not.toBe(page);
  await press(w, next, 'succeeded');
  expect((await orderOf(w, cartId, auth)).status).toBe('paid');
  expect(await w.available()).toBe(2);
  // The declined payment's page cannot be used to pay twice.
  await press(w, page, 'succeeded');
  const payments = await w.db.selectFrom('payments').select('status').orderBy('created_at').execute();
  expect(payments.map((p) => p.status)).toEqual(['declined', 'succeeded']);
});

test('a notification that arrives twice issues the tickets once', async () => {
  const w = await payingWorld();
  const { cartId, auth, providerPaymentId } = await checkedOut(w);
  expect((await notify(w, providerPaymentId, 'succeeded')).status).toBe(204);
  expect((await notify(w, providerPaymentId, 'succeeded')).status).toBe(204);
  expect((await notify(w, providerPaymentId, 'declined')).status).toBe(204);
  const order = await orderOf(w, cartId, auth);
  expect(order.status).toBe('paid');
  const tickets = await w.db.selectFrom('tickets').select('id').where('order_id', '=', order.id).execute();
  expect(tickets).toHaveLength(2);
  const inventory = await w.db.selectFrom('inventory').selectAll().where('ticket_type_id', '=', w.standard).executeTakeFirstOrThrow();
  expect(inventory.sold).toBe(2);
  expect(w.logs.some((l) => l.includes('duplicate'))).toBe(true);
});

test('unpaid orders expire after the payment timeout and release their seats', async () => {
  const w = await payingWorld();
  const { cartId, auth } = await checkedOut(w);
  w.clock.advance(19);
  expect(await w.expire()).toBe(0);
  w.clock.advance(2);
  expect(await w.expire()).toBe(1);
  expect((await orderOf(w, cartId, auth)).status).toBe('expired');
  expect(await w.available()).toBe(4);
  const retry = await w.json('POST', `/api/v1/carts/${cartId}/order/payment`, {}, auth);
  expect(retry.body.error.code).toBe('PAYMENT_FAILED');
});

test('a payment after expiry completes the order when its seats are still free', async () => {
  const w = await payingWorld();
  const { cartId, auth, providerPaymentId } = await checkedOut(w);
  w.clock.advance(21);
  await w.expire();
  expect(await w.available()).toBe(4);
  await notify(w, providerPaymentId, 'succeeded');
  const order = await orderOf(w, cartId, auth);
  expect(order.status).toBe('paid');
  expect(order.tickets).toHaveLength(2);
  expect(await w.available()).toBe(2);
});

test('a payment after expiry whose seats were sold meanwhile is kept for refund, logged, and sells nothing twice', async () => {
  const w = await payingWorld({ capacity: 2 });
  const first = await checkedOut(w, 2);
  w.clock.advance(21);
  await w.expire();
  // Someone else takes the two seats.
  const other = await checkedOut(w, 2);
  await press(w, other.page, 'succeeded');
  expect(await w.available()).toBe(0);

  await notify(w, first.providerPaymentId, 'succeeded');
  expect((await orderOf(w, first.cartId, first.auth)).status).toBe('expired');
  const payment = await w.db.selectFrom('payments').selectAll().where('provider_payment_id', '=', first.providerPaymentId).executeTakeFirstOrThrow();
  expect(payment.status).toBe('refund_due');
  expect(w.logs.some((l) => l.startsWith('PAYMENT NEEDS REFUND') && l.includes(payment.provider_payment_id!))).toBe(true);
  const inventory = await w.db.selectFrom('inventory').selectAll().where('ticket_type_id', '=', w.standard).executeTakeFirstOrThrow();
  expect(inventory.sold).toBe(2);
});

test('a forged notification is refused and changes nothing', async () => {
  const w = await payingWorld();
  const { cartId, auth, providerPaymentId } = await checkedOut(w);
  const forged = await notify(
    w,
    providerPaymentId,
    'succeeded',
    signDemo('not-the-secret', JSON.stringify({ paymentId: providerPaymentId, status: 'succeeded' })),
  );
  expect(forged.status).toBe(400);
  expect((await notify(w, providerPaymentId, 'succeeded', 'zz')).status).toBe(400);
  expect((await orderOf(w, cartId, auth)).status).toBe('pending_payment');
});

test('without an online provider orders are reserved for the box office; free ones are paid', async () => {
  const w = await world();
  const created = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] });
  const auth = bearer(created.body.token);
  await w.call('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'b@example.com', name: 'B' } }, auth);
  const res = await w.call('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth);
  expect(res.body.order).toMatchObject({ status: 'reserved', paymentMethod: 'box_office' });
  expect(res.body.payment).toBeUndefined();
});

test('the expire job reads due pending orders from their own index, never scanning orders', async () => {
  const w = await world();
  const text = (await explain(w, dueUnpaidOrders(w.db, 'pending_payment', '2026-12-01T09:00:00.000Z', 200).compile())).join('\n');
  expect(text).toMatch(readsIndex('orders', 'orders_pending_expiry'));
  expect(text).not.toMatch(readsWhole('orders'));
});

test('webhooks: order.paid when the money arrives (not at checkout), order.expired when the time runs out, each once', async () => {
  const w = await payingWorld();
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
  const sent = async () =>
    (await w.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).orderBy('due_at').orderBy('id').execute()).map((d) => ({
      type: d.event_type,
      order: JSON.parse(d.payload).data.order,
    }));

  const paid = await checkedOut(w, 1);
  expect(await sent()).toEqual([]);
  await press(w, paid.page, 'succeeded');
  await notify(w, paid.providerPaymentId, 'succeeded');
  expect(await sent()).toMatchObject([{ type: 'order.paid', order: { id: paid.order.id, status: 'paid', tickets: 1 } }]);

  const unpaid = await checkedOut(w, 1);
  w.clock.advance(21);
  expect(await w.expire()).toBe(1);
  expect(await w.expire()).toBe(0);
  expect((await sent()).map((d) => [d.type, d.order.id])).toEqual([
    ['order.paid', paid.order.id],
    ['order.expired', unpaid.order.id],
  ]);
});

test('an order that expires unpaid gives its reminder discount back; a cancelled one is not revived by a late payment', async () => {
  const w = await payingWorld();
  const created = await w.json('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] });
  const at = w.clock.now().toISOString();
  const later = new Date(w.clock.now().getTime() + 2 * 86_400_000).toISOString();
  const event = await w.db.selectFrom('performances').select('event_id').where('id', '=', w.performanceId).executeTakeFirstOrThrow();
  await w.db
    .insertInto('reminder_series')
    .values({
      id: 'rs_test',
      organizer_id: w.organizerId,
      event_id: event.event_id,
      performance_id: w.performanceId,
      cart_id: created.body.id,
      email: 'anna@example.com',
      email_hash: 'h',
      locale: 'ru',
      abandoned_at: at,
      status: 'active',
      stop_reason: null,
      expires_at: later,
      created_at: at,
    })
    .execute();
  await w.db
    .insertInto('discounts')
    .values({
      id: 'RTEST10',
      code: 'RTEST10',
      organizer_id: w.organizerId,
      series_id: 'rs_test',
      step: 0,
      kind: 'percent',
      value: 10,
      expires_at: later,
      max_uses: 1,
      created_at: at,
    })
    .execute();
  await w.db.updateTable('carts').set({ discount_code: 'RTEST10' }).where('id', '=', created.body.id).execute();
  const auth = bearer(created.body.token);
  await w.json('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  const pending = await w.json('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth);
  expect(pending.body.order.discount).toMatchObject({ code: 'RTEST10' });
  const started = (await w.request('GET', pending.body.payment.redirectUrl)).headers.get('location')!;
  const used = () => w.db.selectFrom('discounts').select('used_count').where('code', '=', 'RTEST10').executeTakeFirstOrThrow();
  expect((await used()).used_count).toBe(1);
  w.clock.advance(21);
  expect(await w.expire()).toBe(1);
  expect((await used()).used_count).toBe(0);
  // The money arrives after all (its seats still free): the order is paid and uses its code again.
  await notify(w, started.split('/').pop()!, 'succeeded');
  expect((await w.db.selectFrom('orders').select('status').where('id', '=', pending.body.order.id).executeTakeFirstOrThrow()).status).toBe('paid');
  expect((await used()).used_count).toBe(1);

  // Cancelled by the organizer, then the money arrives: it stays cancelled and is owed back.
  const other = await checkedOut(w, 1);
  await w.db.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', other.order.id).execute();
  await press(w, other.page, 'succeeded');
  await notify(w, other.providerPaymentId, 'succeeded');
  const order = await w.db.selectFrom('orders').select('status').where('id', '=', other.order.id).executeTakeFirstOrThrow();
  expect(order.status).toBe('cancelled');
  const payment = await w.db.selectFrom('payments').select('status').where('provider_payment_id', '=', other.providerPaymentId).executeTakeFirstOrThrow();
  expect(payment.status).toBe('refund_due');
  expect(w.logs.some((l) => l.includes('PAYMENT NEEDS REFUND') && l.includes('which is cancelled'))).toBe(true);
});

test('a notification for a provider the organizer has no settings for is refused for good (400), not deferred (503)', async () => {
  const w = await payingWorld();
  const body = JSON.stringify({ type: 'notification', event: 'payment.succeeded', object: { id: 'yk_unknown' } });
  const res = await w.request('POST', `/payments/notify/yookassa/${w.organizerId}`, { body, headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(400);
});

test('an order starts at most 10 payments: a script replaying "pay again" is refused, 429 TOO_MANY_ATTEMPTS', async () => {
  const w = await payingWorld();
  const { cartId, auth } = await checkedOut(w);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await w.json('POST', `/api/v1/carts/${cartId}/order/payment`, {}, auth)).status);
  expect(statuses).toEqual([...Array(9).fill(201), 429, 429, 429]);
  const refused = await w.json('POST', `/api/v1/carts/${cartId}/order/payment`, {}, auth);
  expect(refused.body.error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
  expect(await w.db.selectFrom('payments').select('id').execute()).toHaveLength(10);
  // The order still waits for the payments already started: one of them may still succeed.
  expect((await orderOf(w, cartId, auth)).status).toBe('pending_payment');
});
