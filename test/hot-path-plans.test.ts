// Every statement of the day's work (purchase, abandonment, reminders, resume, unsubscribe,
// attribution, retention) reads tables that grow with history through an index: none of them
// scans carts, orders, tickets, the outbox or the series. bench/hot-paths.ts shows the same
// plans on a million carts and times the work there against an empty database.
import { expect, test } from 'vitest';
import { hotPathServer } from './support/hot-path-work.ts';
import { queryPlans, recordingDatabase } from './support/query-plans.ts';
import { Clock, freshDatabase, makeEvent } from './support/world.ts';

test('no hot-path or housekeeping statement scans a history table', async () => {
  const clock = new Clock();
  const fresh = await freshDatabase();
  const fx = await makeEvent(fresh.db, clock.now(), { capacity: 1000, maxPerOrder: 10 });
  await fresh.db.destroy();
  const { db, statements } = recordingDatabase(fresh.path);
  const s = hotPathServer(db, clock.now);
  const c = { slug: fx.slug, performanceId: fx.performanceId, ticketTypeId: fx.standard };

  await s.purchase(c, 'first@example.com', 'k1');
  await s.leave(c, 'anna@example.com');
  await s.leave(c, 'boris@example.com');
  clock.advance(31);
  expect((await s.jobs.runOnce()).scan.seriesStarted).toBe(2);
  clock.advance(61);
  await s.jobs.runOnce();
  expect(s.sent.map((m) => m.to).sort()).toEqual(['anna@example.com', 'boris@example.com']);
  const [anna, boris] = ['anna', 'boris'].map((n) => s.sent.find((m) => m.to.startsWith(n))!);
  expect((await s.resume(anna!)).resume.state).toBe('restored');
  expect((await s.unsubscribe(boris!)).status).toBeLessThan(400);
  const recovered = await s.purchase(c, 'anna@example.com', 'k2');
  expect(recovered.order.status).toBe('reserved');
  clock.advance(31 * 24 * 60);
  expect((await s.jobs.runOnce()).erased).toBeGreaterThan(0);
  await db.destroy();

  const plans = queryPlans(fresh.path, statements);
  expect(plans.length).toBeGreaterThan(30);
  const scanning = plans.filter((p) => p.scans.length > 0).map((p) => `${p.sql}\n  ${p.detail.join('\n  ')}`);
  expect(scanning).toEqual([]);
});
