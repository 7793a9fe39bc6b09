// Do hot paths and housekeeping grow with history? The same work on two databases in one run:
// the million-cart organizer of bench/stats-data.ts and its empty twin (same events, no
// history). Each figure is in-process (app.request, no sockets), so it is the server's own cost;
// the ratio 1M ÷ empty is what the issue asks about. Then EXPLAIN QUERY PLAN of every statement
// the work ran, on the million-cart database.
import { sql } from 'kysely';
import { copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, ratio, spread, type Spread } from './support/figures.ts';
import { BENCH, benchDatabase } from './stats-data.ts';
import { hotPathServer } from '../test/support/hot-path-work.ts';
import { queryPlans, recordingDatabase } from '../test/support/query-plans.ts';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 280);
const REPEATS = 7;
const catalogue = (e: number, p: number) => ({ slug: `bench-${e}`, performanceId: `prf_bench_${e}_${p}`, ticketTypeId: `tt_bench_${e}` });

/** A clock that runs with real time from the morning after the data's last day, and can jump. */
function benchClock() {
  // 09:00 UTC (noon in Moscow, the events' zone): reminders are not held back by quiet hours.
  const base = BENCH.start + BENCH.days * 86_400_000 + 9 * 3_600_000;
  const t0 = performance.now();
  let skipped = 0;
  return { now: () => new Date(base + skipped + (performance.now() - t0)), advance: (minutes: number) => (skipped += minutes * 60_000) };
}

type Side = Awaited<ReturnType<typeof open>>;

async function open(source: string, name: string) {
  const path = join(tmpdir(), `encore-hot-paths-${process.pid}-${name}.sqlite`);
  copyFileSync(source, path);
  const { db, statements } = recordingDatabase(path);
  // No quiet hours (the bench's clock jumps through evenings, and a held-back reminder would
  // leave a round with nothing to send) and one step, so each round sends its own carts' only.
  await sql`update organizers set settings = json_set(settings, '$.recovery', json('{"quietHours":null,"steps":[{"delayMinutes":60}]}'))`.execute(db);
  const clock = benchClock();
  const server = hotPathServer(db, clock.now);
  await server.purchase(catalogue(0, 0), 'warm@example.com', 'warm');
  return { name, path, db, statements, clock, server, rows: {} as Record<string, number[]> };
}

// Buyers whose addresses have history on the big database (a series on ~13% of them).
const buyer = (i: number) => `buyer${(i * 7919) % BENCH.carts}@example.com`;

/** One repeat of each operation on one side, ms per operation. The sides take turns, so a
 * burst of load elsewhere on the machine hits both alike. */
const operations: [string, (side: Side, r: number) => Promise<number>][] = [
  [
    'bootstrap (cache miss each time)',
    (side, r) => per(40, (i) => side.server.call('GET', `/api/v1/events/bench-${(r * 40 + i) % BENCH.events}?locale=${i % 2 ? 'ru' : 'en'}`)),
  ],
  [
    'whole purchase (bootstrap, hold, details, checkout)',
    (side, r) =>
      per(FLOWS / REPEATS, (i) => {
        const n = r * 1000 + i;
        return side.server.purchase(catalogue(n % BENCH.events, n % 4), buyer(n + 1), `k${n}`);
      }),
  ],
  [
    // The purchases above queued their confirmations (a PDF and a QR code per ticket): timed per
    // mail here, then the idle round on an empty queue.
    'order confirmation mail (PDF, QR), per mail',
    async (side) => {
      const before = side.server.orderMail.length;
      const t = performance.now();
      await side.server.jobs.runOnce();
      const sent = side.server.orderMail.length - before;
      if (sent === 0) throw new Error('no confirmation was sent');
      return (performance.now() - t) / sent;
    },
  ],
  ['recovery round, nothing due', (side) => per(2, () => side.server.jobs.runOnce())],
  [
    'recovery round: abandon, per cart',
    async (side, r) => {
      for (let i = 0; i < 50; i++) await side.server.leave(catalogue(i % BENCH.events, 1), `leaver${r}-${i}@example.com`);
      side.clock.advance(31);
      const abandon = (await per(1, () => side.server.jobs.runOnce())) / 50;
      // The same 50 carts' first reminders, due an hour after their holds lapsed.
      side.clock.advance(61);
      const before = side.server.sent.length;
      const remind = await per(1, () => side.server.jobs.runOnce());
      if (side.server.sent.length - before !== 50) throw new Error(`expected 50 reminders, sent ${side.server.sent.length - before}`);
      side.rows['recovery round: remind, per reminder'] ??= [];
      side.rows['recovery round: remind, per reminder'].push(remind / 50);
      return abandon;
    },
  ],
  ['resume link', (side, r) => per(5, (i) => side.server.resume(side.server.sent.at(-1 - ((r * 5 + i) % 40))!))],
  ['one-click unsubscribe', (side, r) => per(5, async (i) => side.server.unsubscribe(side.server.sent.at(-1 - ((r * 5 + i) % 40))!))],
];

async function per(n: number, fn: (i: number) => Promise<unknown>) {
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (performance.now() - t) / n;
}

const big = await benchDatabase();
const empty = await benchDatabase(0);
console.log(
  `Databases: ${BENCH.carts.toLocaleString('en')} carts${big.built ? ` (built in ${big.seconds.toFixed(0)} s)` : ''} and an empty twin; ${REPEATS} repeats each`,
);
const sides = [await open(empty.path, 'empty'), await open(big.path, '1M')];
for (const [name, run] of operations) {
  for (let r = 0; r < REPEATS; r++) {
    for (const side of sides) {
      side.rows[name] ??= [];
      side.rows[name].push(await run(side, r));
    }
  }
}
const [onEmpty, onBig] = (await Promise.all(
  sides.map(async (side) => {
    await side.db.destroy();
    const plans = await queryPlans(side.path, side.statements);
    for (const suffix of ['', '-wal', '-shm']) rmSync(side.path + suffix, { force: true });
    return { rows: Object.fromEntries(Object.entries(side.rows).map(([k, v]) => [k, spread(v)])) as Record<string, Spread>, plans };
  }),
)) as [
  { rows: Record<string, Spread>; plans: Awaited<ReturnType<typeof queryPlans>> },
  { rows: Record<string, Spread>; plans: Awaited<ReturnType<typeof queryPlans>> },
];
console.table(
  Object.keys(onEmpty.rows).map((name) => ({
    'ms per operation': name,
    'empty: median (min–max)': fmt(onEmpty.rows[name]!, 2),
    '1M carts: median (min–max)': fmt(onBig.rows[name]!, 2),
    '1M ÷ empty': ratio(onBig.rows[name]!.median, onEmpty.rows[name]!.median),
  })),
);
const flow = 'whole purchase (bootstrap, hold, details, checkout)';
const share = onEmpty.rows[flow]!.median / onBig.rows[flow]!.median;
console.log(`Purchase flows per second on 1M carts are ${(share * 100).toFixed(0)}% of the empty database's (goal ≥ 90%).`);

console.log(`\nQuery plans on ${BENCH.carts.toLocaleString('en')} carts (${onBig.plans.length} distinct statements):`);
for (const p of onBig.plans) {
  const flag = p.scans.length ? 'WALKS HISTORY ' : '';
  console.log(`${flag}${p.sql.replace(/\s+/g, ' ').slice(0, 110)}\n    ${p.detail.join(' | ')}`);
}
const walking = onBig.plans.filter((p) => p.scans.length > 0).length;
console.log(`\n${walking} statement(s) walk a history table.`);
if (walking > 0) process.exitCode = 1;
