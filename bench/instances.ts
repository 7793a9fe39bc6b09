// Past one process, on PostgreSQL: cart creation and whole purchases with one API instance and
// with three on one database, the same load either way (one autocannon per instance, the
// connections split between them). The baseline, in the same run: a bare Hono hello with one
// and with three processes — how far this machine lets a third process help at all, since the
// instances, PostgreSQL and the load generator share its cores.
//   sh test/support/with-postgres.sh tsx bench/instances.ts   (npm run bench does this)
import autocannon from 'autocannon';
import { cpus } from 'node:os';
import { fmt, ratio, spread } from './support/figures.ts';
import { CONNECTIONS, holdBody, json, purchaseFlow, REPEATS, SECONDS, start, stop, type Server } from './support/load.ts';
import { freshDatabase, makeEvent } from '../test/support/world.ts';
import { postgresAdminUrl } from '../test/support/databases.ts';

if (!postgresAdminUrl) {
  console.error('bench/instances.ts runs on PostgreSQL: sh test/support/with-postgres.sh tsx bench/instances.ts');
  process.exit(1);
}

const fresh = await freshDatabase();
// One big on-sale: every cart takes the same ticket type, so every hold waits for the one before
// it at the seat lock (lockSeats). Many theatres: twelve organizers' shows, each cart one of them.
const fx = await makeEvent(fresh.db, new Date(), { capacity: 1_000_000_000, maxPerOrder: 10 });
const theatres = await Promise.all(Array.from({ length: 12 }, () => makeEvent(fresh.db, new Date(), { capacity: 1_000_000_000, maxPerOrder: 10 })));
let next = 0;
const anyTheatre: autocannon.Request[] = [
  { method: 'POST', path: '/api/v1/carts', headers: json, setupRequest: (req) => ({ ...req, body: holdBody(theatres[next++ % theatres.length]!) }) },
];

/** Requests per second over `servers`, CONNECTIONS in all, split evenly; a flow of n requests counts once. */
async function rate(servers: Server[], o: { path?: string; method?: 'POST'; body?: string; requests?: autocannon.Request[]; perFlow?: number }) {
  const results = await Promise.all(
    servers.map((s) =>
      autocannon({
        url: `${s.url}${o.path ?? ''}`,
        connections: Math.max(1, Math.round(CONNECTIONS / servers.length)),
        duration: SECONDS,
        headers: json,
        // autocannon refuses keys present but undefined.
        ...(o.method ? { method: o.method, body: o.body } : {}),
        ...(o.requests ? { requests: o.requests } : {}),
      }),
    ),
  );
  const bad = results.reduce((n, r) => n + r.non2xx + r.errors, 0);
  return { rps: results.reduce((n, r) => n + r.requests.average, 0) / (o.perFlow ?? 1), bad };
}

const hello = await Promise.all([1, 2, 3].map(() => start({ MODE: 'hello' })));
const api = await Promise.all([1, 2, 3].map(() => start({ MODE: 'api', DATABASE_PATH: fresh.path })));
const rows: Record<string, Record<1 | 3, number[]>> = {};
let bad = 0;
const add = (name: string, n: 1 | 3, r: { rps: number; bad: number }) => {
  rows[name] ??= { 1: [], 3: [] };
  rows[name][n].push(r.rps);
  bad += r.bad;
};
for (let i = 0; i < REPEATS; i++) {
  for (const n of [1, 3] as const) {
    add('bare Hono hello (baseline)', n, await rate(hello.slice(0, n), { path: '/hello' }));
    add('POST cart, one show (hold 2)', n, await rate(api.slice(0, n), { path: '/api/v1/carts', method: 'POST', body: holdBody(fx) }));
    add('POST cart, 12 theatres (hold 2)', n, await rate(api.slice(0, n), { requests: anyTheatre }));
    add('whole purchase, one show, per flow (hold, details, checkout)', n, await rate(api.slice(0, n), { requests: purchaseFlow(fx), perFlow: 3 }));
  }
}
await Promise.all([...hello, ...api].map(stop));
const sold = await fresh.db
  .selectFrom('tickets')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
await fresh.db.destroy();

console.log(
  `One and three API instances on one PostgreSQL database, ${CONNECTIONS} connections in all, ${SECONDS} s × ${REPEATS}, ${cpus().length} cores for everything (req/s median (min–max))`,
);
console.table(
  Object.entries(rows).map(([name, r]) => ({
    request: name,
    '1 instance': fmt(spread(r[1]), 0),
    '3 instances': fmt(spread(r[3]), 0),
    '3 vs 1': ratio(spread(r[3]).median, spread(r[1]).median),
  })),
);
console.log(`${Number(sold.n).toLocaleString('en')} tickets sold; ${bad} responses not 2xx`);
