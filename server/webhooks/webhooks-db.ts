// Webhook endpoints and their delivery log. Every endpoint query takes the organizer, so a
// console route cannot reach another organizer's rows by id.
//
// A delivery row is the record the console shows; sending it is a `webhook` job of the job queue
// (platform/jobs/jobs-db.ts, webhooks/delivery-job.ts), whose handler writes each try's outcome here in the
// transaction that marks the job — only while its claim holds.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../platform/db/schema.ts';

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

/** A delivery already queued for the same endpoint and logical event is kept as it is; returns
 * the ids of those added (webhooks/events.ts queues a job for each). */
export async function insertWebhookDeliveries(db: Db, rows: Insertable<WebhookDeliveriesTable>[]) {
  if (rows.length === 0) return [];
  const added = await db
    .insertInto('webhook_deliveries')
    .values(rows)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return added.map((r) => r.id);
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

/** A delivery with its endpoint, as the `webhook` job's handler reads it. */
export function findDeliveryToSend(db: Db, id: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.endpoint_id', 'd.event_type', 'd.payload', 'd.status', 'e.url', 'e.secret', 'e.active as endpoint_active'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/** Records a try of a delivery (the console's delivery log). Run in the transaction that marks its job. */
export function recordDeliveryOutcome(
  trx: Db,
  id: string,
  o: { attempts: number; statusCode: number | null } & (
    | { status: 'delivered'; at: string }
    | { status: 'pending'; dueAt: string; error: string }
    | { status: 'failed'; error: string }
  ),
) {
  const changes: Updateable<WebhookDeliveriesTable> =
    o.status === 'delivered'
      ? { status: o.status, delivered_at: o.at, last_error: null }
      : o.status === 'pending'
        ? { status: o.status, due_at: o.dueAt, last_error: o.error }
        : { status: o.status, last_error: o.error };
  return trx
    .updateTable('webhook_deliveries')
    .set({ ...changes, attempts: o.attempts, last_status_code: o.statusCode })
    .where('id', '=', id)
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

/**
 * Retention: the cart.abandoned payloads of erased carts lose the buyer's address (the event
 * keeps hasEmail and says `erased`). Read by the organizer's deliveries created around the
 * abandonments (the event is emitted when the cart is marked abandoned), by index.
 */
export async function scrubAbandonedCartEmails(db: Db, organizerId: string, carts: { id: string; abandoned_at: string | null }[]): Promise<number> {
  const times = carts.flatMap((c) => (c.abandoned_at ? [Date.parse(c.abandoned_at)] : []));
  if (times.length === 0) return 0;
  const day = 86_400_000;
  const ids = new Set(carts.map((c) => c.id));
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['id', 'payload'])
    .where('organizer_id', '=', organizerId)
    .where('created_at', '>=', new Date(Math.min(...times) - day).toISOString())
    .where('created_at', '<=', new Date(Math.max(...times) + day).toISOString())
    .where('event_type', '=', 'cart.abandoned')
    .execute();
  let scrubbed = 0;
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { data: { cartId?: string; email?: string } & Record<string, unknown> };
    if (!payload.data.cartId || !ids.has(payload.data.cartId) || payload.data.email === undefined) continue;
    const { email: _erased, ...data } = payload.data;
    await db
      .updateTable('webhook_deliveries')
      .set({ payload: JSON.stringify({ ...payload, data: { ...data, erased: true } }) })
      .where('id', '=', row.id)
      .execute();
    scrubbed += 1;
  }
  return scrubbed;
}
