// Stats count orders by state since payments arrived: an order counts once paid or reserved at
// the box office, its money once paid. The per-performance orders index carries the status so the
// stats walk stays on the index (covering) as before. Frozen once released.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('orders_stats_performance_status')
    .on('orders')
    .columns(['performance_id', 'created_at', 'status', 'total', 'recovered_via'])
    .execute();
  await db.schema.dropIndex('orders_stats_performance_created').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('orders_stats_performance_created').on('orders').columns(['performance_id', 'created_at', 'total', 'recovered_via']).execute();
  await db.schema.dropIndex('orders_stats_performance_status').execute();
}
