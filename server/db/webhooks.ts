// Webhook endpoints and the delivery outbox. Every endpoint query takes the organizer, so a
// console route cannot reach another organizer's rows by id.
//
// Claims and marks follow db/outbox.ts: a claim bumps `attempts`, and a mark applies only
// while the row is still 'sending' with that attempt number, so a worker whose lease ran out
// cannot overwrite the outcome of the worker that took the row over.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from './database.ts';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from './schema.ts';

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

export function insertWebhookEndpoint(db: Db, row: Insertable<WebhookEndpointsTable>) {
  return db.insertInto('webhook_endpoints').values(row).execute();
}

export function listWebhookEndpoints(db: Db, organizerId: string) {
  return db.selectFrom('webhook_endpoints').selectAll().where('organizer_id', '=', organizerId).orderBy('created_at').orderBy('id').execute();
}

export function findWebhookEndpoint(db: Db, organizerId: string, id: string) {
  return db.selectFrom('webhook_endpoints').selectAll().where('organizer_id', '=', organizerId).where('id', '=', id).executeTakeFirst();
}

export function updateWebhookEndpoint(db: Db, organizerId: string, id: string, changes: Updateable<WebhookEndpointsTable>) {
  return db.updateTable('webhook_endpoints').set(changes).where('organizer_id', '=', organizerId).where('id', '=', id).execute();
}

/** The endpoint goes with its delivery log. Run inside a write transaction. */
export async function deleteWebhookEndpoint(trx: Db, organizerId: string, id: string) {
  await trx.deleteFrom('webhook_deliveries').where('organizer_id', '=', organizerId).where('endpoint_id', '=', id).execute();
  const deleted = await trx.deleteFrom('webhook_endpoints').where('organizer_id', '=', organizerId).where('id', '=', id).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

export function activeWebhookEndpoints(db: Db, organizerId: string) {
  return db.selectFrom('webhook_endpoints').select(['id', 'events']).where('organizer_id', '=', organizerId).where('active', '=', 1).execute();
}

/** A delivery already queued for the same endpoint and logical event is kept as it is. */
export function enqueueWebhookDeliveries(db: Db, rows: Insertable<WebhookDeliveriesTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db
    .insertInto('webhook_deliveries')
    .values(rows)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export function listWebhookDeliveries(db: Db, organizerId: string, endpointId: string, limit: number) {
  return db
    .selectFrom('webhook_deliveries')
    .select(['id', 'event_id', 'event_type', 'status', 'attempts', 'due_at', 'last_status_code', 'last_error', 'delivered_at', 'created_at'])
    .where('organizer_id', '=', organizerId)
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export type ClaimedDelivery = WebhookDeliveryRow & { url: string; secret: string; endpoint_active: number };

/** Run inside a write transaction, so two workers cannot claim the same row. */
export async function claimDueWebhookDeliveries(trx: Db, o: { now: string; leaseUntil: string; limit: number }): Promise<ClaimedDelivery[]> {
  const due = await trx
    .selectFrom('webhook_deliveries')
    .select('id')
    .where((eb) =>
      eb.or([eb.and([eb('status', '=', 'pending'), eb('due_at', '<=', o.now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<=', o.now)])]),
    )
    .orderBy('due_at')
    .orderBy('id')
    .limit(o.limit)
    .execute();
  if (due.length === 0) return [];
  const ids = due.map((r) => r.id);
  await trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'sending', lease_until: o.leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', ids)
    .execute();
  return trx
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .selectAll('d')
    .select(['e.url', 'e.secret', 'e.active as endpoint_active'])
    .where('d.id', 'in', ids)
    .orderBy('d.due_at')
    .orderBy('d.id')
    .execute();
}

type Claim = Pick<WebhookDeliveryRow, 'id' | 'attempts'>;

function markClaimed(db: Db, claim: Claim, changes: Updateable<WebhookDeliveriesTable>) {
  return db
    .updateTable('webhook_deliveries')
    .set({ ...changes, lease_until: null })
    .where('id', '=', claim.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claim.attempts)
    .execute();
}

export function markWebhookDelivered(db: Db, claim: Claim, o: { at: string; statusCode: number }) {
  return markClaimed(db, claim, { status: 'delivered', delivered_at: o.at, last_status_code: o.statusCode, last_error: null });
}

export function markWebhookRetry(db: Db, claim: Claim, o: { dueAt: string; statusCode: number | null; error: string }) {
  return markClaimed(db, claim, { status: 'pending', due_at: o.dueAt, last_status_code: o.statusCode, last_error: o.error });
}

export function markWebhookFailed(db: Db, claim: Claim, o: { statusCode: number | null; error: string }) {
  return markClaimed(db, claim, { status: 'failed', last_status_code: o.statusCode, last_error: o.error });
}

/** Gives back a claimed row that was not tried, without counting the claim as an attempt. */
export function releaseWebhookClaim(db: Db, claim: Claim) {
  return db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'pending', lease_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', claim.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claim.attempts)
    .execute();
}

/** The receiver said 410 Gone: stop sending to it until the organizer turns it back on. */
export function deactivateWebhookEndpoint(db: Db, id: string) {
  return db.updateTable('webhook_endpoints').set({ active: 0 }).where('id', '=', id).execute();
}

/** What an `order.completed` event tells: the order, its show, how many tickets. */
export function orderForWebhook(db: Db, orderId: string) {
  return db
    .selectFrom('orders as o')
    .innerJoin('events as e', 'e.id', 'o.event_id')
    .innerJoin('performances as p', 'p.id', 'o.performance_id')
    .select((eb) => [
      'o.id',
      'o.number',
      'o.organizer_id',
      'o.cart_id',
      'o.total',
      'o.currency',
      'o.buyer_email',
      'o.buyer_name',
      'o.buyer_answers',
      'o.recovered_via',
      'o.created_at',
      'e.slug as event_slug',
      'p.id as performance_id',
      'p.starts_at as performance_starts_at',
      eb
        .selectFrom('tickets')
        .select((t) => t.fn.countAll<number>().as('n'))
        .whereRef('tickets.order_id', '=', 'o.id')
        .as('tickets'),
    ])
    .where('o.id', '=', orderId)
    .executeTakeFirstOrThrow();
}

/** What a `cart.abandoned` event tells: the show and the cart's value. */
export function cartForWebhook(db: Db, cartId: string) {
  return db
    .selectFrom('carts as c')
    .innerJoin('events as e', 'e.id', 'c.event_id')
    .innerJoin('performances as p', 'p.id', 'c.performance_id')
    .select((eb) => [
      'e.slug as event_slug',
      'e.currency',
      'p.starts_at as performance_starts_at',
      eb
        .selectFrom('cart_items')
        .select((i) => i.fn.coalesce(i.fn.sum<number>(i(i.ref('quantity'), '*', i.ref('unit_price'))), i.lit(0)).as('t'))
        .whereRef('cart_items.cart_id', '=', 'c.id')
        .as('total'),
    ])
    .where('c.id', '=', cartId)
    .executeTakeFirstOrThrow();
}
