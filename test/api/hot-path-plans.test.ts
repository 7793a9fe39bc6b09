// Every statement of the day's work (purchase, abandonment, reminders, resume, unsubscribe,
// attribution, retention) reads tables that grow with history through an index: none of them
// scans carts, orders, tickets, the outbox or the series. bench/hot-paths.ts shows the same
// plans on a million carts and times the work there against an empty database.
import type { CompiledQuery } from 'kysely';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { writeTransactions } from '../../server/platform/db/database.ts';
import type { PaymentProvider } from '../../server/payments/provider.ts';
import { runRefundJobs } from '../../server/payments/refunds.ts';
import { dueUnpaidOrders } from '../../server/payments/payments-db.ts';
import { duePaymentChecks } from '../../server/payments/reconciliation-db.ts';
import { hotPathServer } from '../support/hot-path-work.ts';
import { explain, queryPlans, readsIndex, readsWhole, recordingDatabase } from '../support/query-plans.ts';
import { testEngine } from '../support/databases.ts';
import { Clock, freshDatabase, makeEvent, SITE } from '../support/world.ts';

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

  const plans = await queryPlans(fresh.path, statements);
  expect(plans.length).toBeGreaterThan(30);
  const scanning = plans.filter((p) => p.scans.length > 0).map((p) => `${p.sql}\n  ${p.detail.join('\n  ')}`);
  expect(scanning).toEqual([]);
});

test('payment abandonment: the expire job giving the cart back, the scan, the reminder and its link read through indexes', async () => {
  const clock = new Clock();
  const fresh = await freshDatabase();
  const fx = await makeEvent(fresh.db, clock.now(), { capacity: 1000, settings: { payments: { provider: 'demo', timeoutMinutes: 20 } } });
  await fresh.db.destroy();
  const { db, statements } = recordingDatabase(fresh.path);
  const s = hotPathServer(db, clock.now, { demoPayments: true });
  const c = { slug: fx.slug, performanceId: fx.performanceId, ticketTypeId: fx.standard };

  const order = await s.purchase(c, 'unpaid@example.com', 'k1', `${SITE}/`);
  expect(order.order.status).toBe('pending_payment');
  await s.app.request(new URL(order.payment.redirectUrl).pathname);
  clock.advance(21);
  expect((await s.jobs.runOnce()).expired).toBe(1);
  clock.advance(1);
  expect((await s.jobs.runOnce()).scan).toMatchObject({ payment: 1, seriesStarted: 1 });
  clock.advance(61);
  await s.jobs.runOnce();
  expect(s.sent).toHaveLength(1);
  const resumed = await s.resume(s.sent[0]!);
  expect(resumed.resume.state).toBe('restored');
  await s.call('POST', `/api/v1/carts/${resumed.cart.id}/checkout`, {}, { authorization: `Bearer ${resumed.cart.token}` });
  await db.destroy();

  const plans = await queryPlans(fresh.path, statements);
  const scanning = plans.filter((p) => p.scans.length > 0).map((p) => `${p.sql}\n  ${p.detail.join('\n  ')}`);
  expect(scanning).toEqual([]);
  expect(plans.some((p) => /update "reminder_series" set "cart_id"/.test(p.sql))).toBe(true);
});

test('reservation expiry and reconciliation read due rows from their own partial indexes, never scanning orders or payments', async () => {
  const fresh = await freshDatabase();
  const { db } = fresh;
  const at = '2026-12-01T09:00:00.000Z';
  const plan = async (query: { compile(): CompiledQuery }) => (await explain(fresh, query.compile())).join('\n');
  const reserved = await plan(dueUnpaidOrders(db, 'reserved', at, 200));
  expect(reserved).toMatch(readsIndex('orders', 'orders_reserved_expiry'));
  const checks = await plan(duePaymentChecks(db, at, 10));
  expect(checks).toMatch(readsIndex('payments', 'payments_pending_check'));
  expect(`${reserved}\n${checks}`).not.toMatch(readsWhole('orders|payments'));
  if (testEngine === 'sqlite') {
    expect(reserved).toMatch(/SEARCH orders USING INDEX orders_reserved_expiry \(expires_at<\?\)/);
    expect(checks).toMatch(/SEARCH payments USING INDEX payments_pending_check \(next_check_at<\?\)/);
    expect(checks).toMatch(/SEARCH orders USING INDEX sqlite_autoindex_orders_1 \(id=\?\)/);
    expect(`${reserved}\n${checks}`).not.toMatch(/SCAN|TEMP B-TREE/);
  }
});

test('the refund job reads due refunds and payments owed back from their own partial indexes, and each refund by keys', async () => {
  const clock = new Clock();
  const fresh = await freshDatabase();
  const fx = await makeEvent(fresh.db, clock.now(), { capacity: 1000, maxPerOrder: 10 });
  await fresh.db.destroy();
  const { db, statements } = recordingDatabase(fresh.path);
  const s = hotPathServer(db, clock.now);
  const c = { slug: fx.slug, performanceId: fx.performanceId, ticketTypeId: fx.standard };
  const at = clock.now().toISOString();
  // Two orders a provider took money for: one paid whose refund waits for a retry, one cancelled whose payment is owed back.
  const [paid, cancelled] = [(await s.purchase(c, 'a@example.com', 'k1')).order, (await s.purchase(c, 'b@example.com', 'k2')).order];
  await db.updateTable('orders').set({ status: 'paid', refunded_amount: 100 }).where('id', '=', paid.id).execute();
  await db.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', cancelled.id).execute();
  const payment = (id: string, order: string, status: 'succeeded' | 'refund_due') => ({
    id,
    order_id: order,
    provider: 'fake',
    provider_payment_id: `fake_${id}`,
    redirect_url: null,
    amount: 300000,
    currency: 'RUB',
    status,
    idempotency_key: `idem_${id}`,
    created_at: at,
    updated_at: at,
  });
  await db
    .insertInto('payments')
    .values([payment('pay_1', paid.id, 'succeeded'), payment('pay_2', cancelled.id, 'refund_due')])
    .execute();
  await db
    .insertInto('refunds')
    .values({
      id: 'rfd_1',
      order_id: paid.id,
      payment_id: 'pay_1',
      provider: 'fake',
      amount: 100,
      currency: 'RUB',
      status: 'pending',
      reason: null,
      actor: 'test',
      idempotency_key: 'idem_r1',
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
    })
    .execute();
  const refunded: string[] = [];
  const fake = { id: 'fake', settingsSchema: z.object({}), refund: async (id: string) => void refunded.push(id) } as unknown as PaymentProvider;
  statements.clear();
  const store = { db, tx: writeTransactions(db), now: clock.now };
  const payments = { providers: new Map([['fake', fake]]), baseUrl: 'https://tickets.example', log: () => {} };
  expect(await runRefundJobs(store, payments)).toEqual({ owed: 1, succeeded: 2, pending: 0, failed: 0 });
  expect(refunded.sort()).toEqual(['fake_pay_1', 'fake_pay_2']);
  await db.destroy();

  const plans = await queryPlans(fresh.path, statements);
  const all = plans.map((p) => `${p.sql}\n  ${p.detail.join('\n  ')}`).join('\n');
  expect(all).toMatch(readsIndex('refunds', 'refunds_pending'));
  // A walk of this partial index is a walk of the payments owed back, and only of them.
  expect(all).toMatch(readsIndex('payments', 'payments_refund_due'));
  const walksHistory = (d: string) => readsWhole('orders|tickets|payments|refunds|order_events|webhook_deliveries').test(d) && !/payments_refund_due$/.test(d);
  if (testEngine === 'sqlite') expect(all).toMatch(/SEARCH refunds USING INDEX refunds_pending \(next_attempt_at<\?\)/);
  const scanning = plans.filter((p) => p.detail.some(walksHistory) || p.scans.length > 0).map((p) => `${p.sql}\n  ${p.detail.join('\n  ')}`);
  expect(scanning).toEqual([]);
});
