// Event and ticket type names per language. The base columns (events.title, description, venue,
// ticket_types.name) stay in the organizer's default language; `translations` holds what the
// organizer gave for other languages, as JSON: {"en":{"title":"…","venue":"…"}} on events,
// {"en":{"name":"…"}} on ticket types. A field left out shows the base text
// (domain/localized.ts). Rows are read by id as before, so no index changes.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('events')
    .addColumn('translations', 'text', (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema
    .alterTable('ticket_types')
    .addColumn('translations', 'text', (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ticket_types').dropColumn('translations').execute();
  await db.schema.alterTable('events').dropColumn('translations').execute();
}
