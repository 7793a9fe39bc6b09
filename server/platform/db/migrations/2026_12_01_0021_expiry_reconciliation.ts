// Box-office reservations expire (payments/settings.ts reservation limits): checkout sets
// orders.expires_at for a `reserved` order too, and the expire job reads due ones from their own
// index, as it reads pending ones from orders_pending_expiry. Reservations made before this keep
// expires_at null: they were made under "held until the desk acts" and stay so.
// Reconciliation: a payment started at a provider and still `pending` is asked about at
// payments.next_check_at (null: not started, or no longer checked); the job reads due ones from an
// index holding only pending payments. Payments already started are checked at once.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('orders_reserved_expiry').on('orders').column('expires_at').where(sql.ref('status'), '=', 'reserved').execute();
  await db.schema.alterTable('payments').addColumn('next_check_at', 'text').execute();
  await sql`update payments set next_check_at = updated_at where status = 'pending' and provider_payment_id is not null`.execute(db);
  await db.schema.createIndex('payments_pending_check').on('payments').column('next_check_at').where(sql.ref('status'), '=', 'pending').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('payments_pending_check').execute();
  await db.schema.alterTable('payments').dropColumn('next_check_at').execute();
  await db.schema.dropIndex('orders_reserved_expiry').execute();
}
