// /api/console/v1/orders — the box office's orders: search and filters, keyset pages, one order
// in full, a reservation paid at the desk, a cancellation, and the same list as CSV. Every query
// is scoped by the signed-in organizer; another organizer's order is 404.
import { Hono } from 'hono';
import { z } from 'zod';
import {
  consoleOrderPayments,
  consoleOrderTickets,
  findConsoleOrder,
  listOrdersQuery,
  type OrderCursor,
  type OrderFilter,
  type OrderListRow,
} from '../orders-db.ts';
import { orderHistory } from '../../sales/order-events-db.ts';
import { answersRecord } from '../../sales/buyer-fields.ts';
import { cancelOrder, markOrderPaid, resendConfirmation } from '../orders.ts';
import { DomainError, invalidInput } from '../../platform/errors.ts';
import { parseSettings } from '../../sales/settings.ts';
import type { Store } from '../../store.ts';
import { orderRefunds } from '../../payments/refunds-db.ts';
import { requestRefund } from '../../payments/refunds.ts';
import type { ConsoleEnv } from '../env.ts';
import { ordersCsv } from './orders-csv.ts';

const resendBody = z.object({ email: z.string().trim().toLowerCase().email().max(254).optional() });

const STATUSES = ['pending_payment', 'reserved', 'paid', 'expired', 'cancelled', 'refunded'] as const;
const DAY = 86_400_000;

/** A date (YYYY-MM-DD, UTC) or an ISO instant; `to` as a date takes in that whole day. */
const instant = (endOfDay: boolean) =>
  z
    .string()
    .max(40)
    .refine((s) => !Number.isNaN(Date.parse(s)), 'Expected a date (YYYY-MM-DD) or an ISO 8601 time')
    .transform((s) => {
      const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
      return new Date(d.getTime() + (endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(s) ? DAY : 0)).toISOString();
    });

const listQuery = z.object({
  q: z.string().max(200).optional(),
  eventId: z.string().min(1).max(64).optional(),
  performanceId: z.string().min(1).max(64).optional(),
  status: z.enum(STATUSES).optional(),
  paymentMethod: z.string().min(1).max(40).optional(),
  from: instant(false).optional(),
  to: instant(true).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const encodeCursor = (r: { created_at: string; id: string }) => Buffer.from(`${r.created_at}|${r.id}`).toString('base64url');

function decodeCursor(s: string): OrderCursor {
  const [createdAt, id] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) throw new DomainError('VALIDATION', 'Not a cursor from this list', 'cursor');
  return { createdAt, id };
}

function parseQuery(query: Record<string, string>) {
  const parsed = listQuery.safeParse(query);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { q, eventId, performanceId, status, paymentMethod, from, to } = parsed.data;
  const filter: OrderFilter = { q, eventId, performanceId, status, paymentMethod, createdFrom: from, createdTo: to };
  return { filter, cursor: parsed.data.cursor ? decodeCursor(parsed.data.cursor) : null, limit: parsed.data.limit };
}

export const orderSummary = (r: OrderListRow) => ({
  id: r.id,
  number: r.number,
  status: r.status,
  paymentMethod: r.payment_method,
  total: r.total,
  currency: r.currency,
  createdAt: r.created_at,
  buyer: { email: r.buyer_email, name: r.buyer_name, phone: r.buyer_phone },
  event: { id: r.event_id, title: r.event_title, timeZone: r.time_zone },
  performance: { id: r.performance_id, startsAt: r.performance_starts_at },
});

export function consoleOrdersApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.get('/orders', async (c) => {
    const { filter, cursor, limit } = parseQuery(c.req.query());
    const rows = await listOrdersQuery(store.db, c.var.organizerId, filter, cursor, limit + 1).execute();
    const page = rows.slice(0, limit);
    return c.json({ orders: page.map(orderSummary), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null });
  });

  app.get('/orders.csv', async (c) => {
    const { filter } = parseQuery({ ...c.req.query(), limit: '200' });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="encore-orders-${store.now().toISOString().slice(0, 10)}.csv"`);
    return c.body(await ordersCsv(store.db, c.var.organizerId, filter));
  });

  app.get('/orders/:id', async (c) => c.json(await orderDetail(store, c.var.organizerId, c.req.param('id'))));

  app.post('/orders/:id/mark-paid', async (c) => {
    await store.tx((trx) => markOrderPaid(trx, c.var.organizerId, c.req.param('id'), store.now(), c.var.actor));
    return c.json(await orderDetail(store, c.var.organizerId, c.req.param('id')));
  });

  // The confirmation again, to the order's address or a corrected one ({"email"}), which the order keeps.
  app.post('/orders/:id/resend', async (c) => {
    const parsed = resendBody.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success) throw invalidInput(parsed.error);
    await store.tx((trx) => resendConfirmation(trx, c.var.organizerId, c.req.param('id'), { email: parsed.data.email, now: store.now(), actor: c.var.actor }));
    return c.json(await orderDetail(store, c.var.organizerId, c.req.param('id')), 202);
  });

  app.post('/orders/:id/cancel', async (c) => {
    await store.tx((trx) => cancelOrder(trx, c.var.organizerId, c.req.param('id'), store.now(), c.var.actor));
    return c.json(await orderDetail(store, c.var.organizerId, c.req.param('id')));
  });

  // A refund: `amount` in minor units (default: all not yet refunded), an optional reason.
  // 201 when the money is back (or was handed back at the desk), 202 while the provider has not
  // taken it yet (the recovery loop retries), 409 PAYMENT_FAILED when the provider refused it.
  app.post('/orders/:id/refunds', async (c) => {
    const parsed = refundBody.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success) throw invalidInput(parsed.error);
    const refund = await requestRefund(store, store.payments, {
      organizerId: c.var.organizerId,
      orderId: c.req.param('id'),
      amount: parsed.data.amount,
      reason: parsed.data.reason,
      actor: c.var.actor,
    });
    if (refund.status === 'failed')
      throw new DomainError('PAYMENT_FAILED', `The payment provider refused the refund: ${refund.last_error ?? 'no reason given'}`);
    const detail = await orderDetail(store, c.var.organizerId, c.req.param('id'));
    return c.json({ refund: detail.order.refunds.find((r) => r.id === refund.id), ...detail }, refund.status === 'succeeded' ? 201 : 202);
  });

  app.get('/orders/:id/history', async (c) => c.json({ history: (await orderDetail(store, c.var.organizerId, c.req.param('id'))).order.history }));

  return app;
}

const refundBody = z.object({
  amount: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  reason: z.string().max(500).optional(),
});

/** One order in full: its show, buyer and answers (with the questions' labels), tickets, payments, refunds and history. */
async function orderDetail(store: Store, organizerId: string, id: string) {
  const order = await findConsoleOrder(store.db, organizerId, id);
  if (!order) throw new DomainError('NOT_FOUND', 'No such order');
  const [tickets, payments, refunds, history, organizer] = await Promise.all([
    consoleOrderTickets(store.db, order.id),
    consoleOrderPayments(store.db, order.id),
    orderRefunds(store.db, order.id),
    orderHistory(store.db, order.id),
    store.db.selectFrom('organizers').select('settings').where('id', '=', organizerId).executeTakeFirstOrThrow(),
  ]);
  const questions = parseSettings(organizer.settings).fields.custom;
  const answers = answersRecord(order.buyer_answers);
  return {
    order: {
      ...orderSummary(order),
      expiresAt: order.expires_at,
      subtotal: order.subtotal,
      discount: order.discount_code ? { code: order.discount_code, amount: order.discount_amount } : null,
      recoveredVia: order.recovered_via,
      buyer: {
        email: order.buyer_email,
        name: order.buyer_name,
        phone: order.buyer_phone,
        answers,
        // The questions as asked now (null for one no longer asked), in the order they are asked.
        answerList: Object.entries(answers)
          .map(([id, answer]) => ({ id, label: questions.find((q) => q.id === id)?.label ?? null, answer }))
          .sort((a, b) => rank(questions, a.id) - rank(questions, b.id)),
      },
      refundedAmount: order.refunded_amount,
      event: { id: order.event_id, slug: order.event_slug, title: order.event_title, timeZone: order.time_zone },
      tickets: tickets.map((t) => ({ code: t.code, ticketTypeId: t.ticket_type_id, name: t.name, price: t.price })),
      payments: payments.map((p) => ({
        id: p.id,
        provider: p.provider,
        providerPaymentId: p.provider_payment_id,
        amount: p.amount,
        currency: p.currency,
        status: p.status,
        createdAt: p.created_at,
        updatedAt: p.updated_at,
      })),
      refunds: refunds.map((r) => ({
        id: r.id,
        paymentId: r.payment_id,
        provider: r.provider,
        amount: r.amount,
        currency: r.currency,
        status: r.status,
        reason: r.reason,
        actor: r.actor,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
      history: history.map((e) => ({
        at: e.at,
        actor: e.actor,
        action: e.action,
        details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {},
      })),
    },
  };
}

const rank = (questions: { id: string }[], id: string) => {
  const i = questions.findIndex((q) => q.id === id);
  return i === -1 ? questions.length : i;
};
