// Answers to the organizer's own checkout questions (settings.fields.custom), as a JSON object
// of field id → text, on the cart while the buyer types and copied to the order at checkout.
// Frozen once released: later changes go into new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('carts').addColumn('buyer_answers', 'text').execute();
  await db.schema.alterTable('orders').addColumn('buyer_answers', 'text').execute();
}
