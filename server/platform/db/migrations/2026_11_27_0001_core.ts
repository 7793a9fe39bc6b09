// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('allowed_origins', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('venue', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_organizer').on('events').column('organizer_id').execute();

  await db.schema
    .createTable('performances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('sales_close_at', 'text', (c) => c.notNull())
    .addColumn('sales_paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('performances_event_start').on('performances').columns(['event_id', 'starts_at']).execute();

  await db.schema
    .createTable('ticket_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('price', 'integer', (c) => c.notNull().check(sql`price >= 0`))
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 0`))
    .addColumn('min_per_order', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('max_per_order', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('ticket_types_event').on('ticket_types').column('event_id').execute();

  await db.schema
    .createTable('carts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('performance_id', 'text', (c) => c.notNull().references('performances.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hold_started_at', 'text')
    .addColumn('hold_expires_at', 'text')
    .addColumn('buyer_email', 'text')
    .addColumn('buyer_name', 'text')
    .addColumn('buyer_phone', 'text')
    .addColumn('email_captured_at', 'text')
    .addColumn('consent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_mode', 'text', (c) => c.notNull())
    .addColumn('consent_text', 'text')
    .addColumn('consent_at', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('page_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('order_id', 'text')
    .execute();
  // Availability sums the quantities of open carts whose hold has not expired.
  await db.schema.createIndex('carts_active_holds').on('carts').columns(['performance_id', 'status', 'hold_expires_at']).execute();
  await db.schema.createIndex('carts_organizer_created').on('carts').columns(['organizer_id', 'created_at']).execute();
  await db.schema.createIndex('carts_buyer_email').on('carts').column('buyer_email').execute();

  await db.schema
    .createTable('cart_items')
    .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id'))
    .addColumn('ticket_type_id', 'text', (c) => c.notNull().references('ticket_types.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('unit_price', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('cart_items_pk', ['cart_id', 'ticket_type_id'])
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('performance_id', 'text', (c) => c.notNull().references('performances.id'))
    // One order per cart, whatever the application does: the last line of defence against
    // a double checkout.
    .addColumn('cart_id', 'text', (c) => c.notNull().unique().references('carts.id'))
    .addColumn('buyer_email', 'text', (c) => c.notNull())
    .addColumn('buyer_name', 'text', (c) => c.notNull())
    .addColumn('buyer_phone', 'text')
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payment_method', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_organizer_created').on('orders').columns(['organizer_id', 'created_at']).execute();
  await db.schema.createIndex('orders_email_event').on('orders').columns(['buyer_email', 'event_id']).execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('performance_id', 'text', (c) => c.notNull().references('performances.id'))
    .addColumn('ticket_type_id', 'text', (c) => c.notNull().references('ticket_types.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('price', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_inventory').on('tickets').columns(['performance_id', 'ticket_type_id']).execute();
  await db.schema.createIndex('tickets_order').on('tickets').column('order_id').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['cart_id', 'key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The core migration is not reversible');
}
