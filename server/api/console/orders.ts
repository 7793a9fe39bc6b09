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
} from '../../db/console-orders.ts';
import { cancelOrder, markOrderPaid } from '../../domain/console-orders.ts';
import { DomainError, invalidInput } from '../../domain/errors.ts';
import type { Store } from '../../domain/store.ts';
import type { ConsoleEnv } from '../console-env.ts';
import { ordersCsv } from './orders-csv.ts';

const STATUSES = ['pending_payment', 'reserved', 'paid', 'expired', 'cancelled'] as const;
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
    await store.tx((trx) => markOrderPaid(trx, c.var.organizerId, c.req.param('id'), store.now()));
    return c.json(await orderDetail(store, c.var.organizerId, c.req.param('id')));
  });

  app.post('/orders/:id/cancel', async (c) => {
    await store.tx((trx) => cancelOrder(trx, c.var.organizerId, c.req.param('id'), store.now()));
    return c.json(await orderDetail(store, c.var.organizerId, c.req.param('id')));
  });

  return app;
}

/** One order in full: its show, buyer and answers, tickets and payments. */
async function orderDetail(store: Store, organizerId: string, id: string) {
  const order = await findConsoleOrder(store.db, organizerId, id);
  if (!order) throw new DomainError('NOT_FOUND', 'No such order');
  const [tickets, payments] = await Promise.all([consoleOrderTickets(store.db, order.id), consoleOrderPayments(store.db, order.id)]);
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
        answers: JSON.parse(order.buyer_answers ?? '{}') as Record<string, string>,
      },
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
    },
  };
}
