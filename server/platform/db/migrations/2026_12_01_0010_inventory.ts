// Availability as counters. `inventory` keeps, per performance and ticket type, the tickets sold
// and the seats in counted holds; `holds` lists each cart's counted hold with its end. Both are
// changed in the same write transaction as the cart or order that changes them (db/inventory.ts),
// so seats taken = sold + held − holds that have ended and are not yet released: one row read
// plus a range of ended holds, however many tickets were sold or holds are live.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inventory')
    .addColumn('performance_id', 'text', (c) => c.notNull().references('performances.id'))
    .addColumn('ticket_type_id', 'text', (c) => c.notNull().references('ticket_types.id'))
    .addColumn('sold', 'integer', (c) => c.notNull().defaultTo(0).check(sql`sold >= 0`))
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0).check(sql`held >= 0`))
    .addPrimaryKeyConstraint('inventory_pk', ['performance_id', 'ticket_type_id'])
    .execute();
  await db.schema
    .createTable('holds')
    .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id'))
    .addColumn('ticket_type_id', 'text', (c) => c.notNull())
    .addColumn('performance_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('holds_pk', ['cart_id', 'ticket_type_id'])
    .execute();
  await db.schema.createIndex('holds_ended').on('holds').columns(['performance_id', 'ticket_type_id', 'expires_at', 'quantity']).execute();
  await db.schema.createIndex('holds_release').on('holds').column('expires_at').execute();

  // What the old queries summed, once: tickets sold and holds live now.
  const now = new Date().toISOString();
  await sql`insert into holds (cart_id, ticket_type_id, performance_id, quantity, expires_at)
    select c.id, i.ticket_type_id, c.performance_id, i.quantity, c.hold_expires_at
    from carts c join cart_items i on i.cart_id = c.id
    where c.status = 'open' and c.hold_expires_at > ${now}`.execute(db);
  await sql`insert into inventory (performance_id, ticket_type_id, sold, held)
    select performance_id, ticket_type_id, sum(sold), sum(held) from (
      select performance_id, ticket_type_id, count(*) as sold, 0 as held from tickets group by performance_id, ticket_type_id
      union all
      select performance_id, ticket_type_id, 0, sum(quantity) from holds group by performance_id, ticket_type_id
    ) as counts group by performance_id, ticket_type_id`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The inventory migration is not reversible');
}
