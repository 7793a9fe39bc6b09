// Storing carts and their items.
import type { Insertable, Updateable } from 'kysely';
import type { Db, Trx } from '../platform/db/database.ts';
import { isPostgres } from '../platform/db/engine.ts';
import { prepared } from '../platform/db/prepared.ts';
import type { CartsTable } from '../platform/db/schema.ts';

export function insertCart(db: Db, cart: Insertable<CartsTable>) {
  return db.insertInto('carts').values(cart).execute();
}

const cartById = prepared(1, (db, id: string) => db.selectFrom('carts').selectAll().where('id', '=', id));

export function findCart(db: Db, id: string) {
  return cartById(db, id).then((rows) => rows[0]);
}

/**
 * Locks the cart's row until the transaction ends: a second request on the same cart (a double
 * click, two tabs, the abandonment scan, a reminder link) waits, then reads what the first wrote.
 * SQLite's write transactions already run one at a time; on PostgreSQL this is SELECT … FOR UPDATE.
 */
export async function lockCart(trx: Trx, id: string): Promise<void> {
  if (isPostgres(trx)) await trx.selectFrom('carts').select('id').where('id', '=', id).forUpdate().execute();
}

export type CartRow = NonNullable<Awaited<ReturnType<typeof findCart>>>;

export function updateCart(db: Db, id: string, changes: Updateable<CartsTable>) {
  return db.updateTable('carts').set(changes).where('id', '=', id).execute();
}

const itemsOf = prepared(1, (db, cartId: string) =>
  db
    .selectFrom('cart_items')
    .innerJoin('ticket_types', 'ticket_types.id', 'cart_items.ticket_type_id')
    .select([
      'cart_items.ticket_type_id',
      'cart_items.quantity',
      'cart_items.unit_price',
      'ticket_types.name',
      'ticket_types.translations',
      'ticket_types.position',
    ])
    .where('cart_items.cart_id', '=', cartId)
    .orderBy('ticket_types.position')
    .orderBy('cart_items.ticket_type_id'),
);

export function listCartItems(db: Db, cartId: string) {
  return itemsOf(db, cartId);
}

export type CartItemRow = Awaited<ReturnType<typeof listCartItems>>[number];

/** The items of a cart that has none yet. */
export async function insertCartItems(db: Db, cartId: string, items: { ticketTypeId: string; quantity: number; unitPrice: number }[]) {
  const rows = items
    .filter((i) => i.quantity > 0)
    .map((i) => ({ cart_id: cartId, ticket_type_id: i.ticketTypeId, quantity: i.quantity, unit_price: i.unitPrice }));
  if (rows.length > 0) await db.insertInto('cart_items').values(rows).execute();
}

export async function replaceCartItems(db: Db, cartId: string, items: { ticketTypeId: string; quantity: number; unitPrice: number }[]) {
  await db.deleteFrom('cart_items').where('cart_id', '=', cartId).execute();
  await insertCartItems(db, cartId, items);
}
