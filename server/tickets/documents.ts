// An order's documents, as one call for whoever sends or serves them: the PDF (a page per
// ticket), the calendar event, and each ticket's QR image.
import type { Db } from '../db/database.ts';
import type { TicketLocale } from './i18n.ts';
import { ensureOrderPageToken, orderPagePath } from './order-access.ts';
import { orderDetails, type OrderDetails } from './order-details.ts';
import { orderIcs } from './order-ics.ts';
import { qrPng } from './qr.ts';
import { ticketsPdf } from './ticket-pdf.ts';

export interface OrderDocuments {
  details: OrderDetails;
  pageUrl: string;
  /** Empty pages are never made: no tickets (an unpaid, ended or unknown order) means null. */
  pdf: Buffer | null;
  ics: string;
  qr: { code: string; png: Buffer }[];
}

export async function orderDocuments(db: Db, orderId: string, o: { publicBaseUrl: string; locale?: TicketLocale }): Promise<OrderDocuments | undefined> {
  const details = await orderDetails(db, orderId, o.locale);
  if (!details) return undefined;
  const token = await ensureOrderPageToken(db, { id: details.id, access_token_hash: details.accessTokenHash });
  const pageUrl = `${o.publicBaseUrl.replace(/\/+$/, '')}${orderPagePath(token)}`;
  const [pdf, qr] = await Promise.all([
    details.tickets.length ? ticketsPdf(details) : null,
    Promise.all(details.tickets.map(async (t) => ({ code: t.code, png: await qrPng(t.qr) }))),
  ]);
  return { details, pageUrl, pdf, ics: orderIcs(details, pageUrl), qr };
}
