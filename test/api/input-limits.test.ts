// Input a stranger controls, kept in bounds: a buyer's name is one short line (it is printed in
// emails to whatever address was typed), an order has at most MAX_TICKETS_PER_ORDER tickets and
// the largest one completes, and question ids are never looked up on a plain object.
import { expect, test } from 'vitest';
import { MAX_TICKETS_PER_ORDER } from '../../server/sales/holds.ts';
import { bearer, SITE, world } from '../support/world.ts';

async function cart(w: Awaited<ReturnType<typeof world>>, items: { ticketTypeId: string; quantity: number }[]) {
  const created = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items, locale: 'en' }, { origin: SITE });
  const auth = { ...bearer(created.body.token), origin: SITE };
  return {
    created,
    patch: (body: unknown) => w.call('PATCH', `/api/v1/carts/${created.body.id}`, body, auth),
    checkout: () => w.call('POST', `/api/v1/carts/${created.body.id}/checkout`, {}, auth),
  };
}

test('a buyer name is one line of at most 120 characters, without control characters', async () => {
  const w = await world();
  const c = await cart(w, [{ ticketTypeId: w.standard, quantity: 1 }]);
  for (const name of ['Anna\n\nYour account is locked: call +1 555 0100', 'Anna\rBcc: x', 'Anna\tK', 'Anna\u2028K', 'A'.repeat(121)]) {
    const res = await c.patch({ buyer: { email: 'anna@example.com', name } });
    expect(res.status, JSON.stringify(name)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', field: 'buyer.name' });
  }
  const ok = await c.patch({ buyer: { email: 'anna@example.com', name: `  Анна-Мария O'Neil ${'я'.repeat(90)}  ` } });
  expect(ok.status).toBe(200);
  expect(ok.body.buyer.name).toBe(`Анна-Мария O'Neil ${'я'.repeat(90)}`);
});

test(`an order holds at most ${MAX_TICKETS_PER_ORDER} tickets over all types (422, not a 500), and one that large completes`, async () => {
  // Free, so the tickets are issued at checkout (a paid order's are issued when paid).
  const w = await world({ capacity: 6000, price: 0, maxPerOrder: 1000 });
  const types = [w.standard];
  for (let i = 0; i < 5; i++) {
    const id = `tt_bulk_${i}`;
    await w.db
      .insertInto('ticket_types')
      .values({ id, event_id: w.eventId, name: `Bulk ${i}`, price: 0, capacity: 1000, min_per_order: 1, max_per_order: 1000, position: 2 + i })
      .execute();
    types.push(id);
  }
  const tooMany = await cart(
    w,
    types.map((ticketTypeId) => ({ ticketTypeId, quantity: 1000 })),
  );
  expect(tooMany.created.status).toBe(422);
  expect(tooMany.created.body.error).toMatchObject({ code: 'QUANTITY_LIMIT', field: 'items' });

  const largest = await cart(w, [
    { ticketTypeId: types[0]!, quantity: 600 },
    { ticketTypeId: types[1]!, quantity: 400 },
  ]);
  expect(largest.created.status).toBe(201);
  expect(
    (
      await largest.patch({
        items: [
          { ticketTypeId: types[0]!, quantity: 601 },
          { ticketTypeId: types[1]!, quantity: 400 },
        ],
      })
    ).body.error,
  ).toMatchObject({
    code: 'QUANTITY_LIMIT',
  });
  expect((await largest.patch({ buyer: { email: 'group@example.com', name: 'School group' }, consent: true })).status).toBe(200);
  const done = await largest.checkout();
  expect(done.status, JSON.stringify(done.body)).toBe(201);
  const tickets = await w.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('order_id', '=', done.body.order.id)
    .executeTakeFirstOrThrow();
  expect(Number(tickets.n)).toBe(MAX_TICKETS_PER_ORDER);
  expect(done.body.order.tickets).toHaveLength(MAX_TICKETS_PER_ORDER);
});

test('a required question whose id is a property of every object ("constructor", "toString") still needs an answer', async () => {
  const custom = ['constructor', 'tostring', 'valueof'].map((id) => ({ id, label: { en: id }, required: true }));
  const w = await world({ settings: { fields: { custom } } });
  const c = await cart(w, [{ ticketTypeId: w.standard, quantity: 1 }]);
  await c.patch({ buyer: { email: 'anna@example.com', name: 'Anna' }, consent: true });
  const refused = await c.checkout();
  expect(refused.status).toBe(422);
  expect(refused.body.error).toMatchObject({ code: 'BUYER_REQUIRED', field: 'buyer.answers.constructor' });
  const answered = await c.patch({ buyer: { answers: { constructor: 'yes', tostring: 'a', valueof: 'b' } } });
  expect(answered.body.buyer.answers).toEqual({ constructor: 'yes', tostring: 'a', valueof: 'b' });
  expect((await c.checkout()).status).toBe(201);
});
