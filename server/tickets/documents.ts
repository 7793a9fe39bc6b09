// An order's documents: the order as shown with its page's URL, the PDF (a page per ticket), the
// calendar event and each ticket's QR image. Each route and the mail build only what they use.
import type { Db } from '../platform/db/database.ts';
import type { TicketLocale } from './i18n.ts';
import { ensureOrderPageToken, orderPagePath } from './order-access.ts';
import { orderDetails, type OrderDetails } from './order-details.ts';
import { orderIcs } from './order-ics.ts';
import { qrPng } from './qr.ts';
import { ticketsPdf } from './ticket-pdf.ts';

export interface LinkedOrder {
  details: OrderDetails;
  pageUrl: string;
}

export interface OrderDocuments extends LinkedOrder {
  /** Null when the order shows no tickets (unpaid online, cancelled, expired, refunded). */
  pdf: Buffer | null;
  ics: string;
  qr: { code: string; png: Buffer }[];
}

/** The order in `locale` (default: its own) and its page's URL, or undefined when there is no such order. */
export async function linkedOrder(db: Db, orderId: string, o: { publicBaseUrl: string; locale?: TicketLocale }): Promise<LinkedOrder | undefined> {
  const details = await orderDetails(db, orderId, o.locale);
  if (!details) return undefined;
  const token = await ensureOrderPageToken(db, { id: details.id, access_token_hash: details.accessTokenHash });
  return { details, pageUrl: `${o.publicBaseUrl.replace(/\/+$/, '')}${orderPagePath(token)}` };
}

export const qrImages = (d: OrderDetails) => Promise.all(d.tickets.map(async (t) => ({ code: t.code, png: await qrPng(t.qr) })));

export const ticketsPdfOf = (d: OrderDetails, qr?: ReadonlyMap<string, Buffer>) => (d.tickets.length ? ticketsPdf(d, qr) : Promise.resolve(null));

export async function orderDocuments(db: Db, orderId: string, o: { publicBaseUrl: string; locale?: TicketLocale }): Promise<OrderDocuments | undefined> {
  const linked = await linkedOrder(db, orderId, o);
  if (!linked) return undefined;
  // Each QR once, for the PDF and the mail alike.
  const qr = await qrImages(linked.details);
  const pdf = await ticketsPdfOf(linked.details, new Map(qr.map((q) => [q.code, q.png])));
  return { ...linked, pdf, ics: orderIcs(linked.details, linked.pageUrl), qr };
}
