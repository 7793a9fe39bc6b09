// Stats: widget views per event and UTC day, and the indexes the stats queries read instead of
// the tables (see db/stats.ts; each is covering, so a range is one index walk, no row lookups).
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';
import { withoutRowId } from '../engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per event per UTC day, bumped by an upsert on every widget render.
  await db.schema
    .createTable('widget_views')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('widget_views_pk', ['event_id', 'day'])
    .modifyEnd(withoutRowId(db))
    .execute();

  // Carts by creation and by abandonment: per organizer and time for the daily series, per
  // performance and time for the per-performance table and for one event's daily series.
  // The (organizer_id, created_at) prefix makes the core index redundant.
  await db.schema.dropIndex('carts_organizer_created').execute();
  await db.schema.createIndex('carts_stats_created').on('carts').columns(['organizer_id', 'created_at', 'email_captured_at']).execute();
  await db.schema.createIndex('carts_stats_performance_created').on('carts').columns(['performance_id', 'created_at', 'email_captured_at']).execute();
  await db.schema
    .createIndex('carts_stats_abandoned')
    .on('carts')
    .columns(['organizer_id', 'abandoned_at', 'email_captured_at'])
    .where(sql.ref('abandoned_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('carts_stats_performance_abandoned')
    .on('carts')
    .columns(['performance_id', 'abandoned_at', 'email_captured_at'])
    .where(sql.ref('abandoned_at'), 'is not', null)
    .execute();

  await db.schema.dropIndex('orders_organizer_created').execute();
  await db.schema.createIndex('orders_stats_created').on('orders').columns(['organizer_id', 'created_at', 'total', 'recovered_via']).execute();
  await db.schema.createIndex('orders_stats_performance_created').on('orders').columns(['performance_id', 'created_at', 'total', 'recovered_via']).execute();

  // Sent reminders only: pending rows churn and are never counted. By organizer and time for
  // the daily series; by series and time, reached from the performance's series, per performance.
  await db.schema
    .createIndex('outbox_stats_sent')
    .on('outbox')
    .columns(['organizer_id', 'sent_at', 'series_id', 'step'])
    .where(sql.ref('sent_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('outbox_stats_series_sent')
    .on('outbox')
    .columns(['series_id', 'sent_at', 'step'])
    .where(sql.ref('sent_at'), 'is not', null)
    .execute();
  await db.schema.createIndex('reminder_series_stats').on('reminder_series').columns(['performance_id', 'id']).execute();

  // Clicks carry no organizer: the daily series walks a day's clicks and looks up their series.
  await db.schema.createIndex('reminder_clicks_stats_time').on('reminder_clicks').columns(['clicked_at', 'series_id']).execute();
  await db.schema.dropIndex('reminder_clicks_series').execute();
  await db.schema.createIndex('reminder_clicks_stats_series').on('reminder_clicks').columns(['series_id', 'clicked_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('The stats migration is not reversible');
}
