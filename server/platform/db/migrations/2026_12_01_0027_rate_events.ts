// Console limits and the sign-in throttle in the database instead of each process's memory, so
// several API instances share one count (db/rate-events.ts): one row per counted use, by scope
// (what is limited), key (who) and time. Rows older than their window are deleted as the key is
// used again and by the housekeeping sweep. Frozen once released: later changes go into new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_events')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_events_key').on('rate_events').columns(['scope', 'key', 'at']).execute();
  await db.schema.createIndex('rate_events_age').on('rate_events').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_events').execute();
}
