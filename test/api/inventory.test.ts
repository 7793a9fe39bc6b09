// Availability is kept as counters (sales/inventory.ts). After any mix of holds, changed
// quantities, lapsed and renewed holds, emptied carts, checkouts and releases, the seats taken
// must equal what the carts and tickets say — the sum the counters replaced.
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { takenSeats } from '../../server/sales/inventory.ts';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { releaseEndedHoldsRound } from '../../server/sales/holds.ts';
import { bearer, world } from '../support/world.ts';

/** Seats taken, summed from scratch: sold tickets plus quantities in open carts whose hold has not ended. */
async function fromScratch(w: Awaited<ReturnType<typeof world>>, ticketTypeId: string) {
  const now = w.clock.now().toISOString();
  const { rows } = await sql<{ n: number }>`select
      (select count(*) from tickets where performance_id = ${w.performanceId} and ticket_type_id = ${ticketTypeId})
    + (select coalesce(sum(i.quantity), 0) from cart_items i join carts c on c.id = i.cart_id
       where c.performance_id = ${w.performanceId} and i.ticket_type_id = ${ticketTypeId} and c.status = 'open' and c.hold_expires_at > ${now}) as n`.execute(
    w.db,
  );
  return Number(rows[0]!.n);
}

test('counters match the carts and tickets after a random day of holds, changes, lapses and sales', async () => {
  const w = await world({ capacity: 400, maxPerOrder: 10 });
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const carts: { id: string; auth: Record<string, string> }[] = [];
  const types = [w.standard, w.free];
  for (let step = 0; step < 300; step++) {
    const r = random();
    const type = types[Math.floor(random() * 2)]!;
    const quantity = 1 + Math.floor(random() * 4);
    const cart = carts[Math.floor(random() * carts.length)];
    if (r < 0.35 || !cart) {
      const created = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: type, quantity }] });
      if (created.status === 201) carts.push({ id: created.body.id, auth: bearer(created.body.token) });
    } else if (r < 0.55) {
      await w.call('PATCH', `/api/v1/carts/${cart.id}`, { items: random() < 0.2 ? [] : [{ ticketTypeId: type, quantity }] }, cart.auth);
    } else if (r < 0.7) {
      await w.call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email: `b${step}@example.com`, name: 'B' } }, cart.auth);
      await w.call('POST', `/api/v1/carts/${cart.id}/checkout`, {}, cart.auth);
    } else if (r < 0.8) {
      await w.call('PATCH', `/api/v1/carts/${cart.id}`, { locale: 'en' }, cart.auth); // renews or re-takes the hold
    } else if (r < 0.9) {
      w.clock.advance(Math.floor(random() * 20));
    } else {
      await releaseEndedHoldsRound({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now });
    }
    const taken = await takenSeats(w.db, [w.performanceId], w.clock.now().toISOString());
    for (const t of types) expect([step, t, taken(w.performanceId, t)]).toEqual([step, t, await fromScratch(w, t)]);
  }
  // After every ended hold is released, the counter itself is exact.
  await releaseEndedHoldsRound({ db: w.db, tx: writeTransactions(w.db), now: w.clock.now });
  const rows = await w.db.selectFrom('inventory').selectAll().where('performance_id', '=', w.performanceId).execute();
  for (const row of rows) expect(row.sold + row.held).toBe(await fromScratch(w, row.ticket_type_id));
  expect(rows.reduce((n, r) => n + r.sold, 0)).toBeGreaterThan(0);
});
