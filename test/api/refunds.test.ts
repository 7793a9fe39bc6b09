// Refunds through the console API and the recovery loop, against the local YooKassa and Stripe
// stand-ins: what the provider receives (amount, idempotency key, 54-FZ receipt lines), partial
// and full refunds (seats back, order refunded, order.refunded each time), a provider that fails
// (the refund stays pending and the loop finishes it with the same key), refunds racing each
// other, money handed back at the desk, the box office role, other organizers, money that
// arrived for a cancelled order given back by the loop, and the order's history of who did what.
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { writeTransactions, type Trx } from '../../server/platform/db/database.ts';
import { createApiKey, createOrganizer, createUser } from '../../server/console/accounts.ts';
import { createPayments } from '../../server/payments/registry.ts';
import { MAX_REFUND_ATTEMPTS, recordRefund } from '../../server/payments/refunds.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import { fakeStripe, stripeFixture, type FakeStripe } from '../support/fake-stripe.ts';
import { bearer, SITE, world } from '../support/world.ts';
import { fixture, SECRET_KEY, SHOP_ID, yookassaFixture, type YookassaFixture } from '../support/yookassa-fixture.ts';

const BASE = 'https://api.encore.test';
const SECRET = 'refunds-test-secret-0123456789abcdef';
const STRIPE = { mode: 'test', secretKey: 'sk_test_51EncoreTestKey000', webhookSecret: 'whsec_EncoreTestSigningSecret0' } as const;

let api: YookassaFixture;
let stripe: FakeStripe;
beforeAll(async () => {
  api = await yookassaFixture();
  stripe = await fakeStripe();
});
afterAll(async () => {
  await api.close();
  await stripe.close();
});

async function refundWorld(provider: 'yookassa' | 'stripe' | null = 'yookassa') {
  api.clearFailures();
  stripe.state.mode = 'ok';
  const settings = {
    payments: { provider, providers: { yookassa: { shopId: SHOP_ID, secretKey: SECRET_KEY }, stripe: STRIPE } },
  };
  const w = await world({ capacity: 4, settings });
  const options = {
    yookassa: { apiUrl: api.apiUrl, timeoutMs: 300 },
    stripe: { host: '127.0.0.1', port: stripe.port, protocol: 'http' as const, maxNetworkRetries: 0, now: w.clock.now },
  };
  const app = createApp({ db: w.db, now: w.clock.now, log: (l) => w.logs.push(l), publicBaseUrl: BASE, secret: SECRET, ...options });
  const jobs = createRecoveryJobs({
    db: w.db,
    tx: writeTransactions(w.db),
    now: w.clock.now,
    transport: { sendMail: async (m) => ({ messageId: m.messageId }) },
    from: 'Test <tickets@theatre.example>',
    links: { secret: SECRET, publicBaseUrl: BASE, extraOrigins: [] },
    log: (l) => w.logs.push(l),
    payments: createPayments({ secret: SECRET, baseUrl: BASE, ...options, log: (l) => w.logs.push(l) }),
  });
  const request = (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
    app.request(path.replace(BASE, ''), { method, ...init });
  const json = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read the fields they assert on
    return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
  };
  const { key } = await createApiKey(w.db, w.organizerId, 'till script', w.clock.now());
  const console_ = (method: string, path: string, body?: unknown) => json(method, `/api/console/v1${path}`, body, bearer(key));
  const available = async () => (await json('GET', `/api/v1/events/${w.slug}`)).body.performances[0].ticketTypes[0].available as number;
  const refundRows = () => w.db.selectFrom('refunds').selectAll().orderBy('created_at').orderBy('id').execute();
  return { ...w, app, jobs, request, json, console: console_, available, refundRows };
}

type RefundWorld = Awaited<ReturnType<typeof refundWorld>>;

/** Two Stalls (2 × 1500.00) checked out by Anna: the order and our payment start URL. */
async function checkedOut(w: RefundWorld) {
  const created = await w.json('POST', '/api/v1/carts', {
    performanceId: w.performanceId,
    items: [{ ticketTypeId: w.standard, quantity: 2 }],
    pageUrl: `${SITE}/hamlet`,
  });
  const auth = bearer(created.body.token);
  await w.json('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  const res = await w.json('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth);
  expect(res.status).toBe(201);
  return {
    cartId: created.body.id as string,
    auth,
    order: res.body.order as { id: string; number: string; status: string },
    start: res.body.payment?.redirectUrl as string,
  };
}

const yookassaNotification = (id: string) => {
  const shape = fixture('notification-payment-succeeded');
  return { ...shape, object: { ...shape.object, id } };
};

/** A YooKassa payment started at our start URL: YooKassa's payment id. */
async function startYookassa(w: RefundWorld, start: string) {
  const res = await w.request('GET', start);
  expect(res.status).toBe(303);
  return new URL(res.headers.get('location')!).searchParams.get('orderId')!;
}

/** An order Anna paid through YooKassa. */
async function paidWithYookassa(w: RefundWorld) {
  const c = await checkedOut(w);
  const paymentId = await startYookassa(w, c.start);
  api.settle(paymentId, 'succeeded');
  const notified = await w.request('POST', `/payments/notify/yookassa/${w.organizerId}`, {
    body: JSON.stringify(yookassaNotification(paymentId)),
    headers: { 'content-type': 'application/json' },
  });
  expect(notified.status).toBe(204);
  return { ...c, paymentId };
}

const since = (n: number) => api.requests.slice(n).filter((r) => r.path === '/refunds');
const receiptSum = (body: { receipt: { items: { quantity: number; amount: { value: string } }[] } }) =>
  body.receipt.items.reduce((sum, i) => sum + i.quantity * Math.round(Number(i.amount.value) * 100), 0);

async function webhookEndpoint(w: RefundWorld) {
  expect((await w.console('POST', '/webhooks', { url: 'https://crm.example/hook', events: ['order.refunded'] })).status).toBe(201);
}
const refundedEvents = async (w: RefundWorld) =>
  (await w.db.selectFrom('webhook_deliveries').select('payload').where('event_type', '=', 'order.refunded').orderBy('created_at').execute()).map(
    (d) => JSON.parse(d.payload).data,
  );

test('YooKassa: a partial refund, then the rest; the provider gets each amount with its receipt and key; seats come back with the last', async () => {
  const w = await refundWorld();
  await webhookEndpoint(w);
  const { order, paymentId } = await paidWithYookassa(w);
  expect(await w.available()).toBe(2);
  // Stats count the money kept: paid, less what is refunded; a fully refunded order not at all.
  const totals = async () => (await w.console('GET', '/stats?from=2026-12-01&to=2026-12-02')).body.totals;
  expect(await totals()).toMatchObject({ orders: 1, revenue: 300000 });

  const n = api.requests.length;
  const partial = await w.console('POST', `/orders/${order.id}/refunds`, { amount: 100000, reason: 'One seat could not come' });
  expect(partial.status).toBe(201);
  expect(partial.body.refund).toMatchObject({
    amount: 100000,
    status: 'succeeded',
    provider: 'yookassa',
    reason: 'One seat could not come',
    actor: 'api key: till script',
  });
  expect(partial.body.order).toMatchObject({ status: 'paid', refundedAmount: 100000 });
  const [first] = since(n);
  const [row] = await w.refundRows();
  expect(first!.headers['idempotence-key']).toBe(row!.idempotency_key);
  expect(first!.body).toMatchObject({
    payment_id: paymentId,
    amount: { value: '1000.00', currency: 'RUB' },
    receipt: { customer: { email: 'anna@example.com' } },
  });
  expect(receiptSum(first!.body)).toBe(100000);
  expect(first!.body.receipt.items.every((i: { description: string }) => i.description === 'Hamlet: Stalls')).toBe(true);
  expect(await w.available()).toBe(2);
  expect(await totals()).toMatchObject({ orders: 1, revenue: 200000 });

  // Nothing, too much, or not a whole number of kopecks: 400 naming the amount.
  for (const amount of [0, 200001, 1.5, -5]) {
    const bad = await w.console('POST', `/orders/${order.id}/refunds`, { amount });
    expect(bad.status, String(amount)).toBe(400);
    expect(bad.body.error?.field ?? bad.body.errors?.[0]?.field).toBe('amount');
  }

  const rest = await w.console('POST', `/orders/${order.id}/refunds`, {});
  expect(rest.status).toBe(201);
  expect(rest.body.refund).toMatchObject({ amount: 200000, status: 'succeeded' });
  expect(rest.body.order).toMatchObject({ status: 'refunded', refundedAmount: 300000 });
  expect(rest.body.order.payments).toMatchObject([{ status: 'refunded' }]);
  const [, second] = since(n);
  expect(second!.body.amount).toEqual({ value: '2000.00', currency: 'RUB' });
  expect(receiptSum(second!.body)).toBe(200000);
  expect(second!.headers['idempotence-key']).not.toBe(first!.headers['idempotence-key']);
  expect(await w.available()).toBe(4);
  expect(await totals()).toMatchObject({ orders: 0, revenue: 0 });

  const again = await w.console('POST', `/orders/${order.id}/refunds`, {});
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('ORDER_STATE');
  expect(since(n)).toHaveLength(2);

  expect(await refundedEvents(w)).toMatchObject([
    { order: { id: order.id, status: 'refunded' }, refund: { amount: 100000, currency: 'RUB' }, refunded: 100000 },
    { order: { id: order.id, status: 'refunded' }, refund: { amount: 200000 }, refunded: 300000 },
  ]);
});

test('Stripe: a full refund of the PaymentIntent with the refund’s own idempotency key', async () => {
  const w = await refundWorld('stripe');
  const c = await checkedOut(w);
  expect((await w.request('GET', c.start)).status).toBe(303);
  const session = stripe.pay([...stripe.sessions.values()].at(-1)!.id);
  const event = stripeFixture('event-checkout-session-completed');
  const payload = JSON.stringify({ ...event, id: `evt_${session.id}`, data: { object: { ...event.data.object, ...session } } });
  const hook = await w.request('POST', `/payments/notify/stripe/${w.organizerId}`, {
    body: payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE.webhookSecret }) },
  });
  expect(hook.status).toBe(204);

  const before = stripe.requests.length;
  const res = await w.console('POST', `/orders/${c.order.id}/refunds`, {});
  expect(res.status).toBe(201);
  expect(res.body.order).toMatchObject({ status: 'refunded', refundedAmount: 300000 });
  const refund = stripe.requests.slice(before).find((r) => r.path === '/v1/refunds')!;
  expect(Object.fromEntries(refund.params)).toEqual({ payment_intent: 'pi_3QjKkLAbCdEfGhIj0aBcDeFg', amount: '300000' });
  expect(refund.headers['idempotency-key']).toBe((await w.refundRows())[0]!.idempotency_key);
});

test('the provider failing leaves the refund pending and counted; the recovery loop finishes it with the same idempotency key', async () => {
  const w = await refundWorld();
  const { order } = await paidWithYookassa(w);
  const n = api.requests.length;
  api.failNext('500');
  const res = await w.console('POST', `/orders/${order.id}/refunds`, {});
  expect(res.status).toBe(202);
  expect(res.body.refund).toMatchObject({ status: 'pending', attempts: 1, amount: 300000 });
  expect(res.body.refund.lastError).toContain('answered 500');
  expect(res.body.order).toMatchObject({ status: 'paid', refundedAmount: 300000 });
  // Being refunded counts: nothing more can be asked for meanwhile.
  expect((await w.console('POST', `/orders/${order.id}/refunds`, { amount: 1 })).status).toBe(400);

  // Not due yet: the loop leaves it alone.
  expect((await w.jobs.runOnce()).refunds).toMatchObject({ succeeded: 0, pending: 0 });
  api.failNext('hang');
  w.clock.advance(2);
  expect((await w.jobs.runOnce()).refunds).toMatchObject({ succeeded: 0, pending: 1 });
  w.clock.advance(3);
  expect((await w.jobs.runOnce()).refunds).toMatchObject({ succeeded: 1, pending: 0 });
  const keys = since(n).map((r) => r.headers['idempotence-key']);
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(1);
  const [row] = await w.refundRows();
  expect(row).toMatchObject({ status: 'succeeded', attempts: 3, last_error: null });
  expect((await w.console('GET', `/orders/${order.id}`)).body.order.status).toBe('refunded');
  expect(await w.available()).toBe(4);
  // Done is done: later rounds call nobody.
  w.clock.advance(60);
  await w.jobs.runOnce();
  expect(since(n)).toHaveLength(3);
});

test('a provider that never takes the refund: after the last attempt it is failed, logged, and its amount no longer counts', async () => {
  const w = await refundWorld();
  const { order } = await paidWithYookassa(w);
  api.failNext(...Array<'500'>(MAX_REFUND_ATTEMPTS).fill('500'));
  expect((await w.console('POST', `/orders/${order.id}/refunds`, { amount: 50000 })).status).toBe(202);
  for (let i = 1; i < MAX_REFUND_ATTEMPTS; i++) {
    w.clock.advance(6 * 60);
    await w.jobs.runOnce();
  }
  const [row] = await w.refundRows();
  expect(row).toMatchObject({ status: 'failed', attempts: MAX_REFUND_ATTEMPTS });
  expect(w.logs.some((l) => l.startsWith(`REFUND FAILED: ${row!.id}`))).toBe(true);
  const detail = (await w.console('GET', `/orders/${order.id}`)).body.order;
  expect(detail).toMatchObject({ status: 'paid', refundedAmount: 0 });
  expect(detail.history.at(-1)).toMatchObject({ actor: 'system', action: 'refund_failed' });
  // The money can be refunded again, now that YooKassa answers.
  expect((await w.console('POST', `/orders/${order.id}/refunds`, {})).status).toBe(201);
});

test('two refunds read together cannot refund more than was paid', async () => {
  const w = await refundWorld();
  const { order } = await paidWithYookassa(w);
  const ask = { organizerId: w.organizerId, orderId: order.id, amount: 200000, actor: 'test' };
  // Straight on the database, outside the write transaction that would serialise them: both read
  // 300000 left, and only the conditional update decides.
  const both = await Promise.allSettled([recordRefund(w.db as Trx, ask, w.clock.now()), recordRefund(w.db as Trx, ask, w.clock.now())]);
  expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  expect((await w.refundRows()).map((r) => r.amount)).toEqual([200000]);
  // Through HTTP at once, too: of two "refund the rest", one refunds 100000 and one is refused.
  const [a, b] = await Promise.all([w.console('POST', `/orders/${order.id}/refunds`, {}), w.console('POST', `/orders/${order.id}/refunds`, {})]);
  expect([a.status, b.status].sort()).toEqual([201, 400]);
  const total = await w.db.selectFrom('orders').select(['total', 'refunded_amount']).where('id', '=', order.id).executeTakeFirstOrThrow();
  expect(total).toEqual({ total: 300000, refunded_amount: 300000 });
  expect((await w.refundRows()).reduce((sum, r) => sum + r.amount, 0)).toBe(300000);
});

test('only a paid order is refunded; money paid at the desk is handed back there, by the box office too, with no provider', async () => {
  const w = await refundWorld(null);
  const c = await checkedOut(w);
  expect(c.order.status).toBe('reserved');
  const early = await w.console('POST', `/orders/${c.order.id}/refunds`, {});
  expect(early.status).toBe(409);
  expect(early.body.error.code).toBe('ORDER_STATE');
  expect((await w.console('POST', `/orders/${c.order.id}/mark-paid`)).status).toBe(200);

  await createUser(
    w.db,
    w.organizerId,
    { email: 'cashier@theatre.example', password: 'cashier-password-1', name: 'Cashier', locale: 'ru', role: 'box_office' },
    w.clock.now(),
  );
  const raw = await w.request('POST', '/api/console/v1/session', {
    body: JSON.stringify({ email: 'cashier@theatre.example', password: 'cashier-password-1' }),
    headers: { 'content-type': 'application/json' },
  });
  const session = { cookie: raw.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': (await raw.json()).csrfToken as string };
  const n = api.requests.length;
  const desk = await w.json('POST', `/api/console/v1/orders/${c.order.id}/refunds`, { amount: 50000, reason: 'Seat swap' }, session);
  expect(desk.status).toBe(201);
  expect(desk.body.refund).toMatchObject({ provider: 'box_office', amount: 50000, status: 'succeeded', actor: 'cashier@theatre.example', paymentId: null });
  expect(desk.body.order).toMatchObject({ status: 'paid', refundedAmount: 50000 });
  expect(api.requests.length).toBe(n);
  // A box office user still reaches nothing beyond the orders.
  expect((await w.json('GET', '/api/console/v1/webhooks', undefined, session)).status).toBe(403);
});

test("another organizer's user or key gets 404 on refunds and history, and nothing moves", async () => {
  const w = await refundWorld();
  const { order } = await paidWithYookassa(w);
  const elsewhere = await createOrganizer(
    w.db,
    {
      name: 'Elsewhere',
      allowedOrigins: ['https://elsewhere.example'],
      user: { email: 'boss@elsewhere.example', password: 'elsewhere-pass-1', name: 'Boss', locale: 'en' },
    },
    w.clock.now(),
  );
  const raw = await w.request('POST', '/api/console/v1/session', {
    body: JSON.stringify({ email: 'boss@elsewhere.example', password: 'elsewhere-pass-1' }),
    headers: { 'content-type': 'application/json' },
  });
  const userSession = { cookie: raw.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': (await raw.json()).csrfToken as string };
  const keySession = bearer((await createApiKey(w.db, elsewhere.organizerId, 'intruder', w.clock.now())).key);
  for (const intruder of [userSession, keySession])
    for (const [method, path] of [
      ['POST', `/orders/${order.id}/refunds`],
      ['GET', `/orders/${order.id}/history`],
    ] as const) {
      const res = await w.json(method, `/api/console/v1${path}`, method === 'POST' ? {} : undefined, intruder);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  expect(await w.refundRows()).toEqual([]);
  expect((await w.console('GET', `/orders/${order.id}`)).body.order).toMatchObject({ status: 'paid', refundedAmount: 0 });
});

test('money that arrives for a cancelled order is given back by the loop, and the widget tells the buyer so', async () => {
  const w = await refundWorld();
  await webhookEndpoint(w);
  const c = await checkedOut(w);
  const paymentId = await startYookassa(w, c.start);
  expect((await w.console('POST', `/orders/${c.order.id}/cancel`)).status).toBe(200);
  api.settle(paymentId, 'succeeded');
  await w.request('POST', `/payments/notify/yookassa/${w.organizerId}`, {
    body: JSON.stringify(yookassaNotification(paymentId)),
    headers: { 'content-type': 'application/json' },
  });
  expect((await w.db.selectFrom('payments').select('status').executeTakeFirstOrThrow()).status).toBe('refund_due');
  const back = await w.json('GET', `/api/v1/carts/${c.cartId}/order`, undefined, c.auth);
  expect(back.body).toMatchObject({ status: 'cancelled', moneyBack: true });

  const n = api.requests.length;
  expect((await w.jobs.runOnce()).refunds).toMatchObject({ owed: 1, succeeded: 1 });
  const [sent] = since(n);
  expect(sent!.body).toMatchObject({ payment_id: paymentId, amount: { value: '3000.00', currency: 'RUB' } });
  expect(receiptSum(sent!.body)).toBe(300000);
  expect(await w.refundRows()).toMatchObject([{ status: 'succeeded', actor: 'system', amount: 300000 }]);
  expect((await w.db.selectFrom('payments').select('status').executeTakeFirstOrThrow()).status).toBe('refunded');
  expect(await w.db.selectFrom('orders').select(['status', 'refunded_amount']).executeTakeFirstOrThrow()).toEqual({ status: 'cancelled', refunded_amount: 0 });
  expect(w.logs.some((l) => l.includes('owed back: sending it'))).toBe(true);
  expect(await refundedEvents(w)).toMatchObject([{ refund: { amount: 300000 }, refunded: 300000 }]);
  // Once: the next round owes nothing.
  expect((await w.jobs.runOnce()).refunds).toMatchObject({ owed: 0, succeeded: 0 });
  expect(since(n)).toHaveLength(1);
});

test('the history says who did what: the buyer, the provider, the desk, the system', async () => {
  const w = await refundWorld();
  const { order } = await paidWithYookassa(w);
  await w.console('POST', `/orders/${order.id}/refunds`, { amount: 1000, reason: 'Late' });
  const history = (await w.console('GET', `/orders/${order.id}/history`)).body.history as { actor: string; action: string; details: Record<string, unknown> }[];
  expect(history.map((e) => [e.actor, e.action])).toEqual([
    ['buyer', 'created'],
    ['buyer', 'payment_started'],
    ['yookassa', 'paid'],
    ['yookassa', 'payment_succeeded'],
    ['api key: till script', 'refund_requested'],
    ['api key: till script', 'refund_succeeded'],
  ]);
  expect(history[4]!.details).toMatchObject({ amount: 1000, reason: 'Late' });
  expect(history[2]!.details).toMatchObject({ from: 'pending_payment' });

  // The desk's moves and the expiry job are recorded by whoever made them.
  const w2 = await refundWorld(null);
  const reserved = await checkedOut(w2);
  await w2.console('POST', `/orders/${reserved.order.id}/mark-paid`);
  const unpaid = await checkedOut(w2);
  await w2.console('POST', `/orders/${unpaid.order.id}/cancel`);
  const actions = async (id: string) =>
    ((await w2.console('GET', `/orders/${id}`)).body.order.history as { actor: string; action: string }[]).map((e) => [e.actor, e.action]);
  expect(await actions(reserved.order.id)).toEqual([
    ['buyer', 'created'],
    ['api key: till script', 'paid'],
  ]);
  expect(await actions(unpaid.order.id)).toEqual([
    ['buyer', 'created'],
    ['api key: till script', 'cancelled'],
  ]);
  const late = await checkedOut(w);
  w.clock.advance(21);
  await w.jobs.runOnce();
  expect(
    ((await w.console('GET', `/orders/${late.order.id}`)).body.order.history as { actor: string; action: string }[]).map((e) => [e.actor, e.action]),
  ).toEqual([
    ['buyer', 'created'],
    ['system', 'expired'],
  ]);
});
