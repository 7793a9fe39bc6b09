// Console users get a role: `owner` (everything; every user so far) or `box_office` (orders
// only: no catalogue changes, settings, keys or webhooks). Frozen once released.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organizer_users')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('owner'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organizer_users').dropColumn('role').execute();
}
