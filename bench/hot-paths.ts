// Do hot paths and housekeeping grow with history? The same work on two databases in one run:
// the million-cart organizer of bench/stats-data.ts and its empty twin (same events, no
// history). Each figure is in-process (app.request, no sockets), so it is the server's own cost;
// the ratio 1M ÷ empty is what the issue asks about. Then EXPLAIN QUERY PLAN of every statement
// the work ran, on the million-cart database.
import { copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, ratio, spread, type Spread } from './support/figures.ts';
import { BENCH, benchDatabase } from './stats-data.ts';
import { hotPathServer } from '../test/support/hot-path-work.ts';
import { queryPlans, recordingDatabase } from '../test/support/query-plans.ts';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 300);
const REPEATS = 5;
const catalogue = (e: number, p: number) => ({ slug: `bench-${e}`, performanceId: `prf_bench_${e}_${p}`, ticketTypeId: `tt_bench_${e}` });

/** A clock that runs with real time from the morning after the data's last day, and can jump. */
function benchClock() {
  // 09:00 UTC (noon in Moscow, the events' zone): reminders are not held back by quiet hours.
  const base = BENCH.start + BENCH.days * 86_400_000 + 9 * 3_600_000;
  const t0 = performance.now();
  let skipped = 0;
  return { now: () => new Date(base + skipped + (performance.now() - t0)), advance: (minutes: number) => (skipped += minutes * 60_000) };
}

async function measure(source: string) {
  const path = join(tmpdir(), `encore-hot-paths-${process.pid}.sqlite`);
  copyFileSync(source, path);
  const { db, statements } = recordingDatabase(path);
  const clock = benchClock();
  const s = hotPathServer(db, clock.now);
  const rows: Record<string, Spread> = {};
  const time = async (name: string, n: number, fn: (i: number) => Promise<unknown>) => {
    const per: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const t = performance.now();
      for (let i = 0; i < n; i++) await fn(r * n + i);
      per.push((performance.now() - t) / n);
    }
    rows[name] = spread(per);
  };

  // Buyers whose addresses have history on the big database (a series on ~13% of them).
  const buyer = (i: number) => `buyer${(i * 7919) % BENCH.carts}@example.com`;
  await s.purchase(catalogue(0, 0), buyer(0), 'warm');
  await time('bootstrap (cache miss each time)', 200, async (i) => s.call('GET', `/api/v1/events/bench-${i % BENCH.events}?locale=${i % 2 ? 'ru' : 'en'}`));
  await time('whole purchase (bootstrap, hold, details, checkout)', FLOWS / REPEATS, (i) => s.purchase(catalogue(i % BENCH.events, i % 4), buyer(i + 1), `k${i}`));
  await time('recovery round, nothing due', 10, () => s.jobs.runOnce());

  // 100 carts left with an email: one round abandons them, the next sends their first reminders.
  const left: number[] = [];
  const sent: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    for (let i = 0; i < 100; i++) await s.leave(catalogue(i % BENCH.events, 1), `leaver${r}-${i}@example.com`);
    clock.advance(31);
    let t = performance.now();
    await s.jobs.runOnce();
    left.push((performance.now() - t) / 100);
    clock.advance(61);
    t = performance.now();
    await s.jobs.runOnce();
    sent.push((performance.now() - t) / 100);
  }
  rows['recovery round: abandon, per cart'] = spread(left);
  rows['recovery round: remind, per reminder'] = spread(sent);
  const mails = s.sent.slice(-20);
  await time('resume link', 10, (i) => s.resume(mails[i % mails.length]!));
  await time('one-click unsubscribe', 10, async (i) => s.unsubscribe(mails[(i + 10) % mails.length]!));
  await db.destroy();
  const plans = queryPlans(path, statements);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return { rows, plans };
}

const big = await benchDatabase();
const empty = await benchDatabase(0);
console.log(`Databases: ${BENCH.carts.toLocaleString('en')} carts${big.built ? ` (built in ${big.seconds.toFixed(0)} s)` : ''} and an empty twin; ${REPEATS} repeats each`);
const onEmpty = await measure(empty.path);
const onBig = await measure(big.path);
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
