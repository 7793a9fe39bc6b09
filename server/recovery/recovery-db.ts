// Queries behind abandonment, reminders, resume links, suppression and retention.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { DiscountsTable, OutboxTable, ReminderClicksTable, ReminderSeriesTable } from '../platform/db/schema.ts';

/**
 * Open carts with items of one organizer, idle since `idleBefore` or with a lapsed hold, not yet
 * marked abandoned: two range reads of partial indexes that hold only such carts (migration
 * 0009), so a round costs what is due, not how many carts were ever left. The literal terms
 * must stay literal: SQLite uses a partial index only when the query repeats its condition.
 */
export async function findAbandonmentCandidates(db: Db, organizerId: string, idleBefore: string, now: string, limit: number) {
  const waiting = (column: 'last_activity_at' | 'hold_expires_at', before: string) =>
    db
      .selectFrom('carts')
      .select(['id', column === 'last_activity_at' ? 'last_activity_at as due' : 'hold_expires_at as due'])
      .where('organizer_id', '=', organizerId)
      .where('status', '=', sql.lit('open'))
      .where('abandoned_at', 'is', null)
      .where('hold_expires_at', 'is not', null)
      .where(column, '<=', before)
      .orderBy(column)
      .limit(limit)
      .execute();
  const [idle, lapsed] = await Promise.all([waiting('last_activity_at', idleBefore), waiting('hold_expires_at', now)]);
  const due = new Map<string, string>();
  for (const r of [...idle, ...lapsed]) if (!due.has(r.id) || r.due! < due.get(r.id)!) due.set(r.id, r.due!);
  return [...due]
    .sort((x, y) => x[1].localeCompare(y[1]))
    .slice(0, limit)
    .map(([id]) => ({ id }));
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

/**
 * An order by this address for the event since `since` that counts as bought (paid, or reserved at
 * the box office): the buyer came back on their own. One waiting for or past its payment time does not.
 */
export function purchasedSince(db: Db, eventId: string, email: string, since: string) {
  return db
    .selectFrom('orders')
    .select('id')
    .where('event_id', '=', eventId)
    .where('buyer_email', '=', email)
    .where('created_at', '>=', since)
    .where('status', 'in', ['paid', 'reserved'])
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

export function findSeries(db: Db, id: string) {
  return db.selectFrom('reminder_series').selectAll().where('id', '=', id).executeTakeFirst();
}

export type SeriesRow = NonNullable<Awaited<ReturnType<typeof findSeries>>>;

export function findSeriesFor(db: Db, performanceId: string, emailHash: string) {
  return db.selectFrom('reminder_series').selectAll().where('performance_id', '=', performanceId).where('email_hash', '=', emailHash).executeTakeFirst();
}

export function insertSeries(db: Db, row: Insertable<ReminderSeriesTable>) {
  return db.insertInto('reminder_series').values(row).execute();
}

/** The active series of a cart follow it to another (payment abandonment); index on cart_id. */
export function moveActiveSeries(db: Db, fromCartId: string, toCartId: string) {
  return db.updateTable('reminder_series').set({ cart_id: toCartId }).where('cart_id', '=', fromCartId).where('status', '=', 'active').execute();
}

export function updateSeries(db: Db, id: string, changes: Updateable<ReminderSeriesTable>) {
  return db.updateTable('reminder_series').set(changes).where('id', '=', id).execute();
}

/** Adds reminder rows, leaving out any whose dedupe key is already there; returns those added
 * (recovery/reminder-job.ts queues a job for each). */
export function insertOutboxRows(db: Db, rows: Insertable<OutboxTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db
    .insertInto('outbox')
    .values(rows)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning(['id', 'due_at'])
    .execute();
}

/**
 * Stops every active series of this address for the event (a purchase) or organizer
 * (unsubscribe) and cancels their pending reminders. Reads the address's series first (index on
 * email_hash), then only those series' outbox rows (index on series_id, status).
 */
export async function stopSeries(db: Db, where: { eventId?: string; organizerId?: string; emailHash: string }, reason: string) {
  let q = db.selectFrom('reminder_series').select(['id', 'status']).where('email_hash', '=', where.emailHash);
  if (where.eventId) q = q.where('event_id', '=', where.eventId);
  if (where.organizerId) q = q.where('organizer_id', '=', where.organizerId);
  const series = await q.execute();
  if (series.length === 0) return;
  const active = series.filter((s) => s.status === 'active').map((s) => s.id);
  if (active.length > 0) {
    await db.updateTable('reminder_series').set({ status: 'stopped', stop_reason: reason }).where('id', 'in', active).execute();
  }
  await db
    .updateTable('outbox')
    .set({ status: 'cancelled', last_error: reason })
    .where(
      'series_id',
      'in',
      series.map((s) => s.id),
    )
    .where('status', '=', 'pending')
    .execute();
}

/** The series of this address for the event that had a reminder sent at or after `since`, newest send first. */
export async function seriesRemindedSince(db: Db, eventId: string, emailHash: string, since: string) {
  const series = await db.selectFrom('reminder_series').select('id').where('email_hash', '=', emailHash).where('event_id', '=', eventId).execute();
  if (series.length === 0) return undefined;
  return db
    .selectFrom('outbox')
    .select('series_id as id')
    .where(
      'series_id',
      'in',
      series.map((s) => s.id),
    )
    .where('status', '=', 'sent')
    .where('sent_at', '>=', since)
    .orderBy('sent_at', 'desc')
    .executeTakeFirst() as Promise<{ id: string } | undefined>;
}

/** A click of a step's link, counted once however often the link is used (under the cart's lock). */
export async function recordClick(db: Db, row: Insertable<ReminderClicksTable>) {
  const seen = await db
    .selectFrom('reminder_clicks')
    .select('id')
    .where('series_id', '=', row.series_id)
    .where('step', '=', row.step)
    .limit(1)
    .executeTakeFirst();
  if (!seen) await db.insertInto('reminder_clicks').values(row).execute();
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

/**
 * Erases buyer details of up to `limit` carts of the organizer that never became orders and were
 * created before `before`. Only carts not yet erased are in the index it reads (migration 0009).
 */
/** Erases the buyer details of up to `limit` open carts made before `before`; returns them with when each was abandoned. */
export async function eraseCartPii(db: Db, organizerId: string, before: string, now: string, limit: number) {
  const carts = await db
    .selectFrom('carts')
    .select(['id', 'abandoned_at'])
    .where('organizer_id', '=', organizerId)
    .where('status', '=', sql.lit('open'))
    .where('pii_erased_at', 'is', null)
    .where('created_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  const ids = carts.map((r) => r.id);
  if (ids.length === 0) return carts;
  await db
    .updateTable('carts')
    .set({ buyer_email: null, buyer_name: null, buyer_phone: null, buyer_answers: null, page_url: null, pii_erased_at: now })
    .where('id', 'in', ids)
    .execute();
  await db.updateTable('reminder_series').set({ email: null }).where('cart_id', 'in', ids).where('email', 'is not', null).execute();
  return carts;
}

export function findOrganizer(db: Db, id: string) {
  return db.selectFrom('organizers').select(['id', 'name', 'settings']).where('id', '=', id).executeTakeFirst();
}
