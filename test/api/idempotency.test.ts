import { expect, test } from 'vitest';
import { bearer, world } from '../support/world.ts';

async function readyCart() {
  const w = await world({ capacity: 10 });
  const created = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 2 }] });
  const auth = bearer(created.body.token);
  await w.call('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  return { w, id: created.body.id as string, auth };
}

const orderCount = (w: Awaited<ReturnType<typeof world>>) =>
  w.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

test('a retry with the same key returns the same response and makes no second order', async () => {
  const { w, id, auth } = await readyCart();
  const headers = { ...auth, 'idempotency-key': 'key-1' };
  const first = await w.call('POST', `/api/v1/carts/${id}/checkout`, { paymentMethod: 'box_office' }, headers);
  const retry = await w.call('POST', `/api/v1/carts/${id}/checkout`, { paymentMethod: 'box_office' }, headers);
  expect(first.status).toBe(201);
  expect(retry.status).toBe(201);
  expect(retry.body).toEqual(first.body);
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(await orderCount(w)).toBe(1);
});

test('a burst of double clicks with one key yields one order and identical responses', async () => {
  const { w, id, auth } = await readyCart();
  const headers = { ...auth, 'idempotency-key': 'double-click' };
  const responses = await Promise.all(Array.from({ length: 20 }, () => w.call('POST', `/api/v1/carts/${id}/checkout`, {}, headers)));
  expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
  expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
  expect(await orderCount(w)).toBe(1);
  const tickets = await w.db.selectFrom('tickets').select('id').execute();
  expect(tickets).toHaveLength(2);
});

test('the same key with a different body is rejected', async () => {
  const { w, id, auth } = await readyCart();
  const headers = { ...auth, 'idempotency-key': 'key-2' };
  await w.call('POST', `/api/v1/carts/${id}/checkout`, {}, headers);
  const other = await w.call('POST', `/api/v1/carts/${id}/checkout`, { paymentMethod: 'box_office' }, headers);
  expect(other.status).toBe(422);
  expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  expect(await orderCount(w)).toBe(1);
});

test('a new key on a completed cart cannot make a second order', async () => {
  const { w, id, auth } = await readyCart();
  await w.call('POST', `/api/v1/carts/${id}/checkout`, {}, { ...auth, 'idempotency-key': 'a' });
  const second = await w.call('POST', `/api/v1/carts/${id}/checkout`, {}, { ...auth, 'idempotency-key': 'b' });
  expect(second.status).toBe(409);
  expect(second.body.error.code).toBe('CART_COMPLETED');
  expect(await orderCount(w)).toBe(1);
});

test('a failed checkout is not remembered: the same key works once the buyer fixes the cart', async () => {
  const w = await world();
  const created = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] });
  const auth = bearer(created.body.token);
  const headers = { ...auth, 'idempotency-key': 'k' };
  const missing = await w.call('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, headers);
  expect(missing.body.error.code).toBe('BUYER_REQUIRED');
  await w.call('PATCH', `/api/v1/carts/${created.body.id}`, { buyer: { email: 'c@example.com', name: 'C' } }, auth);
  expect((await w.call('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, headers)).status).toBe(201);
});
