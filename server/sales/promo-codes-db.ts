// Discount codes, stored: the organizer's promo codes and reminders' single-use codes share one
// table (migration 0019). A use is taken by a conditional update, so two orders cannot both take
// a code's last use whatever the isolation level; an order that ends unpaid gives its use back.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { DiscountsTable } from '../platform/db/schema.ts';

/** A code as a buyer types it, for its organizer (the discounts_organizer_code key). */
export function findCode(db: Db, organizerId: string, code: string) {
  return db.selectFrom('discounts').selectAll().where('organizer_id', '=', organizerId).where('code', '=', code).executeTakeFirst();
}

export type CodeRow = NonNullable<Awaited<ReturnType<typeof findCode>>>;

/** Takes one use of the code if it has one left; returns whether it did. */
export async function takeUse(db: Db, id: string): Promise<boolean> {
  const r = await db
    .updateTable('discounts')
    .set((eb) => ({ used_count: eb('used_count', '+', 1) }))
    .where('id', '=', id)
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('max_uses', 'is', null), eb('used_count', '<', eb.ref('max_uses'))]))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * The use an order took, given back (the order expired or was cancelled unpaid). Called once per
 * order, by whoever moved it out of its unpaid state; the code is found by the order's organizer
 * and code, the key.
 */
export function releaseDiscount(db: Db, code: string, orderId: string) {
  return db
    .updateTable('discounts')
    .set((eb) => ({ used_count: eb('used_count', '-', 1) }))
    .where('organizer_id', '=', db.selectFrom('orders').select('organizer_id').where('id', '=', orderId))
    .where('code', '=', code)
    .where('used_count', '>', 0)
    .execute();
}

/** A use taken again by an order paid after it had expired (and given its use back): counted even past the limit. */
export function retakeUse(db: Db, organizerId: string, code: string) {
  return db
    .updateTable('discounts')
    .set((eb) => ({ used_count: eb('used_count', '+', 1) }))
    .where('organizer_id', '=', organizerId)
    .where('code', '=', code)
    .execute();
}

export function insertCode(db: Db, row: Insertable<DiscountsTable>) {
  return db.insertInto('discounts').values(row).execute();
}

/** The organizer's own promo codes (not reminders'), newest first, from the partial index discounts_promo_codes. */
export function listPromoCodes(db: Db, organizerId: string, before: { createdAt: string; id: string } | null, limit: number) {
  let query = db
    .selectFrom('discounts')
    .selectAll()
    .where('organizer_id', '=', organizerId)
    // A literal: SQLite uses a partial index only when it can see the query implies its WHERE.
    .where('series_id', 'is', sql.lit(null))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (before) {
    query = query.where((eb) => eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]));
  }
  return query.execute();
}

export function findPromoCode(db: Db, organizerId: string, id: string) {
  return db.selectFrom('discounts').selectAll().where('id', '=', id).where('organizer_id', '=', organizerId).where('series_id', 'is', null).executeTakeFirst();
}

export function updatePromoCode(db: Db, organizerId: string, id: string, changes: Updateable<DiscountsTable>) {
  return db.updateTable('discounts').set(changes).where('id', '=', id).where('organizer_id', '=', organizerId).where('series_id', 'is', null).execute();
}

/** Whether buyers of the event may have a promo code to type: one of the organizer's that could apply to it now. */
export async function offersPromoCodes(db: Db, organizerId: string, eventId: string, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('discounts')
    .select('id')
    .where('organizer_id', '=', organizerId)
    .where('series_id', 'is', sql.lit(null))
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('event_id', 'is', null), eb('event_id', '=', eventId)]))
    .where((eb) => eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', now)]))
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .where((eb) => eb.or([eb('max_uses', 'is', null), eb('used_count', '<', eb.ref('max_uses'))]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** An event's or a performance's own codes go with it (catalogue removal of what never sold). */
export function deleteScopedCodes(db: Db, organizerId: string, scope: { eventId: string } | { performanceId: string }) {
  const query = db.deleteFrom('discounts').where('organizer_id', '=', organizerId).where('series_id', 'is', sql.lit(null));
  return ('eventId' in scope ? query.where('event_id', '=', scope.eventId) : query.where('performance_id', '=', scope.performanceId)).execute();
}
