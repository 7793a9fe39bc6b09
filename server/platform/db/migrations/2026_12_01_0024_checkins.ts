// Check-in at the door (server/checkin/): one row per admitted ticket. The primary key on the
// ticket is what makes two devices scanning the same ticket at once get one "valid" between them
// (the claim is a conditional insert, checkin-db.ts); the performance index serves the counts,
// the CSV and a door device's preload list.
// Frozen once released: later changes go into new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('checkins')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('tickets.id'))
    .addColumn('performance_id', 'text', (c) => c.notNull().references('performances.id'))
    // When the ticket was scanned (a device that was offline sends its own time) …
    .addColumn('scanned_at', 'text', (c) => c.notNull())
    // … and when the server learnt of it.
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .execute();
  await db.schema.createIndex('checkins_performance').on('checkins').columns(['performance_id', 'scanned_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('checkins').execute();
}
