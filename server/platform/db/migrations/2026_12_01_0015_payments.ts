// The order lifecycle and payments. Orders were all `confirmed`; now an order is
// `pending_payment` (an online payment started) → `paid` | `expired` | `cancelled`, or
// `reserved` (box office, unpaid) → `paid` | `expired` | `cancelled`. Existing rows map by
// what they were: a box-office order was never paid, so it is `reserved`; a free order needs no
// payment, so it is `paid`. Their seats stay counted as sold either way (db/inventory.ts).
// `payments` holds one row per payment attempt: a provider's notification is processed once
// because (provider, provider_payment_id) is unique and a row leaves `pending` once.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update orders set status = case payment_method when 'free' then 'paid' else 'reserved' end where status = 'confirmed'`.execute(db);
  await db.schema.alterTable('orders').addColumn('expires_at', 'text').execute();
  // The expire job reads due pending orders in expiry order: this index holds only those.
  await db.schema.createIndex('orders_pending_expiry').on('orders').column('expires_at').where(sql.ref('status'), '=', 'pending_payment').execute();
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_payment_id', 'text')
    .addColumn('redirect_url', 'text')
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('payments_provider_payment', ['provider', 'provider_payment_id'])
    .execute();
  await db.schema.createIndex('payments_order').on('payments').column('order_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payments').execute();
  await db.schema.dropIndex('orders_pending_expiry').execute();
  await db.schema.alterTable('orders').dropColumn('expires_at').execute();
  await sql`update orders set status = 'confirmed' where status in ('paid', 'reserved')`.execute(db);
}
