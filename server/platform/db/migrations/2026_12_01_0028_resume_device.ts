// Reminder links, redeemed more than once: the first browser to redeem a series' link is
// remembered (a hash of the widget's device id), and only it gets the buyer's details back;
// another browser gets them masked and types the address again. Frozen once released.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('carts').addColumn('resume_device_hash', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('carts').dropColumn('resume_device_hash').execute();
}
