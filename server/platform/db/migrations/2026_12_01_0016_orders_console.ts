// The console's orders list and search. The list pages by (created_at, id) newest first within
// one organizer, one event, one performance or one status; search finds orders by phone and by
// email and by the start of a name within the organizer (number and ticket code are unique).
// Frozen once released: later changes go into new migrations.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('orders_console_created').on('orders').columns(['organizer_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_console_event').on('orders').columns(['event_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_console_performance').on('orders').columns(['performance_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_console_status').on('orders').columns(['organizer_id', 'status', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_console_email').on('orders').columns(['organizer_id', 'buyer_email']).execute();
  await db.schema.createIndex('orders_console_phone').on('orders').columns(['organizer_id', 'buyer_phone']).execute();
  await sql`create index orders_console_name on orders (organizer_id, lower(buyer_name))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'orders_console_created',
    'orders_console_event',
    'orders_console_performance',
    'orders_console_status',
    'orders_console_email',
    'orders_console_phone',
    'orders_console_name',
  ]) {
    await db.schema.dropIndex(name).execute();
  }
}
