// Per-client limits against seat grabbing (domain/grab-limits.ts). A cart made from a browser
// keeps a keyed hash of its client's address (never the address itself); the partial index
// holds only open carts that have one, ordered by hold end, so counting a client's live holds on
// a performance reads just those. `client_rates` counts each client's cart creations and
// checkouts per fixed window, shared by every process on the file; old windows are deleted a few
// at a time as new ones are written (the window index finds them), so it never grows with history.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';
import { withoutRowId } from '../engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('carts').addColumn('client_hash', 'text').execute();
  await db.schema
    .createIndex('carts_client_holds')
    .on('carts')
    .columns(['client_hash', 'performance_id', 'hold_expires_at'])
    .where(sql<boolean>`status = 'open' and client_hash is not null`)
    .execute();
  await db.schema
    .createTable('client_rates')
    .addColumn('client_hash', 'text', (c) => c.notNull())
    .addColumn('window_start', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_rates_pk', ['client_hash', 'window_start'])
    .modifyEnd(withoutRowId(db))
    .execute();
  await db.schema.createIndex('client_rates_window').on('client_rates').column('window_start').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('client_rates').execute();
  await db.schema.dropIndex('carts_client_holds').execute();
  await db.schema.alterTable('carts').dropColumn('client_hash').execute();
}
