// Throughput and latency of the buying path over real HTTP on loopback: one API process on an
// SQLite file (as `npm start` runs it), a load generator in this process. Prints a table.
import { freshDatabase, makeEvent } from '../test/support/world.ts';
import { startServerProcess, stopAll } from '../test/support/processes.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const { db, path } = await freshDatabase();
const fx = await makeEvent(db, new Date(), { capacity: 1_000_000, maxPerOrder: 10 });
await db.destroy();
const server = await startServerProcess({ DATABASE_PATH: path });
const base = server.url;
const json = { 'content-type': 'application/json' };

async function measure(name: string, total: number, one: (i: number) => Promise<number>) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        const status = await one(i);
        latencies.push(performance.now() - t);
        if (status >= 400) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  return { step: name, requests: total, failures, 'req/s': Math.round(total / seconds), 'p50 ms': q(0.5), 'p95 ms': q(0.95), 'p99 ms': q(0.99) };
}

const createCart = () =>
  fetch(`${base}/api/v1/carts`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ performanceId: fx.performanceId, items: [{ ticketTypeId: fx.standard, quantity: 2 }] }),
  });

const rows = [];
rows.push(await measure('GET event bootstrap', 3000, async () => (await (await fetch(`${base}/api/v1/events/${fx.slug}`)).arrayBuffer(), 200)));
rows.push(await measure('POST cart (hold 2)', 2000, async () => {
  const r = await createCart();
  await r.arrayBuffer();
  return r.status;
}));
const flows = await measure('whole purchase (create, PATCH buyer, checkout)', 1000, async (i) => {
  const created = await createCart();
  const cart = await created.json();
  const auth = { ...json, authorization: `Bearer ${cart.token}` };
  await (await fetch(`${base}/api/v1/carts/${cart.id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ buyer: { email: `b${i}@example.com`, name: 'B' } }) })).arrayBuffer();
  const done = await fetch(`${base}/api/v1/carts/${cart.id}/checkout`, { method: 'POST', headers: { ...auth, 'idempotency-key': `k${i}` }, body: '{}' });
  await done.arrayBuffer();
  return done.status;
});
rows.push({ ...flows, step: flows.step + ' [per flow]' });
await stopAll([server]);
console.log(`Buying path, one API process, SQLite WAL, ${CONCURRENCY} concurrent clients on loopback`);
console.table(rows);
