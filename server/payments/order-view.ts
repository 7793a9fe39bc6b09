// An order as the widget sees it on the buyer's return from paying: its state, and its tickets
// once they count (paid, or a box-office reservation's codes).
import type { Locale, OrderView } from '../contracts/widget.ts';
import { listTicketTypes } from '../sales/catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { localized } from '../platform/localized.ts';
import { orderTickets, type OrderRow } from './payments-db.ts';
import { ensureOrderPageToken, orderPagePath } from '../tickets/order-access.ts';

export async function orderView(db: Db, order: OrderRow, locale: Locale): Promise<OrderView> {
  const issued = order.status === 'paid' || order.status === 'reserved';
  const [tickets, types] = issued ? await Promise.all([orderTickets(db, order.id), listTicketTypes(db, order.event_id)]) : [[], []];
  const names = new Map(types.map((t) => [t.id, localized(t, locale).name]));
  const answers = order.buyer_answers ? (JSON.parse(order.buyer_answers) as Record<string, string>) : {};
  // Money that arrived for an order that ended is on its way back (payments/refunds.ts).
  const moneyBack =
    order.status === 'refunded' ||
    (!issued &&
      (await db
        .selectFrom('payments')
        .select('id')
        .where('order_id', '=', order.id)
        .where('status', 'in', ['refund_due', 'refunding', 'refunded'])
        .executeTakeFirst()) !== undefined);
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    subtotal: order.subtotal ?? order.total,
    discount: order.discount_code ? { code: order.discount_code, amount: order.discount_amount } : null,
    total: order.total,
    currency: order.currency,
    paymentMethod: order.payment_method,
    buyer: { email: order.buyer_email, name: order.buyer_name, phone: order.buyer_phone, answers },
    performanceId: order.performance_id,
    expiresAt: order.status === 'pending_payment' || order.status === 'reserved' ? order.expires_at : null,
    tickets: tickets.map((t) => ({ code: t.code, ticketTypeId: t.ticket_type_id, name: names.get(t.ticket_type_id) ?? '', price: t.price })),
    moneyBack,
    page: orderPagePath(await ensureOrderPageToken(db, order)),
  };
}
