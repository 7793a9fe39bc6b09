// The buyer's order page (/o/<token>, tickets/order-access.ts): the token is derived from the
// order id under an instance secret, so mail sent later (or resent) can link it again; only its
// SHA-256 is stored, the key the page looks the order up by. Set at checkout; orders made before
// this get theirs the first time a link to their page is made.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('access_token_hash', 'text').execute();
  await db.schema
    .createIndex('orders_access_token')
    .unique()
    .on('orders')
    .column('access_token_hash')
    .where(sql.ref('access_token_hash'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('orders_access_token').execute();
  await db.schema.alterTable('orders').dropColumn('access_token_hash').execute();
}
