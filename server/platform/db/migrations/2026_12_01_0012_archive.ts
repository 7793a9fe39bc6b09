// Events, performances and ticket types can be archived: hidden from the widget and from the
// console's default lists, still counted in the stats, restorable (archived while archived_at is
// set). What never sold can be deleted instead, and deleting a parent row makes SQLite look up
// its children by every foreign key pointing at it: without an index on the referencing column
// that lookup reads the whole child table, under the write lock that sales wait for. Performances
// are covered by earlier indexes; events and ticket types get theirs here. Each costs one entry
// when a cart is created, a cart line written or a ticket sold, nothing on other cart updates;
// the orders index is the old (buyer_email, event_id) one turned round, which serves the
// purchase check as well, so orders pay nothing new.
// Frozen once released: later changes go into new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events').addColumn('archived_at', 'text').execute();
  await db.schema.alterTable('performances').addColumn('archived_at', 'text').execute();
  await db.schema.alterTable('ticket_types').addColumn('archived_at', 'text').execute();

  await db.schema.createIndex('carts_event').on('carts').column('event_id').execute();
  await db.schema.createIndex('orders_event_email').on('orders').columns(['event_id', 'buyer_email']).execute();
  await db.schema.dropIndex('orders_email_event').execute();
  await db.schema.createIndex('cart_items_ticket_type').on('cart_items').column('ticket_type_id').execute();
  await db.schema.createIndex('tickets_ticket_type').on('tickets').column('ticket_type_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tickets_ticket_type').execute();
  await db.schema.dropIndex('cart_items_ticket_type').execute();
  await db.schema.createIndex('orders_email_event').on('orders').columns(['buyer_email', 'event_id']).execute();
  await db.schema.dropIndex('orders_event_email').execute();
  await db.schema.dropIndex('carts_event').execute();
  await db.schema.alterTable('ticket_types').dropColumn('archived_at').execute();
  await db.schema.alterTable('performances').dropColumn('archived_at').execute();
  await db.schema.alterTable('events').dropColumn('archived_at').execute();
}
