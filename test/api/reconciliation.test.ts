// Reconciliation and closing checkouts, against the local YooKassa and Stripe stand-ins: a payment
// the provider took is finished by the recovery loop when its notification never comes or our
// commit died; the provider is asked on a schedule that backs off and ends; an order's expiry
// closes its Stripe session, and a success that raced the expiry is found in the same round.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { writeTransactions, type WriteTransaction } from '../../server/platform/db/database.ts';
import { expireUnpaidOrders } from '../../server/payments/lifecycle.ts';
import { createPayments } from '../../server/payments/registry.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import { fakeStripe, type FakeStripe } from '../support/fake-stripe.ts';
import { bearer, SITE, world } from '../support/world.ts';
import { fixture, SECRET_KEY, SHOP_ID, yookassaFixture, type YookassaFixture } from '../support/yookassa-fixture.ts';

const BASE = 'https://api.encore.test';
const STRIPE = { mode: 'test', secretKey: 'sk_test_51EncoreTestKey000', webhookSecret: 'whsec_EncoreTestSigningSecret0' } as const;
let yookassa: YookassaFixture;
let stripe: FakeStripe;
beforeAll(async () => {
  [yookassa, stripe] = await Promise.all([yookassaFixture(), fakeStripe()]);
});
afterAll(() => Promise.all([yookassa.close(), stripe.close()]));

async function reconcilingWorld(provider: 'yookassa' | 'stripe', o: { capacity?: number } = {}) {
  yookassa.clearFailures();
  stripe.state.mode = 'ok';
  const providers = { yookassa: { shopId: SHOP_ID, secretKey: SECRET_KEY }, stripe: STRIPE };
  const w = await world({ capacity: o.capacity ?? 4, settings: { payments: { provider, timeoutMinutes: 20, providers } } });
  // `crashNext`: the next write transaction does all its work and then dies before its commit.
  const crash = { next: false };
  const real = writeTransactions(w.db);
  const tx: WriteTransaction = (fn) =>
    real(async (trx) => {
      const result = await fn(trx);
      if (crash.next) {
        crash.next = false;
        throw new Error('the process died before COMMIT');
      }
      return result;
    });
  const log = (l: string) => w.logs.push(l);
  const options = {
    yookassa: { apiUrl: yookassa.apiUrl, timeoutMs: 300 },
    stripe: { host: '127.0.0.1', port: stripe.port, protocol: 'http' as const, maxNetworkRetries: 0, timeoutMs: 500, now: w.clock.now },
  };
  const app = createApp({ db: w.db, tx, now: w.clock.now, log, publicBaseUrl: BASE, ...options });
  const jobs = createRecoveryJobs({
    db: w.db,
    tx,
    now: w.clock.now,
    transport: { sendMail: async (m) => ({ messageId: m.messageId }) },
    from: 'Test <t@example.com>',
    links: { secret: 'reconciliation-test-secret', publicBaseUrl: BASE, extraOrigins: [] },
    log,
    payments: createPayments({ secret: 'reconciliation-test-secret', baseUrl: BASE, log, ...options }),
  });
  const json = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(path.replace(BASE, ''), {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
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
  const webhooks = async () => (await w.db.selectFrom('webhook_deliveries').select('event_type').orderBy('id').execute()).map((d) => d.event_type);
  const available = async () => (await json('GET', `/api/v1/events/${w.slug}`)).body.performances[0].ticketTypes[0].available as number;
  return { ...w, app, jobs, json, crash, webhooks, available };
}

type ReconcilingWorld = Awaited<ReturnType<typeof reconcilingWorld>>;

/** Two Stalls checked out by Anna and the payment started: the order and the provider's payment id. */
async function paying(w: ReconcilingWorld) {
  const created = await w.json('POST', '/api/v1/carts', {
    performanceId: w.performanceId,
    items: [{ ticketTypeId: w.standard, quantity: 2 }],
    pageUrl: `${SITE}/hamlet`,
  });
  const auth = bearer(created.body.token);
  await w.json('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  const res = await w.json('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth);
  expect(res.status).toBe(201);
  expect((await w.json('GET', res.body.payment.redirectUrl)).status).toBe(303);
  const payment = await w.db.selectFrom('payments').selectAll().where('order_id', '=', res.body.order.id).executeTakeFirstOrThrow();
  const order = async () => (await w.json('GET', `/api/v1/carts/${created.body.id}/order`, undefined, auth)).body;
  return { orderId: res.body.order.id as string, id: payment.provider_payment_id!, order };
}

const notifyYookassa = (w: ReconcilingWorld, id: string) => {
  const shape = fixture('notification-payment-succeeded');
  return w.json('POST', `/payments/notify/yookassa/${w.organizerId}`, { ...shape, object: { ...shape.object, id } });
};
const asked = (id: string) => yookassa.requests.filter((r) => r.method === 'GET' && r.path === `/payments/${id}`).length;

test('YooKassa took the money and no notification ever came: the recovery loop pays the order once; a late duplicate changes nothing', async () => {
  const w = await reconcilingWorld('yookassa');
  const { id, order } = await paying(w);
  yookassa.settle(id, 'succeeded');

  // Not due yet (first check 2 minutes after the start): the control, the order still waits.
  w.clock.advance(1);
  expect((await w.jobs.runOnce()).reconciled).toEqual({ checked: 0, settled: 0 });
  expect((await order()).status).toBe('pending_payment');
  expect(asked(id)).toBe(0);

  w.clock.advance(1);
  expect((await w.jobs.runOnce()).reconciled).toEqual({ checked: 1, settled: 1 });
  const paid = await order();
  expect(paid.status).toBe('paid');
  expect(paid.tickets).toHaveLength(2);
  expect(await w.webhooks()).toEqual(['order.paid']);
  // Settled: no longer asked about.
  w.clock.advance(120);
  expect((await w.jobs.runOnce()).reconciled).toEqual({ checked: 0, settled: 0 });
  expect(asked(id)).toBe(1);

  // YooKassa's notification arrives after all: applied once already.
  expect((await notifyYookassa(w, id)).status).toBe(204);
  expect(w.logs.filter((l) => l.startsWith(`payment yookassa:${id}`))).toEqual([
    `payment yookassa:${id} succeeded: paid`,
    `payment yookassa:${id} succeeded: duplicate`,
  ]);
  expect(await w.db.selectFrom('tickets').select('id').where('order_id', '=', paid.id).execute()).toHaveLength(2);
  expect(await w.webhooks()).toEqual(['order.paid']);
});

test('the process dies after YooKassa took the money and before our commit: nothing is kept, and the next rounds finish it', async () => {
  const w = await reconcilingWorld('yookassa');
  const { id, order } = await paying(w);
  yookassa.settle(id, 'succeeded');
  w.crash.next = true;
  expect((await notifyYookassa(w, id)).status).toBe(500);
  expect((await order()).status).toBe('pending_payment');
  expect(await w.db.selectFrom('payments').select('status').where('provider_payment_id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'pending' });
  // YooKassa's retries are lost too.
  w.clock.advance(2);
  await w.jobs.runOnce();
  expect((await order()).status).toBe('paid');
  expect(await w.webhooks()).toEqual(['order.paid']);
});

test('a payment still pending is asked about ever less often, survives YooKassa failing, and is no longer asked about after 48 hours', async () => {
  const w = await reconcilingWorld('yookassa');
  const { id, order } = await paying(w);
  const rounds = async (minutes: number, step = 1) => {
    for (let t = 0; t < minutes; t += step) {
      w.clock.advance(step);
      await w.jobs.runOnce();
    }
  };
  await rounds(2);
  expect(asked(id)).toBe(1);
  await rounds(30);
  // At 2, 3, 4.5, 6.75, 10.1, 15.2, 22.8 minutes: half the age each time.
  expect(asked(id)).toBe(7);
  // YooKassa failing: the payment stays pending and is asked again at its next time.
  yookassa.failNext('500');
  await rounds(20);
  expect(asked(id)).toBe(8);
  expect(w.logs.some((l) => l.startsWith(`payment yookassa:${id} not checked: YooKassa GET /payments/${id} answered 500`))).toBe(true);
  expect((await order()).status).toBe('expired');
  // At most hourly after that, and not at all once two days old.
  await rounds(49 * 60, 30);
  const total = asked(id);
  expect(total).toBeLessThan(8 + 50);
  expect(w.logs.some((l) => l.includes(`payment yookassa:${id} of order`) && l.endsWith('still pending after 48 h: no longer checked'))).toBe(true);
  await rounds(10 * 60, 60);
  expect(asked(id)).toBe(total);
});

test("the order expires while the buyer's YooKassa payment succeeds unseen: the same round finds it and takes the seats again", async () => {
  const w = await reconcilingWorld('yookassa');
  const { id, order, orderId } = await paying(w);
  w.clock.advance(19);
  await w.jobs.runOnce();
  yookassa.settle(id, 'succeeded');
  w.clock.advance(1);
  const round = await w.jobs.runOnce();
  expect(round.expired).toBe(1);
  expect(round.reconciled).toEqual({ checked: 1, settled: 1 });
  expect((await order()).status).toBe('paid');
  expect(w.logs).toContain(`payment yookassa:${id} succeeded: paid after expiry, seats taken again`);
  expect(await w.available()).toBe(2);
  expect(await w.webhooks()).toEqual(['order.expired', 'order.paid']);
  const history = await w.db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirstOrThrow();
  expect(history.status).toBe('paid');
});

test('Stripe: an expired order closes its Checkout Session, so the buyer cannot pay there; the payment is then declined', async () => {
  const w = await reconcilingWorld('stripe');
  const { id, order } = await paying(w);
  expect(stripe.sessions.get(id)!.status).toBe('open');
  w.clock.advance(21);
  const round = await w.jobs.runOnce();
  expect(round.expired).toBe(1);
  expect(stripe.requests.filter((r) => r.path === `/v1/checkout/sessions/${id}/expire`)).toHaveLength(1);
  expect(stripe.sessions.get(id)).toMatchObject({ status: 'expired', url: null });
  expect((await order()).status).toBe('expired');
  // Asked at once after the expiry: Stripe says expired, so the payment is declined and not asked about again.
  expect(round.reconciled).toEqual({ checked: 1, settled: 1 });
  expect(await w.db.selectFrom('payments').select('status').where('provider_payment_id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'declined' });
  expect(await w.available()).toBe(4);
});

test('Stripe: a session paid just before its order expired cannot be closed; that is logged and the payment is found and applied', async () => {
  const w = await reconcilingWorld('stripe');
  const { id, order } = await paying(w);
  w.clock.advance(21);
  stripe.pay(id);
  const round = await w.jobs.runOnce();
  expect(
    w.logs.some((l) => l.startsWith(`payment stripe:${id} not closed at the provider after its order expired: Stripe could not expire the checkout session`)),
  ).toBe(true);
  expect(round.reconciled).toEqual({ checked: 1, settled: 1 });
  expect((await order()).status).toBe('paid');
  expect(w.logs).toContain(`payment stripe:${id} succeeded: paid after expiry, seats taken again`);
});

test('Stripe unreachable when the order expires: the order still expires and its seats are released; the failure is logged', async () => {
  const w = await reconcilingWorld('stripe');
  const { id, order } = await paying(w);
  w.clock.advance(21);
  stripe.state.mode = 'error';
  const round = await w.jobs.runOnce();
  expect(round.expired).toBe(1);
  expect((await order()).status).toBe('expired');
  expect(await w.available()).toBe(4);
  expect(w.logs.some((l) => l.startsWith(`payment stripe:${id} not closed at the provider`))).toBe(true);
  expect(w.logs.some((l) => l.startsWith(`payment stripe:${id} not checked`))).toBe(true);
  expect(await w.db.selectFrom('payments').select('status').where('provider_payment_id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'pending' });
});

test('the demo provider: once its order expired, the payment page offers no Pay and refuses one (409), so nothing is paid for released seats', async () => {
  const w = await world({ capacity: 4, settings: { payments: { provider: 'demo', timeoutMinutes: 20 } } });
  const app = createApp({ db: w.db, now: w.clock.now, log: (l) => w.logs.push(l), demoPayments: true, secret: 'demo-secret', publicBaseUrl: BASE });
  const call = (method: string, path: string, body?: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.request(path.replace(BASE, ''), { method, body, headers });
  const created = await (
    await call('POST', '/api/v1/carts', JSON.stringify({ performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 2 }] }))
  ).json();
  const auth = { 'content-type': 'application/json', ...bearer(created.token) };
  await call('PATCH', `/api/v1/carts/${created.id}`, JSON.stringify({ buyer: { email: 'anna@example.com', name: 'Anna' } }), auth);
  const checkout = await (await call('POST', `/api/v1/carts/${created.id}/checkout`, '{}', auth)).json();
  const page = (await call('GET', checkout.payment.redirectUrl)).headers.get('location')!;
  expect(await (await call('GET', page)).text()).toContain('value="succeeded"');

  w.clock.advance(21);
  expect(await expireUnpaidOrders({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now })).toBe(1);
  const shown = await (await call('GET', page)).text();
  expect(shown).not.toContain('value="succeeded"');
  expect(shown).toContain('This order is expired: it can no longer be paid.');
  const pressed = await call('POST', page, 'result=succeeded', { 'content-type': 'application/x-www-form-urlencoded' });
  expect(pressed.status).toBe(409);
  expect((await pressed.json()).error.code).toBe('ORDER_STATE');
  expect((await w.db.selectFrom('orders').select('status').executeTakeFirstOrThrow()).status).toBe('expired');
  expect(await w.db.selectFrom('payments').select('status').executeTakeFirstOrThrow()).toEqual({ status: 'pending' });
});
