// Queries behind abandonment, reminders, resume links, suppression and retention.
import type { Insertable, Updateable } from 'kysely';
import type { Db } from './database.ts';
import type { DiscountsTable, OutboxTable, ReminderClicksTable, ReminderSeriesTable } from './schema.ts';

/** Open, non-empty carts of one organizer, idle since `idleBefore` or with a lapsed hold, not yet marked abandoned. */
export function findAbandonmentCandidates(db: Db, organizerId: string, idleBefore: string, now: string, limit: number) {
  return db
    .selectFrom('carts')
    .selectAll()
    .where('organizer_id', '=', organizerId)
    .where('status', '=', 'open')
    .where('abandoned_at', 'is', null)
    .where((eb) => eb.or([eb('last_activity_at', '<=', idleBefore), eb('hold_expires_at', '<=', now)]))
    .where((eb) => eb.exists(eb.selectFrom('cart_items').select('cart_items.cart_id').whereRef('cart_items.cart_id', '=', 'carts.id')))
    .orderBy('last_activity_at')
    .limit(limit)
    .execute();
}

export function listOrganizers(db: Db) {
  return db.selectFrom('organizers').select(['id', 'settings', 'allowed_origins', 'name']).execute();
}

export function isSuppressed(db: Db, organizerId: string, emailHash: string) {
  return db
    .selectFrom('suppressions')
    .select('email_hash')
    .where('organizer_id', '=', organizerId)
    .where('email_hash', '=', emailHash)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

export function suppress(db: Db, organizerId: string, emailHash: string, reason: 'unsubscribe', now: string) {
  return db
    .insertInto('suppressions')
    .values({ organizer_id: organizerId, email_hash: emailHash, reason, created_at: now })
    .onConflict((oc) => oc.columns(['organizer_id', 'email_hash']).doNothing())
    .execute();
}

/** An order by this address for the event since `since`: the buyer came back on their own. */
export function purchasedSince(db: Db, eventId: string, email: string, since: string) {
  return db
    .selectFrom('orders')
    .select('id')
    .where('event_id', '=', eventId)
    .where('buyer_email', '=', email)
    .where('created_at', '>=', since)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

export function findSeries(db: Db, id: string) {
  return db.selectFrom('reminder_series').selectAll().where('id', '=', id).executeTakeFirst();
}

export type SeriesRow = NonNullable<Awaited<ReturnType<typeof findSeries>>>;

export function findSeriesFor(db: Db, performanceId: string, emailHash: string) {
  return db
    .selectFrom('reminder_series')
    .selectAll()
    .where('performance_id', '=', performanceId)
    .where('email_hash', '=', emailHash)
    .executeTakeFirst();
}

export function insertSeries(db: Db, row: Insertable<ReminderSeriesTable>) {
  return db.insertInto('reminder_series').values(row).execute();
}

export function updateSeries(db: Db, id: string, changes: Updateable<ReminderSeriesTable>) {
  return db.updateTable('reminder_series').set(changes).where('id', '=', id).execute();
}

export function enqueue(db: Db, rows: Insertable<OutboxTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db
    .insertInto('outbox')
    .values(rows)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** Stops every active series of this address for the event (a purchase) or organizer (unsubscribe). */
export async function stopSeries(db: Db, where: { eventId?: string; organizerId?: string; emailHash: string }, reason: string) {
  let q = db
    .updateTable('reminder_series')
    .set({ status: 'stopped', stop_reason: reason })
    .where('email_hash', '=', where.emailHash)
    .where('status', '=', 'active');
  if (where.eventId) q = q.where('event_id', '=', where.eventId);
  if (where.organizerId) q = q.where('organizer_id', '=', where.organizerId);
  await q.execute();
  const cancel = db
    .updateTable('outbox')
    .set({ status: 'cancelled', last_error: reason })
    .where('status', '=', 'pending')
    .where('series_id', 'in', (eb) => {
      let s = eb.selectFrom('reminder_series').select('id').where('email_hash', '=', where.emailHash);
      if (where.eventId) s = s.where('event_id', '=', where.eventId);
      if (where.organizerId) s = s.where('organizer_id', '=', where.organizerId);
      return s;
    });
  await cancel.execute();
}

/** The newest series of this address for the event that had a reminder sent at or after `since`. */
export function seriesRemindedSince(db: Db, eventId: string, emailHash: string, since: string) {
  return db
    .selectFrom('reminder_series')
    .innerJoin('outbox', 'outbox.series_id', 'reminder_series.id')
    .select(['reminder_series.id'])
    .where('reminder_series.event_id', '=', eventId)
    .where('reminder_series.email_hash', '=', emailHash)
    .where('outbox.status', '=', 'sent')
    .where('outbox.sent_at', '>=', since)
    .orderBy('outbox.sent_at', 'desc')
    .executeTakeFirst();
}

export function recordClick(db: Db, row: Insertable<ReminderClicksTable>) {
  return db.insertInto('reminder_clicks').values(row).execute();
}

export function ensureDiscount(db: Db, row: Insertable<DiscountsTable>) {
  return db
    .insertInto('discounts')
    .values(row)
    .onConflict((oc) => oc.columns(['series_id', 'step']).doNothing())
    .execute();
}

export function findDiscountForStep(db: Db, seriesId: string, step: number) {
  return db.selectFrom('discounts').selectAll().where('series_id', '=', seriesId).where('step', '=', step).executeTakeFirst();
}

export function findDiscount(db: Db, code: string) {
  return db.selectFrom('discounts').selectAll().where('code', '=', code).executeTakeFirst();
}

export type DiscountRow = NonNullable<Awaited<ReturnType<typeof findDiscount>>>;

export function useDiscount(db: Db, code: string, orderId: string) {
  return db.updateTable('discounts').set({ used_order_id: orderId }).where('code', '=', code).where('used_order_id', 'is', null).execute();
}

/** Erases buyer details of carts that never became orders, created before `before`. */
export async function eraseCartPii(db: Db, organizerId: string, before: string, now: string) {
  const carts = await db
    .updateTable('carts')
    .set({ buyer_email: null, buyer_name: null, buyer_phone: null, buyer_answers: null, page_url: null, pii_erased_at: now })
    .where('organizer_id', '=', organizerId)
    .where('status', '=', 'open')
    .where('created_at', '<', before)
    .where('pii_erased_at', 'is', null)
    .executeTakeFirst();
  await db
    .updateTable('reminder_series')
    .set({ email: null })
    .where('organizer_id', '=', organizerId)
    .where('email', 'is not', null)
    .where('cart_id', 'in', (eb) => eb.selectFrom('carts').select('id').where('pii_erased_at', 'is not', null))
    .execute();
  return Number(carts.numUpdatedRows);
}

export function findOrganizer(db: Db, id: string) {
  return db.selectFrom('organizers').select(['id', 'name', 'settings']).where('id', '=', id).executeTakeFirst();
}
