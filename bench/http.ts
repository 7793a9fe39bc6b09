// What one request costs, against a bare Hono hello-world in the same run: each server is its
// own process with the same settings, loaded by the same generator (autocannon, in this
// process) on loopback. Then cart creation by one and by two processes on one database file,
// and the bootstrap with the recovery loop on and off over the million-cart database (with the
// API process's event-loop delay). Every figure is repeated; medians with min–max.
import autocannon from 'autocannon';
import { copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { fmt, ratio, spread } from './support/figures.ts';
import { CONNECTIONS, holdBody as holdBodyOf, json, load, purchaseFlow, REPEATS, SECONDS, start, stop } from './support/load.ts';
import { BENCH, benchDatabase } from './stats-data.ts';
import { freshDatabase, makeEvent } from '../test/support/world.ts';

// A database of one event with room for every hold the run makes.
const fresh = await freshDatabase();
const fx = await makeEvent(fresh.db, new Date(), { capacity: 1_000_000_000, maxPerOrder: 10 });
await fresh.db.destroy();
const holdBody = holdBodyOf(fx);
const flow = purchaseFlow(fx);
let serial = 0;

async function requestCosts() {
  const hello = await start({ MODE: 'hello' });
  const api = await start({ MODE: 'api', DATABASE_PATH: fresh.path });
  const bootstrapUrl = `${api.url}/api/v1/events/${fx.slug}`;
  const rows: Record<string, { rps: number[]; p50: number[]; p99: number[]; bad: number }> = {};
  const add = (name: string, r: Awaited<ReturnType<typeof load>>, perFlow = 1) => {
    rows[name] ??= { rps: [], p50: [], p99: [], bad: 0 };
    const row = rows[name];
    row.rps.push(r.rps / perFlow);
    row.p50.push(r.p50);
    row.p99.push(r.p99);
    row.bad += r.bad;
  };
  for (let i = 0; i < REPEATS; i++) {
    add('bare Hono hello (baseline)', await load(`${hello.url}/hello`, {}));
    add('GET event bootstrap (200)', await load(bootstrapUrl, {}));
    const etag = (await fetch(bootstrapUrl)).headers.get('etag')!;
    add('GET event bootstrap (304)', await load(bootstrapUrl, { headers: { 'if-none-match': etag } }, 304));
    add('POST cart (hold 2)', await load(`${api.url}/api/v1/carts`, { method: 'POST', headers: json, body: holdBody }));
    add('whole purchase, per flow (hold, details, checkout)', await load(api.url, { requests: flow }), 3);
  }
  await Promise.all([stop(hello), stop(api)]);

  const base = spread(rows['bare Hono hello (baseline)']!.rps).median;
  const goals: Record<string, string> = {
    'GET event bootstrap (200)': '≥ 25%',
    'GET event bootstrap (304)': '≥ 40%',
    'POST cart (hold 2)': '≥ 6%',
  };
  console.log(`Per request, one process each, ${CONNECTIONS} connections, ${SECONDS} s × ${REPEATS} (req/s median (min–max); latency ms medians)`);
  console.table(
    Object.entries(rows).map(([name, r]) => {
      const rps = spread(r.rps);
      return {
        request: name,
        'req/s': fmt(rps, 0),
        'of hello': `${((rps.median / base) * 100).toFixed(1)}%`,
        goal: goals[name] ?? '',
        'p50 ms': spread(r.p50).median,
        'p99 ms': spread(r.p99).median,
        'unexpected status': r.bad,
      };
    }),
  );
}

async function processes() {
  // Cart creation by one and by two processes on one file, the same two generators either way.
  async function holds(urls: string[]) {
    const rs = await Promise.all(
      urls.map((url) =>
        autocannon({ url: `${url}/api/v1/carts`, connections: CONNECTIONS / 2, duration: SECONDS, method: 'POST', headers: json, body: holdBody }),
      ),
    );
    return rs.reduce((sum, r) => sum + r.requests.average, 0);
  }
  const one = await start({ MODE: 'api', DATABASE_PATH: fresh.path });
  const two = await start({ MODE: 'api', DATABASE_PATH: fresh.path });
  const runs: Record<'1' | '2', { rps: number[]; cpu: number[]; generator: number[] }> = {
    1: { rps: [], cpu: [], generator: [] },
    2: { rps: [], cpu: [], generator: [] },
  };
  // CPU seconds of the servers and of the generator per run: the machine has two cores for all
  // three, so the table shows whether a second server had any core to run on.
  const measure = async (n: '1' | '2', urls: string[]) => {
    await Promise.all([one.report(), two.report()]);
    const generator = process.cpuUsage();
    runs[n].rps.push(await holds(urls));
    const used = process.cpuUsage(generator);
    runs[n].generator.push((used.user + used.system) / 1e6 / SECONDS);
    const reports = await Promise.all([one.report(), two.report()]);
    runs[n].cpu.push(reports.reduce((sum, r) => sum + r.cpuSeconds, 0) / SECONDS);
  };
  for (let i = 0; i < REPEATS; i++) {
    await measure('1', [one.url, one.url]);
    await measure('2', [one.url, two.url]);
  }
  await Promise.all([stop(one), stop(two)]);
  console.log('\nCart creation (POST cart, hold 2) on one database file; req/s median (min–max); CPU in cores busy (median)');
  const row = (n: '1' | '2') => ({
    processes: Number(n),
    'req/s': fmt(spread(runs[n].rps), 0),
    'vs 1': ratio(spread(runs[n].rps).median, spread(runs['1'].rps).median),
    'server CPU': spread(runs[n].cpu).median.toFixed(2),
    'generator CPU': spread(runs[n].generator).median.toFixed(2),
    'req per server CPU-second': Math.round(spread(runs[n].rps).median / spread(runs[n].cpu).median),
  });
  console.table([row('1'), row('2')]);
}

async function recoveryLoop() {
  // The recovery loop in the API process over a million carts, with 2,000 carts to abandon.
  const big = await benchDatabase();
  const clockStart = new Date(BENCH.start + BENCH.days * 86_400_000 + 9 * 3_600_000).toISOString();
  function copyWithWork(): string {
    const path = join(tmpdir(), `encore-http-${process.pid}-${serial++}.sqlite`);
    copyFileSync(big.path, path);
    const sqlite = new SQLite(path);
    const left = new Date(Date.parse(clockStart) - 40 * 60_000).toISOString();
    const lapsed = new Date(Date.parse(clockStart) - 25 * 60_000).toISOString();
    sqlite.transaction(() => {
      const cart = sqlite.prepare(`insert into carts (id, token_hash, organizer_id, event_id, performance_id, status, hold_started_at, hold_expires_at,
        buyer_email, buyer_name, email_captured_at, consent, consent_mode, consent_text, consent_at, locale, page_url, created_at, last_activity_at)
        values (?, 'x', ?, 'evt_bench_1', 'prf_bench_1_1', 'open', ?, ?, ?, 'Leaver', ?, 1, 'opt-in', 'I agree', ?, 'ru', 'https://theatre.example/', ?, ?)`);
      const item = sqlite.prepare(`insert into cart_items (cart_id, ticket_type_id, quantity, unit_price) values (?, 'tt_bench_1', 2, 150000)`);
      for (let i = 0; i < 2000; i++) {
        cart.run(`crt_left_${i}`, BENCH.organizerId, left, lapsed, `leaver${i}@example.com`, left, left, left, left);
        item.run(`crt_left_${i}`);
      }
    })();
    sqlite.close();
    return path;
  }
  const loopRows = [];
  for (const worker of ['off', 'on']) {
    const path = copyWithWork();
    const server = await start({ MODE: 'api', DATABASE_PATH: path, WORKER: worker, CLOCK_START: clockStart });
    await server.report();
    const p99: number[] = [];
    const p50: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const r = await load(`${server.url}/api/v1/events/bench-${i}`, { duration: Math.max(SECONDS, 6) });
      p99.push(r.p99);
      p50.push(r.p50);
    }
    const report = await server.report();
    await stop(server);
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    loopRows.push({
      'recovery loop': worker,
      'bootstrap p50 ms': fmt(spread(p50), 0),
      'bootstrap p99 ms': fmt(spread(p99), 0),
      'event-loop delay p99 ms': report.p99.toFixed(1),
      'event-loop delay max ms': report.max.toFixed(1),
      'rounds (longest ms)': report.rounds.length ? `${report.rounds.length} (${Math.max(...report.rounds).toFixed(0)})` : '—',
    });
  }
  console.log(`\nBootstrap under load over ${BENCH.carts.toLocaleString('en')} carts, recovery loop in the API process off and on (2,000 carts to abandon)`);
  console.table(loopRows);
}

// BENCH_ONLY=requests,processes,loop picks parts; all by default.
const only = (process.env.BENCH_ONLY ?? 'requests,processes,loop').split(',');
if (only.includes('requests')) await requestCosts();
if (only.includes('processes')) await processes();
for (const suffix of ['', '-wal', '-shm']) rmSync(fresh.path + suffix, { force: true });
if (only.includes('loop')) await recoveryLoop();
