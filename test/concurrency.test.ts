// Hundreds of buyers at once, over real HTTP, against three server processes sharing one SQLite
// file (as three instances would). With the write guard exactly the capacity is sold; the
// control runs the same workload without it and shows the oversell the guard prevents. Both
// run with queries that yield to other requests (see support/server-process.ts).
import { afterEach, expect, test } from 'vitest';
import { freshDatabase, makeEvent } from './support/world.ts';
import { startServerProcess, stopAll, type ServerProcess } from './support/processes.ts';

const BUYERS = 300;
const CAPACITY = 10;
const PROCESSES = 3;
let running: ServerProcess[] = [];

afterEach(async () => {
  await stopAll(running);
  running = [];
});

async function rush(unguarded: boolean) {
  const { db, path } = await freshDatabase();
  const fixture = await makeEvent(db, new Date(), { capacity: CAPACITY, maxPerOrder: 1 });
  await db.destroy();
  running = await Promise.all(
    Array.from({ length: PROCESSES }, () => startServerProcess({ DATABASE_PATH: path, SLOW_QUERIES: '1', UNGUARDED_WRITES: unguarded ? '1' : '0' })),
  );

  const buyer = async (i: number) => {
    const base = running[i % PROCESSES]!.url;
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

  const { openDatabase } = await import('../server/db/database.ts');
  const check = openDatabase(path);
  const sold = await check
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('performance_id', '=', fixture.performanceId)
    .executeTakeFirstOrThrow();
  await check.destroy();
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
