// Abandoned-cart recovery: series of reminders, the mail outbox, clicks, discounts, suppression.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('carts').addColumn('abandoned_at', 'text').execute();
  await db.schema.alterTable('carts').addColumn('resumed_series_id', 'text').execute();
  await db.schema.alterTable('carts').addColumn('resumed_step', 'integer').execute();
  await db.schema.alterTable('carts').addColumn('discount_code', 'text').execute();
  await db.schema.alterTable('carts').addColumn('pii_erased_at', 'text').execute();
  // The abandonment scan looks at open carts with an email, by last activity.
  await db.schema.createIndex('carts_abandonment_scan').on('carts').columns(['status', 'abandoned_at', 'last_activity_at']).execute();

  await db.schema.alterTable('orders').addColumn('subtotal', 'integer').execute();
  await db.schema.alterTable('orders').addColumn('discount_code', 'text').execute();
  await db.schema
    .alterTable('orders')
    .addColumn('discount_amount', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('orders').addColumn('recovered_series_id', 'text').execute();
  await db.schema.alterTable('orders').addColumn('recovered_via', 'text').execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    // Only a hash: the suppression must outlive the erasure of the address it suppresses.
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('suppressions_pk', ['organizer_id', 'email_hash'])
    .execute();

  // Secrets shared by every instance on this database (the key that signs resume links).
  await db.schema
    .createTable('instance_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reminder_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('performance_id', 'text', (c) => c.notNull().references('performances.id'))
    .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id'))
    // Erased with the cart's PII; email_hash keeps "one series per email" working after that.
    .addColumn('email', 'text')
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('abandoned_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stop_reason', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reminder_series_one_per_email', ['performance_id', 'email_hash'])
    .execute();
  await db.schema.createIndex('reminder_series_event_email').on('reminder_series').columns(['event_id', 'email_hash']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    .addColumn('series_id', 'text')
    .addColumn('step', 'integer')
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('outbox_series').on('outbox').column('series_id').execute();

  await db.schema
    .createTable('reminder_clicks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('reminder_series.id'))
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('clicked_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reminder_clicks_series').on('reminder_clicks').column('series_id').execute();

  await db.schema
    .createTable('discounts')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    .addColumn('series_id', 'text', (c) => c.notNull().references('reminder_series.id'))
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull().check(sql`value > 0`))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_order_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('discounts_one_per_step', ['series_id', 'step'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The recovery migration is not reversible');
}
