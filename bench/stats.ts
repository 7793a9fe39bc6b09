// How fast the stats answer on a large organizer: 1,000,000 carts over 90 days (built once and
// cached, see stats-data.ts). Prints the median of 5 runs per query, in ms, and the file size.
import { statSync } from 'node:fs';
import { openDatabase } from '../server/platform/db/database.ts';
import { organizerStats, type StatsOptions } from '../server/stats/stats.ts';
import { BENCH, benchDatabase } from './stats-data.ts';

const { path, built, seconds } = await benchDatabase();
const db = openDatabase(path);
const day = (offset: number) => new Date(BENCH.start + offset * 86_400_000).toISOString().slice(0, 10);
const cases: [string, StatsOptions][] = [
  ['last 30 days', { from: day(BENCH.days - 30), to: day(BENCH.days - 1) }],
  ['all 90 days', { from: day(0), to: day(BENCH.days - 1) }],
  ['all 90 days, Europe/Moscow days', { from: day(0), to: day(BENCH.days - 1), timeZone: 'Europe/Moscow' }],
  ['one event, 90 days', { from: day(0), to: day(BENCH.days - 1), eventId: 'evt_bench_3' }],
  ['one event, 30 days', { from: day(BENCH.days - 30), to: day(BENCH.days - 1), eventId: 'evt_bench_3' }],
];
const rows = [];
for (const [name, options] of cases) {
  await organizerStats(db, BENCH.organizerId, options); // warm the page cache
  const times: number[] = [];
  let carts = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const stats = await organizerStats(db, BENCH.organizerId, options);
    times.push(performance.now() - t);
    carts = stats.totals.cartsStarted;
  }
  times.sort((a, b) => a - b);
  rows.push({ query: name, 'carts counted': carts, 'median ms': Math.round(times[2]!), 'min ms': Math.round(times[0]!), 'max ms': Math.round(times[4]!) });
}
await db.destroy();
console.log(
  `Stats over ${BENCH.carts.toLocaleString('en')} carts, ${BENCH.events} events, ${BENCH.events * BENCH.performancesPerEvent} performances, ${BENCH.days} days`,
);
console.log(`${path}: ${(statSync(path).size / 1024 / 1024).toFixed(0)} MB, ${built ? `built in ${seconds.toFixed(1)} s` : 'cached'}`);
console.table(rows);
