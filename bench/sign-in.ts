// Does a burst of console sign-ins slow the widget? Password hashing (scrypt) runs on libuv's
// thread pool; at most 2 hashes run at once and 16 wait (console/passwords.ts), and the
// widget's bootstrap uses nothing from the pool. The bench times bootstraps, one at a time, with
// no sign-ins and beside 4, 8 and 32 clients signing in without pause (unknown emails, each
// attempt from its own address, so the throttle never cuts the hashing short). Same process,
// same database, same run: read the ratios.
import { freshDatabase, makeEvent, SITE } from '../test/support/world.ts';
import { fmt, percentile, ratio, spread } from './support/figures.ts';
import { start, stop } from './support/load.ts';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);

const fresh = await freshDatabase();
const fx = await makeEvent(fresh.db, new Date());
const api = await start({ MODE: 'api', DATABASE_PATH: fresh.path, TRUST_PROXY: '1' });

async function bootstraps(): Promise<number[]> {
  const times: number[] = [];
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    const t = performance.now();
    const res = await fetch(`${api.url}/api/v1/events/${fx.slug}`, { headers: { origin: SITE } });
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

async function signInLoad(clients: number, until: () => boolean) {
  let n = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (!until()) {
        n += 1;
        const res = await fetch(`${api.url}/api/console/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${c}.${(n >> 8) & 255}.${n & 255}` },
          body: JSON.stringify({ email: `guess${n}@example.com`, password: 'wrong-password' }),
        });
        if (res.status === 429) refused += 1;
        await res.arrayBuffer();
      }
    }),
  );
  return { attempts: n, refused };
}

const rows: Record<string, string | number>[] = [];
let base = 0;
for (const clients of [0, 4, 8, 32]) {
  const p50s: number[] = [];
  const p99s: number[] = [];
  let attempts = 0;
  let refused = 0;
  for (let r = 0; r < REPEATS; r++) {
    let done = false;
    const load = clients ? signInLoad(clients, () => done) : Promise.resolve({ attempts: 0, refused: 0 });
    const times = await bootstraps();
    done = true;
    const l = await load;
    attempts += l.attempts;
    refused += l.refused;
    p50s.push(percentile(times, 0.5));
    p99s.push(percentile(times, 0.99));
  }
  const p50 = spread(p50s);
  if (clients === 0) base = p50.median;
  rows.push({
    'sign-in clients': clients,
    'bootstrap p50 ms': fmt(p50, 2),
    'p99 ms': fmt(spread(p99s), 2),
    'p50 vs none': ratio(p50.median, base),
    'sign-ins/s (429 of them)': clients ? `${(attempts / (REPEATS * SECONDS)).toFixed(0)} (${(refused / (REPEATS * SECONDS)).toFixed(0)})` : '',
  });
}
console.log(`\nBootstrap latency beside console sign-ins (${REPEATS} × ${SECONDS} s each; median (min–max) of the runs)`);
console.table(rows);
await stop(api);
process.exit(0);
