// Hundreds of buyers at once, over real HTTP, against three server processes sharing one SQLite
// file (as three instances would). With the write guard exactly the capacity is sold; the
// control runs the same workload without it and shows the oversell the guard prevents. Both
// run with queries that yield to other requests (see support/server-process.ts), on the same
// three processes (each listens with and without the guard), each rush on its own event.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../../server/platform/db/database.ts';
import { freshDatabase, makeEvent } from '../support/world.ts';
import { startServerProcess, stopAll, type ServerProcess } from '../support/processes.ts';

const BUYERS = 300;
const CAPACITY = 10;
const PROCESSES = 3;
let db: Db;
let running: ServerProcess[] = [];

beforeAll(async () => {
  const fresh = await freshDatabase();
  db = fresh.db;
  running = await Promise.all(Array.from({ length: PROCESSES }, () => startServerProcess({ DATABASE_PATH: fresh.path, SLOW_QUERIES: '1' })));
});

afterAll(async () => {
  await stopAll(running);
  await db?.destroy();
});

async function rush(unguarded: boolean) {
  const fixture = await makeEvent(db, new Date(), { capacity: CAPACITY, maxPerOrder: 1 });

  const buyer = async (i: number) => {
    const server = running[i % PROCESSES]!;
    const base = unguarded ? server.unguardedUrl : server.url;
    const json = { 'content-type': 'application/json' };
    const created = await fetch(`${base}/api/v1/carts`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ performanceId: fixture.performanceId, items: [{ ticketTypeId: fixture.standard, quantity: 1 }] }),
    });
    if (created.status !== 201) return created.status;
    const cart = await created.json();
    const auth = { ...json, authorization: `Bearer ${cart.token}` };
    await fetch(`${base}/api/v1/carts/${cart.id}`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ buyer: { email: `buyer${i}@example.com`, name: `Buyer ${i}` } }),
    });
    const done = await fetch(`${base}/api/v1/carts/${cart.id}/checkout`, { method: 'POST', headers: { ...auth, 'idempotency-key': `k${i}` }, body: '{}' });
    return done.status;
  };
  const statuses = await Promise.all(Array.from({ length: BUYERS }, (_, i) => buyer(i)));

  const sold = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('performance_id', '=', fixture.performanceId)
    .executeTakeFirstOrThrow();
  return { statuses, sold: Number(sold.n) };
}

test(`${BUYERS} concurrent buyers on ${PROCESSES} processes buy exactly the capacity of ${CAPACITY}`, async () => {
  const { statuses, sold } = await rush(false);
  expect(sold).toBe(CAPACITY);
  expect(statuses.filter((s) => s === 201)).toHaveLength(CAPACITY);
  expect(statuses.filter((s) => s === 409)).toHaveLength(BUYERS - CAPACITY);
  expect(statuses.filter((s) => s >= 500)).toHaveLength(0);
});

test('control: the same rush without the write guard oversells', async () => {
  const { sold } = await rush(true);
  console.info(`without the guard ${sold} tickets were sold for ${CAPACITY} seats`);
  expect(sold).toBeGreaterThan(CAPACITY);
});
