// Sites that tried to sell an organizer's tickets but are not among their allowed origins: the
// console shows them with a way to allow one. A hint, not a log: per organizer only the most
// recently seen few are kept (db/refused-origins.ts), each with a count and when last seen.
// Frozen once released: later changes go into new migrations.
import type { Kysely } from 'kysely';
import { withoutRowId } from '../engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('refused_origins')
    .addColumn('organizer_id', 'text', (c) => c.notNull().references('organizers.id'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('refused_origins_pk', ['organizer_id', 'origin'])
    .modifyEnd(withoutRowId(db))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('refused_origins').execute();
}
