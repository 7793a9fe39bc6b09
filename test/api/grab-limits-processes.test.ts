// The rate limit on cart creation is one count per client however many processes serve it: two
// API processes on one SQLite file, one address. What one process let through, the other
// counts; a burst split across both lets exactly the budget through.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../../server/platform/db/database.ts';
import { startServerProcess, stopAll, type ServerProcess } from '../support/processes.ts';
import { freshDatabase, makeEvent, SITE } from '../support/world.ts';

const BUDGET = 10;
let db: Db;
let running: ServerProcess[] = [];

beforeAll(async () => {
  const fresh = await freshDatabase();
  db = fresh.db;
  // An hour's window, so the test does not straddle two; only the rate limits here.
  const env = {
    DATABASE_PATH: fresh.path,
    GRAB: 'on',
    CLIENT_RATE_LIMIT: String(BUDGET),
    CLIENT_RATE_WINDOW_SECONDS: '3600',
    CLIENT_MAX_OPEN_CARTS: 'off',
    CLIENT_MAX_HELD_SEATS: 'off',
  };
  running = await Promise.all([startServerProcess(env), startServerProcess(env)]);
});

afterAll(async () => {
  await stopAll(running);
  await db?.destroy();
});

test('two processes share one client’s rate limit', async () => {
  const fx = await makeEvent(db, new Date(), { capacity: 500, maxPerOrder: 6 });
  const create = (server: ServerProcess) =>
    fetch(`${server.url}/api/v1/carts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: JSON.stringify({ performanceId: fx.performanceId, items: [{ ticketTypeId: fx.standard, quantity: 1 }] }),
    });
  const [a, b] = running as [ServerProcess, ServerProcess];

  const first = [];
  for (let i = 0; i < 6; i++) first.push((await create(a)).status);
  expect(first).toEqual([201, 201, 201, 201, 201, 201]);
  // A burst split over both processes: only what is left of the one budget gets through.
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => create(i % 2 ? a : b)));
  expect(burst.filter((r) => r.status === 201)).toHaveLength(BUDGET - 6);
  const refused = burst.filter((r) => r.status !== 201);
  expect(refused.map((r) => r.status)).toEqual([429, 429, 429, 429]);
  expect((await refused[0]!.json()).error.code).toBe('RATE_LIMITED');
  expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
  // The second process, asked alone now, counts what the first let through.
  expect((await create(b)).status).toBe(429);
  const carts = await db.selectFrom('carts').select('id').where('performance_id', '=', fx.performanceId).execute();
  expect(carts).toHaveLength(BUDGET);
});
