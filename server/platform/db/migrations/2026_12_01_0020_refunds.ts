// Refunds and an order's history. `refunds` holds one row per refund: written `pending` with its
// own idempotency key before the provider is called, `succeeded` once the provider took it (or at
// once for money handed back at the desk), `failed` when the provider refused it for good. The
// recovery loop retries pending ones that are due (refunds_pending: only those rows) and refunds
// payments that arrived for orders whose seats were gone (payments_refund_due: only those).
// `orders.refunded_amount` is what is refunded or being refunded; a refund is admitted by one
// conditional update that keeps it within the order's total, and the stats subtract it from
// revenue — their per-performance index carries it so that walk stays covering.
// `order_events` is the order's history: who did what, when (read per order, in time order).
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('orders')
    .addColumn('refunded_amount', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refunds_order').on('refunds').columns(['order_id', 'created_at']).execute();
  await db.schema.createIndex('refunds_pending').on('refunds').column('next_attempt_at').where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('payments_refund_due').on('payments').column('updated_at').where(sql.ref('status'), '=', 'refund_due').execute();
  await db.schema
    .createTable('order_events')
    // SQLite's autoincrement is PostgreSQL's serial.
    .addColumn('id', isPostgres(db) ? 'serial' : 'integer', (c) => (isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('order_events_order').on('order_events').columns(['order_id', 'at']).execute();
  await db.schema
    .createIndex('orders_stats_performance_refunds')
    .on('orders')
    .columns(['performance_id', 'created_at', 'status', 'total', 'refunded_amount', 'recovered_via'])
    .execute();
  await db.schema.dropIndex('orders_stats_performance_status').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('orders_stats_performance_status')
    .on('orders')
    .columns(['performance_id', 'created_at', 'status', 'total', 'recovered_via'])
    .execute();
  await db.schema.dropIndex('orders_stats_performance_refunds').execute();
  await db.schema.dropTable('order_events').execute();
  await db.schema.dropIndex('payments_refund_due').execute();
  await db.schema.dropTable('refunds').execute();
  await db.schema.alterTable('orders').dropColumn('refunded_amount').execute();
}
