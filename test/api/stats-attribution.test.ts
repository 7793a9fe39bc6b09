import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { describe, expect, test } from 'vitest';
import type { Database } from '../../server/platform/db/schema.ts';
import { newId } from '../../server/platform/ids.ts';
import { organizerStats } from '../../server/stats/stats.ts';
import { bearer } from '../support/world.ts';
import { testEngine } from '../support/databases.ts';
import { queryPlans, recordingDatabase } from '../support/query-plans.ts';
import { recoveryWorld, resumeTokenFrom } from '../support/recovery-world.ts';

// Reminders and clicks are counted for the performance their rows carry (copied from the series
// when a reminder is queued or a link is followed), and the stats read covering indexes only.

/** Two performances of one event; a buyer leaves a cart on each, and only the second comes back. */
async function twoPerformances() {
  const w = await recoveryWorld({ startsInDays: 10, capacity: 20 });
  const later = newId('prf');
  const startsAt = new Date(w.startsAt.getTime() + 7 * 86_400_000);
  await w.db
    .insertInto('performances')
    .values({
      id: later,
      event_id: w.eventId,
      starts_at: startsAt.toISOString(),
      sales_close_at: new Date(startsAt.getTime() - 30 * 60_000).toISOString(),
      sales_paused: 0,
      created_at: w.clock.now().toISOString(),
    })
    .execute();
  await w.leaveCart({ email: 'first@example.com' });
  await w.leaveCart({ email: 'second@example.com', performanceId: later });
  await w.after(31);
  await w.after(60);
  const mail = w.inbox().find((m) => m.to.includes('second@example.com'))!;
  const resumed = await w.call('POST', '/api/v1/resume', { token: resumeTokenFrom(mail) });
  expect(resumed.status).toBe(200);
  expect((await w.call('POST', `/api/v1/carts/${resumed.body.cart.id}/checkout`, {}, bearer(resumed.body.cart.token))).status).toBe(201);
  return { ...w, later };
}

describe('stats attribution to performances', () => {
  test('reminders and clicks count for their series’ performance', async () => {
    const w = await twoPerformances();
    const series = await w.db.selectFrom('reminder_series').select(['id', 'performance_id']).execute();
    const performanceOf = new Map(series.map((s) => [s.id, s.performance_id]));
    const outbox = await w.db.selectFrom('outbox').select(['series_id', 'performance_id']).execute();
    const clicks = await w.db.selectFrom('reminder_clicks').select(['series_id', 'performance_id']).execute();
    expect(outbox.length).toBeGreaterThan(1);
    expect(clicks).toHaveLength(1);
    for (const row of [...outbox, ...clicks]) expect(row.performance_id).toBe(performanceOf.get(row.series_id!));

    const stats = await organizerStats(w.db, w.organizerId, { from: '2026-12-01', to: '2026-12-01' });
    const of = (id: string) => stats.byPerformance.find((p) => p.performanceId === id)!;
    expect(of(w.performanceId)).toMatchObject({ abandonedWithEmail: 1, reminded: 1, remindedByStep: [1, 0, 0, 0, 0], clicked: 0, recoveredOrders: 0 });
    expect(of(w.later)).toMatchObject({ abandonedWithEmail: 1, reminded: 1, remindedByStep: [1, 0, 0, 0, 0], clicked: 1, recoveredOrders: 1 });
    expect(stats.daily[0]).toMatchObject({ reminded: 2, clicked: 1, recoveredOrders: 1 });
  });

  test('every stats query reads carts, orders, outbox and clicks by index (on PostgreSQL: no scan of them)', async () => {
    const w = await twoPerformances();
    if (testEngine === 'postgres') {
      const recorded = recordingDatabase(w.path);
      await organizerStats(recorded.db, w.organizerId, { from: '2026-12-01', to: '2026-12-02' });
      await organizerStats(recorded.db, w.organizerId, { from: '2026-12-01', to: '2026-12-02', eventId: w.eventId });
      await recorded.db.destroy();
      const plans = await queryPlans(w.path, recorded.statements);
      expect(plans.filter((p) => /from carts c/.test(p.sql))).not.toEqual([]);
      for (const p of plans) expect(p.scans, `${p.sql}\n${p.detail.join('\n')}`).toEqual([]);
      return;
    }
    const sqlite = new SQLite(w.path, { readonly: true });
    const queries: CompiledQuery[] = [];
    const logged = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log: (e) => void queries.push(e.query) });
    await organizerStats(logged, w.organizerId, { from: '2026-12-01', to: '2026-12-02' });
    await organizerStats(logged, w.organizerId, { from: '2026-12-01', to: '2026-12-02', eventId: w.eventId });
    const plans = queries.map((q) =>
      sqlite
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[]))
        .map((row) => (row as { detail: string }).detail),
    );
    // c, o and k are the aliases of carts, orders/outbox and reminder_clicks in stats/stats-db.ts.
    const counting = plans.filter((plan) => plan.some((d) => /^(SCAN|SEARCH) [cok] /.test(d)));
    expect(counting).toHaveLength(4);
    const plan = counting.flat();
    for (const read of plan.filter((d) => /^(SCAN|SEARCH) [cok] /.test(d))) expect(read).toMatch(/USING COVERING INDEX/);
    expect(plan.filter((d) => /TEMP B-TREE FOR (GROUP|ORDER) BY/.test(d))).toEqual([]);
    // A performance's distinct series are counted in series order, without a temporary b-tree.
    expect(plan).toContain('SEARCH o USING COVERING INDEX outbox_stats_performance_series (performance_id=?)');
    await logged.destroy();
  });
});
