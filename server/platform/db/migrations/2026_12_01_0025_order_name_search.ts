// The box office finds an order by the start of the buyer's name in any script, case aside:
// SQLite's lower() folds only ASCII, so "борис" never found "Борис Годунов". Orders now keep the
// name folded by the application (db/orders.ts nameKey: Unicode lower case, ё as е) in
// buyer_name_key, indexed per organizer; the lower(buyer_name) index goes. Existing orders are
// folded here in batches. Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

const nameKey = (name: string) => name.normalize('NFKC').toLowerCase().replaceAll('ё', 'е');

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('buyer_name_key', 'text').execute();
  for (;;) {
    const rows = (await sql<{ id: string; buyer_name: string }>`select id, buyer_name from orders where buyer_name_key is null limit 5000`.execute(db)).rows;
    if (rows.length === 0) break;
    for (const r of rows) await sql`update orders set buyer_name_key = ${nameKey(r.buyer_name ?? '')} where id = ${r.id}`.execute(db);
  }
  await db.schema.createIndex('orders_console_name_key').on('orders').columns(['organizer_id', 'buyer_name_key']).execute();
  await db.schema.dropIndex('orders_console_name').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index orders_console_name on orders (organizer_id, lower(buyer_name))`.execute(db);
  await db.schema.dropIndex('orders_console_name_key').execute();
  await db.schema.alterTable('orders').dropColumn('buyer_name_key').execute();
}
