// The YooKassa provider through the real lifecycle and HTTP surface, against a local server that
// answers with YooKassa's documented shapes (test/support/yookassa-fixture.ts): the request we
// send (auth, idempotence key, 54-FZ receipt), the redirect, notifications verified by fetching
// the payment back, forged and duplicate notifications, 5xx and timeouts, refunds, exact money.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { paymentLines } from '../../server/payments/payment-lines.ts';
import { fromDecimal, toDecimal, yookassaProvider, yookassaSettingsSchema } from '../../server/payments/yookassa.ts';
import { bearer, SITE, world } from '../support/world.ts';
import { fixture, SECRET_KEY, SHOP_ID, yookassaFixture, type YookassaFixture } from '../support/yookassa-fixture.ts';

const BASE = 'https://api.encore.test';
let api: YookassaFixture;
beforeAll(async () => {
  api = await yookassaFixture();
});
afterAll(() => api.close());

async function yookassaWorld(shop: Record<string, unknown> = {}) {
  api.clearFailures();
  const settings = { payments: { provider: 'yookassa', providers: { yookassa: { shopId: SHOP_ID, secretKey: SECRET_KEY, ...shop } } } };
  const w = await world({ capacity: 4, settings });
  const app = createApp({ db: w.db, now: w.clock.now, log: (l) => w.logs.push(l), publicBaseUrl: BASE, yookassa: { apiUrl: api.apiUrl, timeoutMs: 300 } });
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
  const notify = (body: unknown) =>
    request('POST', `/payments/notify/yookassa/${w.organizerId}`, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { ...w, app, request, json, notify };
}

type YookassaWorld = Awaited<ReturnType<typeof yookassaWorld>>;

/** Two Stalls checked out by Anna: the pending order and our start URL (not yet followed). */
async function checkedOut(w: YookassaWorld) {
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

/** Follows our start URL: YooKassa's payment page and its payment id. */
async function started(w: YookassaWorld, start: string) {
  const res = await w.request('GET', start);
  expect(res.status).toBe(303);
  const page = res.headers.get('location')!;
  expect(page).toMatch(/^https:\/\/yoomoney\.ru\/checkout\/payments\/v2\/contract\?orderId=/);
  return { page, id: new URL(page).searchParams.get('orderId')! };
}

const notification = (event: 'payment.succeeded' | 'payment.canceled', id: string) => {
  const shape = fixture(`notification-${event.replace('.', '-')}`);
  return { ...shape, object: { ...shape.object, id } };
};
const orderOf = async (w: YookassaWorld, cartId: string, auth: Record<string, string>) =>
  (await w.json('GET', `/api/v1/carts/${cartId}/order`, undefined, auth)).body;
const since = (n: number) => api.requests.slice(n);

test('starting a payment sends YooKassa an authenticated, idempotent payment with a 54-FZ receipt, and sends the buyer to its page', async () => {
  const w = await yookassaWorld({ vatCode: 4 });
  const { order, start } = await checkedOut(w);
  const n = api.requests.length;
  const { id } = await started(w, start);
  const [sent] = since(n);
  expect(sent).toMatchObject({ method: 'POST', path: '/payments' });
  expect(sent!.headers.authorization).toBe(`Basic ${Buffer.from(`${SHOP_ID}:${SECRET_KEY}`).toString('base64')}`);
  expect(sent!.headers['idempotence-key']).toMatch(/^idem_/);
  const payment = await w.db.selectFrom('payments').selectAll().where('order_id', '=', order.id).executeTakeFirstOrThrow();
  expect(sent!.headers['idempotence-key']).toBe(payment.idempotency_key);
  expect(sent!.body).toEqual({
    amount: { value: '3000.00', currency: 'RUB' },
    capture: true,
    confirmation: { type: 'redirect', return_url: `${BASE}/payments/return/${payment.id}` },
    description: `Order ${order.number}`,
    metadata: { orderId: order.id, paymentId: payment.id },
    receipt: {
      customer: { email: 'anna@example.com' },
      items: [
        {
          description: 'Hamlet: Stalls',
          quantity: 2,
          amount: { value: '1500.00', currency: 'RUB' },
          vat_code: 4,
          payment_subject: 'service',
          payment_mode: 'full_payment',
        },
      ],
    },
  });
  expect(payment).toMatchObject({ provider: 'yookassa', provider_payment_id: id, status: 'pending' });
  // Following the start link again is the same payment: no second call.
  await started(w, start);
  expect(since(n)).toHaveLength(1);
});

test('a notification is verified by fetching the payment back; succeeded pays the order once, however often it arrives', async () => {
  const w = await yookassaWorld();
  const { cartId, auth, start } = await checkedOut(w);
  const { id } = await started(w, start);
  api.settle(id, 'succeeded');
  const n = api.requests.length;
  expect((await w.notify(notification('payment.succeeded', id))).status).toBe(204);
  expect(since(n).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /payments/${id}`]);
  expect(since(n)[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${SHOP_ID}:${SECRET_KEY}`).toString('base64')}`);
  const paid = await orderOf(w, cartId, auth);
  expect(paid.status).toBe('paid');
  expect(paid.tickets).toHaveLength(2);

  expect((await w.notify(notification('payment.succeeded', id))).status).toBe(204);
  expect((await w.notify(fixture('notification-refund-succeeded'))).status).toBe(400); // another shop's payment id: unknown here
  const tickets = await w.db.selectFrom('tickets').select('id').where('order_id', '=', paid.id).execute();
  expect(tickets).toHaveLength(2);
  expect(w.logs.filter((l) => l.includes(`yookassa:${id}`))).toEqual([`payment yookassa:${id} succeeded: paid`, `payment yookassa:${id} succeeded: duplicate`]);
  // The buyer comes back to the theatre's page with the marker the widget reads.
  const back = await w.request('GET', `/payments/return/${(await w.db.selectFrom('payments').select('id').executeTakeFirstOrThrow()).id}`);
  expect(back.headers.get('location')).toBe(`${SITE}/hamlet?encore_order=${paid.id}`);
});

test('a forged notification changes nothing: the fetched status counts, not the body', async () => {
  const w = await yookassaWorld();
  const { cartId, auth, start } = await checkedOut(w);
  const { id } = await started(w, start);
  // The body claims success; YooKassa says the payment is still pending.
  expect((await w.notify(notification('payment.succeeded', id))).status).toBe(204);
  expect((await orderOf(w, cartId, auth)).status).toBe('pending_payment');
  // A payment id YooKassa does not know in this shop, and a body that is not a notification.
  expect((await w.notify(notification('payment.succeeded', '2f5c3a1e-000f-5000-8000-ffffffffffff'))).status).toBe(400);
  expect((await w.notify({ paymentId: id, status: 'succeeded' })).status).toBe(400);
  expect((await orderOf(w, cartId, auth)).status).toBe('pending_payment');
  const payment = await w.db.selectFrom('payments').select('status').executeTakeFirstOrThrow();
  expect(payment.status).toBe('pending');
});

test('a canceled payment is declined; the order keeps its seats and the buyer pays again', async () => {
  const w = await yookassaWorld();
  const { cartId, auth, start } = await checkedOut(w);
  const first = await started(w, start);
  api.settle(first.id, 'canceled');
  expect((await w.notify(notification('payment.canceled', first.id))).status).toBe(204);
  expect((await orderOf(w, cartId, auth)).status).toBe('pending_payment');
  const again = await w.json('POST', `/api/v1/carts/${cartId}/order/payment`, {}, auth);
  const second = await started(w, again.body.redirectUrl);
  expect(second.id).not.toBe(first.id);
  api.settle(second.id, 'succeeded');
  await w.notify(notification('payment.succeeded', second.id));
  expect((await orderOf(w, cartId, auth)).status).toBe('paid');
});

test('a 5xx or a timeout from YooKassa is a clear PAYMENT_FAILED, nothing is lost, and the retry uses the same idempotence key', async () => {
  const w = await yookassaWorld();
  const { cartId, auth, start } = await checkedOut(w);
  const n = api.requests.length;
  api.failNext('500');
  const failed = await w.json('GET', start);
  expect(failed).toMatchObject({ status: 409, body: { error: { code: 'PAYMENT_FAILED' } } });
  expect(w.logs.some((l) => l.includes('answered 500 internal_server_error'))).toBe(true);
  api.failNext('hang');
  const slow = await w.json('GET', start);
  expect(slow).toMatchObject({ status: 409, body: { error: { code: 'PAYMENT_FAILED' } } });
  expect(w.logs.some((l) => l.includes('no answer in 300 ms'))).toBe(true);
  expect(await w.db.selectFrom('payments').select(['status', 'provider_payment_id']).execute()).toEqual([{ status: 'pending', provider_payment_id: null }]);
  expect((await orderOf(w, cartId, auth)).status).toBe('pending_payment');

  // A buyer's browser is sent back to the theatre's page, where the widget offers to pay again.
  api.failNext('500');
  const browser = await w.request('GET', start, { headers: { accept: 'text/html,application/xhtml+xml' } });
  expect(browser.status).toBe(303);
  expect(browser.headers.get('location')).toMatch(`${SITE}/hamlet?encore_order=ord_`);

  const { id } = await started(w, start);
  const keys = since(n).map((r) => r.headers['idempotence-key']);
  expect(keys).toHaveLength(4);
  expect(new Set(keys).size).toBe(1);
  // A notification that cannot be verified yet is refused with a 503, so YooKassa sends it again.
  api.settle(id, 'succeeded');
  api.failNext('500');
  expect((await w.notify(notification('payment.succeeded', id))).status).toBe(503);
  expect((await orderOf(w, cartId, auth)).status).toBe('pending_payment');
  expect((await w.notify(notification('payment.succeeded', id))).status).toBe(204);
  expect((await orderOf(w, cartId, auth)).status).toBe('paid');
});

test('wrong credentials are a PAYMENT_FAILED with the reason logged, never a 500', async () => {
  const w = await yookassaWorld({ secretKey: 'test_wrong' });
  const { start } = await checkedOut(w);
  expect(await w.json('GET', start)).toMatchObject({ status: 409, body: { error: { code: 'PAYMENT_FAILED' } } });
  expect(w.logs.some((l) => l.includes('answered 401 invalid_credentials'))).toBe(true);
  const incomplete = await yookassaWorld({ shopId: undefined });
  expect(await incomplete.json('GET', (await checkedOut(incomplete)).start)).toMatchObject({ status: 409, body: { error: { code: 'PAYMENT_FAILED' } } });
  expect(incomplete.logs.some((l) => l.includes('settings are incomplete: shopId'))).toBe(true);
});

test('a refund posts the amount and its receipt with an idempotence key; the status is read from the API', async () => {
  const w = await yookassaWorld();
  const { start } = await checkedOut(w);
  const { id } = await started(w, start);
  api.settle(id, 'succeeded');
  const provider = yookassaProvider({ apiUrl: api.apiUrl });
  const settings = yookassaSettingsSchema.parse({ shopId: SHOP_ID, secretKey: SECRET_KEY });
  expect(await provider.status(id, settings)).toEqual({ providerPaymentId: id, status: 'succeeded' });
  const n = api.requests.length;
  const details = {
    idempotencyKey: 'refund_1',
    currency: 'RUB',
    buyerEmail: 'anna@example.com',
    lines: [{ description: 'Hamlet: Stalls', quantity: 1, unitAmount: 150000 }],
  };
  await provider.refund(id, 150000, settings, details);
  await provider.refund(id, 150000, settings, details);
  const [sent, retried] = since(n);
  expect(sent).toMatchObject({ method: 'POST', path: '/refunds', headers: { 'idempotence-key': 'refund_1' } });
  expect(retried!.headers['idempotence-key']).toBe('refund_1');
  expect(sent!.body).toEqual({
    payment_id: id,
    amount: { value: '1500.00', currency: 'RUB' },
    receipt: {
      customer: { email: 'anna@example.com' },
      items: [
        {
          description: 'Hamlet: Stalls',
          quantity: 1,
          amount: { value: '1500.00', currency: 'RUB' },
          vat_code: 1,
          payment_subject: 'service',
          payment_mode: 'full_payment',
        },
      ],
    },
  });
  await expect(
    provider.refund(id, 150000, settings, { ...details, idempotencyKey: 'refund_2', lines: [{ ...details.lines[0]!, unitAmount: 100000 }] }),
  ).rejects.toThrow('Receipt lines sum to 100000, not 150000');
  await expect(provider.refund(id, 150000, settings)).rejects.toThrow('receipt');
});

test('money is exact: minor units to decimal strings and back, and receipt lines sum to the amount under any discount', () => {
  expect([0, 5, 50, 100, 150000, 123456789, 9007199254740991].map(toDecimal)).toEqual([
    '0.00',
    '0.05',
    '0.50',
    '1.00',
    '1500.00',
    '1234567.89',
    '90071992547409.91',
  ]);
  expect(['0.05', '0.5', '1500', '1500.00', '90071992547409.91'].map(fromDecimal)).toEqual([5, 50, 150000, 150000, 9007199254740991]);
  expect(() => toDecimal(1.5)).toThrow();
  expect(() => fromDecimal('1,50')).toThrow();
  const tickets = [...Array(3).fill({ name: 'Stalls', price: 150000 }), { name: 'Balcony', price: 99999 }];
  for (const amount of [549999, 500000, 333333, 1, 0]) {
    const lines = paymentLines(tickets, amount, 'Order');
    expect(lines.reduce((sum, l) => sum + l.quantity * l.unitAmount, 0)).toBe(amount);
    expect(lines.reduce((sum, l) => sum + l.quantity, 0)).toBe(4);
    expect(lines.every((l) => Number.isInteger(l.unitAmount) && l.unitAmount >= 0)).toBe(true);
  }
  expect(paymentLines(tickets, 549999, 'Order')).toEqual([
    { description: 'Stalls', quantity: 3, unitAmount: 150000 },
    { description: 'Balcony', quantity: 1, unitAmount: 99999 },
  ]);
});

test("console settings: the key must match the shop's mode, the secret is write-only, and no API returns it", async () => {
  expect(yookassaSettingsSchema.safeParse({ shopId: SHOP_ID, secretKey: 'live_abc', mode: 'test' }).success).toBe(false);
  expect(yookassaSettingsSchema.parse({ shopId: SHOP_ID, secretKey: 'live_abc', mode: 'live' })).toMatchObject({ vatCode: 1, mode: 'live' });
  const w = await world({ capacity: 4 });
  const app = createApp({ db: w.db, now: w.clock.now, publicBaseUrl: BASE, yookassa: { apiUrl: api.apiUrl } });
  const { key } = await createApiKey(w.db, w.organizerId, 'test', w.clock.now());
  const settings = async (method: string, body?: unknown) => {
    const res = await app.request('/api/console/v1/settings', {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(text).not.toContain(SECRET_KEY);
    return { status: res.status, body: JSON.parse(text) };
  };
  const stored = async () =>
    JSON.parse((await w.db.selectFrom('organizers').select('settings').where('id', '=', w.organizerId).executeTakeFirstOrThrow()).settings).payments;

  expect((await settings('PATCH', { payments: { provider: 'yookassa' } })).body.error).toMatchObject({
    code: 'VALIDATION',
    field: 'payments.providers.yookassa',
  });
  const wrongMode = await settings('PATCH', { payments: { providers: { yookassa: { shopId: SHOP_ID, secretKey: SECRET_KEY, mode: 'live' } } } });
  expect(wrongMode.body.error).toMatchObject({ code: 'VALIDATION', field: 'payments.providers.yookassa.secretKey' });
  expect((await settings('PATCH', { payments: { provider: 'paypal' } })).body.error).toMatchObject({ code: 'VALIDATION', field: 'payments.provider' });

  const saved = await settings('PATCH', {
    payments: { provider: 'yookassa', providers: { yookassa: { shopId: SHOP_ID, secretKey: SECRET_KEY, vatCode: 4 } } },
  });
  expect(saved.status).toBe(200);
  expect(saved.body.payments).toEqual({
    provider: 'yookassa',
    timeoutMinutes: 20,
    providers: { yookassa: { shopId: SHOP_ID, secretKeySet: true, vatCode: 4, mode: 'test' } },
    reservation: { hoursAfterBooking: 72, hoursBeforeShow: 2 },
    offered: [
      { id: 'yookassa', notificationUrl: `${BASE}/payments/notify/yookassa/${w.organizerId}` },
      { id: 'stripe', notificationUrl: `${BASE}/payments/notify/stripe/${w.organizerId}` },
    ],
  });
  expect((await settings('GET')).body.payments).toEqual(saved.body.payments);
  // A change that leaves the key out keeps it.
  await settings('PATCH', { payments: { timeoutMinutes: 30, providers: { yookassa: { vatCode: 1 } } } });
  expect(await stored()).toEqual({
    provider: 'yookassa',
    timeoutMinutes: 30,
    providers: { yookassa: { shopId: SHOP_ID, secretKey: SECRET_KEY, vatCode: 1, mode: 'test' } },
    reservation: { hoursAfterBooking: 72, hoursBeforeShow: 2 },
  });
  const bootstrap = await app.request(`/api/v1/events/${w.slug}`);
  expect(await bootstrap.text()).not.toContain(SECRET_KEY);
});
