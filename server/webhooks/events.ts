// Webhook events. Emitting queues one delivery per active endpoint subscribed to the type, in
// the caller's transaction, each with its `webhook` job: an order and its `order.completed` commit
// together or not at all, and the job queue sends them afterwards (webhooks/delivery-job.ts).
import type { WEBHOOK_EVENT_TYPES } from '../contracts/widget.ts';
import type { CartRow } from '../sales/carts-db.ts';
import type { Trx } from '../platform/db/database.ts';
import { activeWebhookEndpoints, cartForWebhook, insertWebhookDeliveries, orderForWebhook } from './webhooks-db.ts';
import { enqueueMany } from '../platform/jobs/queue.ts';
import { answersRecord } from '../sales/buyer-fields.ts';
import { newId } from '../platform/ids.ts';

/** What an organizer can subscribe to. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent only by the console's "send test" button, to one endpoint. */
export type AnyWebhookEventType = WebhookEventType | 'webhook.test';

export interface WebhookPayload {
  id: string;
  type: AnyWebhookEventType;
  createdAt: string;
  data: Record<string, unknown>;
}

/**
 * `dedupe` names the logical event (`order.completed:<order id>`): emitting it again queues
 * nothing new. `endpointId` limits the event to one endpoint, subscribed or not (test events).
 * Returns the event id, or null when no endpoint wanted it.
 */
export async function emitWebhook(
  trx: Trx,
  o: { organizerId: string; type: AnyWebhookEventType; data: Record<string, unknown>; dedupe: string; now: Date; endpointId?: string },
): Promise<string | null> {
  const endpoints = (await activeWebhookEndpoints(trx, o.organizerId)).filter((e) =>
    o.endpointId ? e.id === o.endpointId : (JSON.parse(e.events) as string[]).includes(o.type),
  );
  if (endpoints.length === 0) return null;
  const createdAt = o.now.toISOString();
  const payload: WebhookPayload = { id: newId('evt'), type: o.type, createdAt, data: o.data };
  const body = JSON.stringify(payload);
  const added = await insertWebhookDeliveries(
    trx,
    endpoints.map((e) => ({
      id: newId('whd'),
      endpoint_id: e.id,
      organizer_id: o.organizerId,
      event_type: o.type,
      event_id: payload.id,
      payload: body,
      dedupe_key: `${e.id}:${o.dedupe}`,
      status: 'pending' as const,
      attempts: 0,
      due_at: createdAt,
      created_at: createdAt,
    })),
  );
  await enqueueMany(
    trx,
    added.map((deliveryId) => ({ kind: 'webhook' as const, dedupeKey: deliveryId, payload: { deliveryId }, runAt: createdAt, now: o.now })),
  );
  return payload.id;
}

/** `order.completed` for every order, and `cart.recovered` too when a reminder brought it back. */
export async function emitOrderWebhooks(trx: Trx, args: { organizerId: string; orderId: string; now: Date }): Promise<void> {
  // Most organizers have no endpoints: one indexed look-up, then nothing more in the checkout.
  if ((await activeWebhookEndpoints(trx, args.organizerId)).length === 0) return;
  const { now } = args;
  const o = await orderForWebhook(trx, args.orderId);
  const performance = { id: o.performance_id, startsAt: o.performance_starts_at };
  await emitWebhook(trx, {
    organizerId: o.organizer_id,
    type: 'order.completed',
    dedupe: `order.completed:${o.id}`,
    now,
    data: {
      order: { id: o.id, number: o.number, total: o.total, currency: o.currency, tickets: Number(o.tickets), createdAt: o.created_at },
      buyer: { email: o.buyer_email, name: o.buyer_name, answers: answersRecord(o.buyer_answers) },
      eventSlug: o.event_slug,
      performance,
      recoveredVia: o.recovered_via,
    },
  });
  if (!o.recovered_via) return;
  await emitWebhook(trx, {
    organizerId: o.organizer_id,
    type: 'cart.recovered',
    dedupe: `cart.recovered:${o.id}`,
    now,
    data: {
      cartId: o.cart_id,
      order: { id: o.id, number: o.number, total: o.total, currency: o.currency },
      recoveredVia: o.recovered_via,
      eventSlug: o.event_slug,
      performance,
    },
  });
}

export type OrderStateEvent = 'order.paid' | 'order.cancelled' | 'order.refunded' | 'order.expired';

/**
 * An order reached a state: paid (online, free, or at the desk), cancelled, refunded, expired —
 * once per order and state (`dedupe` for what may happen more than once, e.g. partial refunds).
 * `data` adds to the order's own fields (a refund's amount, say).
 */
export async function emitOrderState(
  trx: Trx,
  args: { organizerId: string; orderId: string; type: OrderStateEvent; now: Date; dedupe?: string; data?: Record<string, unknown> },
): Promise<void> {
  if ((await activeWebhookEndpoints(trx, args.organizerId)).length === 0) return;
  const o = await orderForWebhook(trx, args.orderId);
  await emitWebhook(trx, {
    organizerId: o.organizer_id,
    type: args.type,
    dedupe: args.dedupe ?? `${args.type}:${o.id}`,
    now: args.now,
    data: {
      order: {
        id: o.id,
        number: o.number,
        status: args.type.slice('order.'.length),
        total: o.total,
        currency: o.currency,
        tickets: Number(o.tickets),
        createdAt: o.created_at,
      },
      buyer: { email: o.buyer_email, name: o.buyer_name },
      eventSlug: o.event_slug,
      performance: { id: o.performance_id, startsAt: o.performance_starts_at },
      ...args.data,
    },
  });
}

/**
 * `cart.abandoned`. The address goes to the organizer's tools only if the buyer agreed to be
 * contacted (the same rule as for reminders); otherwise the event says only that one is known.
 */
export async function emitCartAbandoned(trx: Trx, cart: CartRow, abandonedAt: Date, now: Date): Promise<void> {
  if ((await activeWebhookEndpoints(trx, cart.organizer_id)).length === 0) return;
  const c = await cartForWebhook(trx, cart.id);
  const hasEmail = Boolean(cart.buyer_email) && !cart.pii_erased_at;
  const consent = cart.consent_mode === 'opt-in' ? cart.consent === 1 : Boolean(cart.consent_text);
  await emitWebhook(trx, {
    organizerId: cart.organizer_id,
    type: 'cart.abandoned',
    dedupe: `cart.abandoned:${cart.id}`,
    now,
    data: {
      cartId: cart.id,
      abandonedAt: abandonedAt.toISOString(),
      eventSlug: c.event_slug,
      performance: { id: cart.performance_id, startsAt: c.performance_starts_at },
      total: Number(c.total),
      currency: c.currency,
      hasEmail,
      consent: { given: consent, mode: cart.consent_mode },
      ...(hasEmail && consent ? { email: cart.buyer_email } : {}),
    },
  });
}
