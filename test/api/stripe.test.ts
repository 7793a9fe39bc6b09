// The Stripe provider through the real lifecycle and HTTP surface, against a local server that
// answers with the shapes of Stripe's API reference (test/fixtures/stripe): the Checkout Session
// we ask for, the buyer sent to its url, signed webhooks applied once, forged ones refused,
// Stripe failing or silent, refunds and status. Not verified against live Stripe.
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { ProviderUnavailable } from '../../server/payments/provider.ts';
import { sessionExpiry, stripeProvider, stripeSettingsSchema } from '../../server/payments/stripe.ts';
import { fakeStripe, stripeFixture, type FakeStripe } from '../support/fake-stripe.ts';
import { bearer, SITE, world } from '../support/world.ts';

const BASE = 'https://api.encore.test';
const SETTINGS = { mode: 'test', secretKey: 'sk_test_51EncoreTestKey000', webhookSecret: 'whsec_EncoreTestSigningSecret0' } as const;

let stripe: FakeStripe;
beforeAll(async () => {
  stripe = await fakeStripe();
});
afterAll(() => stripe.close());

const local = (o: { timeoutMs?: number } = {}) => ({ host: '127.0.0.1', port: stripe.port, protocol: 'http' as const, maxNetworkRetries: 0, ...o });

async function stripeWorld(o: { timeoutMinutes?: number; timeoutMs?: number } = {}) {
  stripe.state.mode = 'ok';
  const w = await world({
    capacity: 4,
    settings: { payments: { provider: 'stripe', timeoutMinutes: o.timeoutMinutes ?? 20, providers: { stripe: SETTINGS } } },
  });
  const app = createApp({ db: w.db, now: w.clock.now, log: (l) => w.logs.push(l), publicBaseUrl: BASE, stripe: { ...local(o), now: w.clock.now } });
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
  const payment = () => w.db.selectFrom('payments').selectAll().executeTakeFirstOrThrow();
  const available = async () => (await json('GET', `/api/v1/events/${w.slug}`)).body.performances[0].ticketTypes[0].available as number;
  return { ...w, app, request, json, payment, available };
}

type StripeWorld = Awaited<ReturnType<typeof stripeWorld>>;

/** Two Stalls checked out by Anna: the pending order and the start URL of its payment. */
async function checkedOut(w: StripeWorld) {
  const created = await w.json('POST', '/api/v1/carts', {
    performanceId: w.performanceId,
    items: [{ ticketTypeId: w.standard, quantity: 2 }],
    pageUrl: `${SITE}/hamlet`,
  });
  const auth = bearer(created.body.token);
  await w.json('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  const res = await w.json('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth);
  expect(res.status).toBe(201);
  return { cartId: created.body.id as string, auth, order: res.body.order, start: res.body.payment.redirectUrl as string };
}

/** Starts the payment; returns the Checkout Session Stripe made for it. */
async function started(w: StripeWorld) {
  const c = await checkedOut(w);
  const before = stripe.requests.length;
  const res = await w.request('GET', c.start);
  expect(res.status).toBe(303);
  const session = [...stripe.sessions.values()].at(-1)!;
  expect(res.headers.get('location')).toBe(session.url);
  return { ...c, session, sent: stripe.requests.slice(before) };
}

/** A webhook as Stripe sends it: the event fixture about `session`, signed with `secret`. */
function webhook(type: string, session: Record<string, unknown>, secret: string = SETTINGS.webhookSecret) {
  const event = stripeFixture('event-checkout-session-completed');
  const payload = JSON.stringify({
    ...event,
    id: `evt_${type.replaceAll('.', '_')}_${session.id}`,
    type,
    data: { object: { ...event.data.object, ...session } },
  });
  return { body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) } };
}

const notify = (w: StripeWorld, hook: { body: string; headers: Record<string, string> }) => w.request('POST', `/payments/notify/stripe/${w.organizerId}`, hook);
const orderOf = async (w: StripeWorld, c: { cartId: string; auth: Record<string, string> }) =>
  (await w.json('GET', `/api/v1/carts/${c.cartId}/order`, undefined, c.auth)).body;

test('a payment is a Checkout Session with our lines, order reference, buyer and return route, created under an idempotency key; the buyer goes to its url', async () => {
  const w = await stripeWorld();
  const { order, sent, session } = await started(w);
  const pay = await w.payment();
  expect(sent).toHaveLength(1);
  const [create] = sent;
  expect(create).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions' });
  expect(create!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(create!.headers.authorization).toBe(`Bearer ${SETTINGS.secretKey}`);
  // The world's clock is 09:00; the order waits 20 minutes, Stripe's minimum is 30: 09:31.
  const expiresAt = Date.parse('2026-12-01T09:31:00Z') / 1000;
  expect(create!.headers['idempotency-key']).toBe(`${pay.idempotency_key}-${expiresAt}`);
  expect(Object.fromEntries(create!.params)).toEqual({
    mode: 'payment',
    'line_items[0][quantity]': '2',
    'line_items[0][price_data][currency]': 'rub',
    'line_items[0][price_data][unit_amount]': '150000',
    'line_items[0][price_data][product_data][name]': 'Hamlet: Stalls',
    client_reference_id: order.id,
    'metadata[orderId]': order.id,
    'metadata[paymentId]': pay.id,
    'payment_intent_data[description]': `Order ${order.number}`,
    'payment_intent_data[metadata][orderId]': order.id,
    'payment_intent_data[metadata][paymentId]': pay.id,
    customer_email: 'anna@example.com',
    success_url: `${BASE}/payments/return/${pay.id}`,
    cancel_url: `${BASE}/payments/return/${pay.id}`,
    expires_at: String(expiresAt),
  });
  expect(session.amount_total).toBe(300000);
  expect(pay).toMatchObject({ provider: 'stripe', provider_payment_id: session.id, redirect_url: session.url, status: 'pending' });

  // Opening the start link again goes to the same session without asking Stripe.
  const again = await w.request('GET', `/payments/start/${pay.id}`);
  expect(again.headers.get('location')).toBe(session.url);
  expect(stripe.requests.at(-1)).toBe(create);
});

test("the session expires with the order when that is 30 minutes or more away, else at Stripe's minimum", () => {
  const now = new Date('2026-12-01T09:00:00Z');
  const at = (iso: string) => Date.parse(iso) / 1000;
  expect(sessionExpiry('2026-12-01T10:00:00Z', now)).toBe(at('2026-12-01T10:00:00Z'));
  expect(sessionExpiry('2026-12-01T09:05:00Z', now)).toBe(at('2026-12-01T09:31:00Z'));
  expect(sessionExpiry('2026-12-01T09:45:10Z', now)).toBe(at('2026-12-01T09:46:00Z'));
  expect(sessionExpiry('2026-12-03T09:00:00Z', now)).toBe(at('2026-12-02T09:00:00Z'));
});

test('a signed checkout.session.completed pays the order once: the same webhook again changes nothing', async () => {
  const w = await stripeWorld({ timeoutMinutes: 60 });
  const c = await started(w);
  expect(c.sent[0]!.params.get('expires_at')).toBe(String(Date.parse('2026-12-01T10:00:00Z') / 1000));
  const hook = webhook('checkout.session.completed', stripe.pay(c.session.id));

  expect((await notify(w, hook)).status).toBe(204);
  const paid = await orderOf(w, c);
  expect(paid.status).toBe('paid');
  expect(paid.tickets).toHaveLength(2);
  expect(await w.payment()).toMatchObject({ status: 'succeeded' });

  expect((await notify(w, hook)).status).toBe(204);
  expect(await orderOf(w, c)).toEqual(paid);
  expect(w.logs.filter((l) => l.startsWith(`payment stripe:${c.session.id}`))).toEqual([
    `payment stripe:${c.session.id} succeeded: paid`,
    `payment stripe:${c.session.id} succeeded: duplicate`,
  ]);
  expect(await w.available()).toBe(2);
});

test('a webhook with a bad signature, or a body changed after signing, is refused with 400 and changes nothing', async () => {
  const w = await stripeWorld();
  const c = await started(w);
  const paid = stripe.pay(c.session.id);
  const forged = webhook('checkout.session.completed', paid, 'whsec_SomebodyElsesSecret0');
  const genuine = webhook('checkout.session.completed', paid);
  const altered = { ...genuine, body: genuine.body.replace('"livemode":false', '"livemode":true') };
  const unsigned = { ...genuine, headers: { 'content-type': 'application/json' } };
  for (const hook of [forged, altered, unsigned]) {
    const res = await notify(w, hook);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Notification not verified' } });
  }
  expect((await orderOf(w, c)).status).toBe('pending_payment');
  expect(await w.payment()).toMatchObject({ status: 'pending' });
  expect(await w.available()).toBe(2);
});

test('completed but unpaid (a delayed method) waits; async_payment_succeeded pays; an expired or failed session is a declined payment', async () => {
  const w = await stripeWorld();
  const c = await started(w);
  const unpaid = { ...c.session, status: 'complete', payment_status: 'unpaid' };
  expect((await notify(w, webhook('checkout.session.completed', unpaid))).status).toBe(204);
  expect(await w.payment()).toMatchObject({ status: 'pending' });
  expect((await notify(w, webhook('checkout.session.async_payment_succeeded', stripe.pay(c.session.id)))).status).toBe(204);
  expect((await orderOf(w, c)).status).toBe('paid');

  const v = await stripeWorld();
  const d = await started(v);
  expect((await notify(v, webhook('checkout.session.expired', { ...d.session, status: 'expired' }))).status).toBe(204);
  expect(await v.payment()).toMatchObject({ status: 'declined' });
  expect((await orderOf(v, d)).status).toBe('pending_payment');
  const u = await stripeWorld();
  const f = await started(u);
  expect((await notify(u, webhook('checkout.session.async_payment_failed', { ...f.session, status: 'complete', payment_status: 'unpaid' }))).status).toBe(204);
  expect(await u.payment()).toMatchObject({ status: 'declined' });
  // An event the endpoint was not meant to get is acknowledged and ignored.
  expect((await notify(v, webhook('customer.created', { id: 'cus_1', object: 'customer' }))).status).toBe(204);
});

test('Stripe answering 500, or not at all: a clear error, nothing recorded, the seats still held; the next try creates the session', async () => {
  for (const mode of ['error', 'hang'] as const) {
    const w = await stripeWorld({ timeoutMs: 300 });
    const c = await checkedOut(w);
    stripe.state.mode = mode;
    const failed = await w.json('GET', c.start);
    expect(failed).toEqual({
      status: 409,
      body: { error: { code: 'PAYMENT_FAILED', message: 'The payment service did not answer; your tickets are still held, try again in a moment' } },
    });
    const log = w.logs.find((l) => l.includes('not started'))!;
    expect(log).toContain('Stripe could not create the checkout session:');
    expect(log).toContain(mode === 'error' ? 'An unknown error occurred (HTTP 500)' : 'timeout');
    expect(await w.payment()).toMatchObject({ status: 'pending', provider_payment_id: null, redirect_url: null });
    expect((await orderOf(w, c)).status).toBe('pending_payment');
    expect(await w.available()).toBe(2);

    stripe.state.mode = 'ok';
    const retried = await w.request('GET', c.start);
    expect(retried.status).toBe(303);
    expect(retried.headers.get('location')).toBe([...stripe.sessions.values()].at(-1)!.url);
  }
});

test("a refund is of the session's PaymentIntent, for the amount, under the caller's idempotency key; Stripe failing is ProviderUnavailable", async () => {
  const provider = stripeProvider(local());
  const w = await stripeWorld();
  const { session } = await started(w);
  stripe.pay(session.id);
  const before = stripe.requests.length;
  await provider.refund(session.id, 150000, SETTINGS, { idempotencyKey: 'refund_r1', currency: 'RUB', buyerEmail: 'anna@example.com', lines: [] });
  const [read, refund] = stripe.requests.slice(before);
  expect(read).toMatchObject({ method: 'GET', path: `/v1/checkout/sessions/${session.id}` });
  expect(refund).toMatchObject({ method: 'POST', path: '/v1/refunds' });
  expect(refund!.headers['idempotency-key']).toBe('refund_r1');
  expect(Object.fromEntries(refund!.params)).toEqual({ payment_intent: 'pi_3QjKkLAbCdEfGhIj0aBcDeFg', amount: '150000' });

  stripe.state.mode = 'error';
  await expect(provider.refund(session.id, 150000, SETTINGS, { idempotencyKey: 'refund_r2', currency: 'RUB', buyerEmail: '', lines: [] })).rejects.toThrow(
    ProviderUnavailable,
  );
  stripe.state.mode = 'ok';
});

test('status reads the session: paid, open, expired; a session Stripe does not know is ProviderUnavailable', async () => {
  const provider = stripeProvider(local());
  const w = await stripeWorld();
  const { session } = await started(w);
  expect(await provider.status(session.id, SETTINGS)).toEqual({ providerPaymentId: session.id, status: 'pending' });
  stripe.pay(session.id);
  expect(await provider.status(session.id, SETTINGS)).toEqual({ providerPaymentId: session.id, status: 'succeeded' });
  Object.assign(stripe.sessions.get(session.id)!, { status: 'expired', payment_status: 'unpaid' });
  expect(await provider.status(session.id, SETTINGS)).toEqual({ providerPaymentId: session.id, status: 'declined' });
  await expect(provider.status('cs_test_unknown', SETTINGS)).rejects.toThrow(/No such checkout.session/);
});

test('settings: a secret key and a webhook signing secret of the chosen mode', () => {
  expect(stripeSettingsSchema.safeParse(SETTINGS).success).toBe(true);
  expect(stripeSettingsSchema.safeParse({ ...SETTINGS, mode: 'live' }).error?.issues[0]?.path).toEqual(['secretKey']);
  expect(stripeSettingsSchema.safeParse({ ...SETTINGS, webhookSecret: 'secret' }).success).toBe(false);
  expect(stripeSettingsSchema.safeParse({ mode: 'test' }).success).toBe(false);
});
