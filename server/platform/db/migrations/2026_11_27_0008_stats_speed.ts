// Stats per performance and day: sent reminders and clicks carry their series' performance, so
// one performance's rows in one day are one range of a covering index, with no way through
// reminder_series. The organizer-wide walks are gone (a day is summed over its performances),
// and so are the indexes only they read. Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('performance_id', 'text').execute();
  await sql`update outbox set performance_id = (select s.performance_id from reminder_series s where s.id = outbox.series_id)
    where series_id is not null`.execute(db);
  await db.schema.alterTable('reminder_clicks').addColumn('performance_id', 'text').execute();
  await sql`update reminder_clicks set performance_id = (select s.performance_id from reminder_series s where s.id = reminder_clicks.series_id)`.execute(db);

  await db.schema
    .createIndex('outbox_stats_performance_sent')
    .on('outbox')
    .columns(['performance_id', 'sent_at', 'series_id', 'step'])
    .where(sql.ref('sent_at'), 'is not', null)
    .execute();
  // Distinct series per performance over the whole range: walked in series order, SQLite counts
  // them by comparing neighbours instead of building a temporary b-tree of a range's series.
  await db.schema
    .createIndex('outbox_stats_performance_series')
    .on('outbox')
    .columns(['performance_id', 'series_id', 'sent_at'])
    .where(sql.ref('sent_at'), 'is not', null)
    .execute();
  await db.schema.createIndex('reminder_clicks_stats_performance').on('reminder_clicks').columns(['performance_id', 'clicked_at', 'series_id']).execute();

  await db.schema.dropIndex('outbox_stats_sent').execute();
  await db.schema.dropIndex('outbox_stats_series_sent').execute();
  await db.schema.dropIndex('reminder_series_stats').execute();
  await db.schema.dropIndex('reminder_clicks_stats_time').execute();
  await db.schema.dropIndex('carts_stats_abandoned').execute();
}

export async function down(): Promise<void> {
  throw new Error('The stats speed migration is not reversible');
}
