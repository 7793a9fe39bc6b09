// The console's live preview walks every widget step with the draft settings through the real
// cart and checkout rules, and nothing of it stays: no cart, no hold, no order, no seat taken.
import { describe, expect, test } from 'vitest';
import { consoleWorld, eventThroughApi } from '../support/console-world.ts';

async function setup() {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const b = await w.organizer('Other');
  const alice = await w.signIn(a.email, a.password);
  const bob = await w.signIn(b.email, b.password);
  const own = await eventThroughApi(alice.client, w.clock, 'riverside-hamlet');
  const others = await eventThroughApi(bob.client, w.clock, 'other-show');
  // A draft that asks for a phone: the saved settings do not.
  const draft = await alice.client('POST', '/preview', { fields: { phone: 'required', custom: [] } });
  expect(draft.status).toBe(200);
  const preview = { 'x-encore-preview': draft.body.token as string };
  return { w, alice, own, others, preview };
}

async function nothingStays(w: Awaited<ReturnType<typeof consoleWorld>>) {
  const count = async (table: 'carts' | 'orders' | 'tickets' | 'holds') =>
    Number(
      (
        await w.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  expect({ carts: await count('carts'), orders: await count('orders'), tickets: await count('tickets'), holds: await count('holds') }).toEqual({
    carts: 0,
    orders: 0,
    tickets: 0,
    holds: 0,
  });
  const inventory = await w.db.selectFrom('inventory').select(['sold', 'held']).execute();
  expect(inventory.every((row) => row.sold === 0 && row.held === 0)).toBe(true);
  const settings = await w.db.selectFrom('organizers').select('settings').execute();
  expect(settings.some((row) => row.settings.includes('"required"'))).toBe(false);
}

describe('the console preview walks every step and keeps nothing', () => {
  test('tickets, details with the draft rules, done; no cart, hold, order or saved setting remains', async () => {
    const { w, own, preview } = await setup();
    const items = [{ ticketTypeId: own.ticketType.id, quantity: 2 }];
    const made = await w.request('POST', '/api/v1/carts', { performanceId: own.performance.id, items }, preview);
    expect(made.status).toBe(201);
    expect(made.body.id).toMatch(/^prv/);
    expect(made.body.total).toBe(300000);
    expect(made.body.holdActive).toBe(true);
    const auth = { ...preview, authorization: `Bearer ${made.body.token}` };
    const cart = `/api/v1/carts/${made.body.id}`;

    const details = await w.request('PATCH', cart, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
    expect(details.status).toBe(200);
    expect(details.body.buyer.email).toBe('anna@example.com');
    expect((await w.request('GET', cart, undefined, auth)).body.buyer.name).toBe('Anna');

    // The draft makes the phone required: the preview answers as a visitor's checkout would.
    const refused = await w.request('POST', `${cart}/checkout`, {}, auth);
    expect(refused.status).toBe(422);
    expect(refused.body.error.field).toBe('buyer.phone');

    expect((await w.request('PATCH', cart, { buyer: { phone: '+7 900 000-00-00' } }, auth)).status).toBe(200);
    const done = await w.request('POST', `${cart}/checkout`, {}, auth);
    expect(done.status).toBe(201);
    expect(done.body.order.total).toBe(300000);
    expect(done.body.order.tickets).toHaveLength(2);
    expect(done.body.order.id).toMatch(/^prv/);
    await nothingStays(w);
  });

  test("a preview cart cannot take another organizer's seats, outlive its token or be used without its own token", async () => {
    const { w, own, others, preview } = await setup();
    const foreign = await w.request(
      'POST',
      '/api/v1/carts',
      { performanceId: others.performance.id, items: [{ ticketTypeId: others.ticketType.id, quantity: 1 }] },
      preview,
    );
    expect(foreign.status).toBe(404);

    const made = await w.request(
      'POST',
      '/api/v1/carts',
      { performanceId: own.performance.id, items: [{ ticketTypeId: own.ticketType.id, quantity: 1 }] },
      preview,
    );
    const cart = `/api/v1/carts/${made.body.id}`;
    expect((await w.request('PATCH', cart, { buyer: { name: 'X' } }, { ...preview, authorization: 'Bearer wrong-token-000000' })).status).toBe(401);
    expect((await w.request('GET', cart, undefined, { authorization: `Bearer ${made.body.token}` })).status).toBe(404);

    const forged = await w.request('POST', '/api/v1/carts', { performanceId: own.performance.id, items: [] }, { 'x-encore-preview': 'abc.def' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.field).toBe('X-Encore-Preview');
    w.clock.advance(31);
    expect((await w.request('GET', cart, undefined, { ...preview, authorization: `Bearer ${made.body.token}` })).status).toBe(401);
    await nothingStays(w);
  });

  test('availability is checked for real: a preview cannot hold more than is left', async () => {
    const { w, own, preview } = await setup();
    const tooMany = await w.request(
      'POST',
      '/api/v1/carts',
      { performanceId: own.performance.id, items: [{ ticketTypeId: own.ticketType.id, quantity: 11 }] },
      preview,
    );
    expect(tooMany.status).toBeGreaterThanOrEqual(400);
    expect(tooMany.status).toBeLessThan(500);
    await nothingStays(w);
  });
});
