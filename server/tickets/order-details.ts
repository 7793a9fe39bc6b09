// One order as its documents, page and emails show it: names in the order's language (or the one
// asked for), times in the venue's time zone, money formatted, and each ticket's QR payload.
import type { Locale } from '../contracts/widget.ts';
import type { Db } from '../platform/db/database.ts';
import type { OrderStatus } from '../platform/db/schema.ts';
import { localized } from '../platform/localized.ts';
import { parseSettings } from '../sales/settings.ts';
import { moneyFormatter } from '../platform/mail/format.ts';
import { TICKET_STRINGS, ticketLocale, type TicketLocale, type TicketStrings } from './i18n.ts';
import { ticketQrPayload } from './ticket-code.ts';
import { findOrderDocumentsData, readSecret } from './tickets-db.ts';

export interface OrderDetails {
  id: string;
  number: string;
  status: OrderStatus;
  /** The order's own language (its cart's); `locale` is the one shown. */
  orderLocale: TicketLocale;
  locale: TicketLocale;
  t: TicketStrings;
  /** Paid or reserved: its tickets are shown, with their QR codes. */
  issued: boolean;
  buyer: { email: string; name: string };
  total: string;
  /** A reservation's end, formatted; '' when none. */
  until: string;
  event: { title: string; venue: string; timeZone: string };
  /** ISO UTC, and as the venue's clock shows it. */
  startsAt: string;
  when: string;
  organizer: { name: string; accentColor: string; supportEmail: string | null; supportPhone: string | null };
  tickets: { code: string; type: string; price: string; qr: string }[];
  accessTokenHash: string | null;
}

export function formatInZone(iso: string, intl: string, timeZone: string, o: Intl.DateTimeFormatOptions): string {
  try {
    return new Intl.DateTimeFormat(intl, { ...o, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(intl, { ...o, timeZone: 'UTC' }).format(new Date(iso));
  }
}

const WHEN: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' };
const SHORT: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' };

/** The order as shown in `locale` (default: the order's own), or undefined when there is no such order. */
export async function orderDetails(db: Db, orderId: string, locale?: TicketLocale): Promise<OrderDetails | undefined> {
  const data = await findOrderDocumentsData(db, orderId);
  if (!data) return undefined;
  const { order } = data;
  const orderLocale = ticketLocale(order.locale);
  const shown = locale ?? orderLocale;
  const t = TICKET_STRINGS[shown];
  const event = localized(order, shown as Locale);
  const settings = parseSettings(order.organizer_settings);
  const money = moneyFormatter(t.intl, order.currency);
  const issued = order.status === 'paid' || order.status === 'reserved';
  const secret = issued ? await readSecret(db, 'tickets') : '';
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    orderLocale,
    locale: shown,
    t,
    issued,
    buyer: { email: order.buyer_email, name: order.buyer_name },
    total: money(order.total),
    until: order.status === 'reserved' && order.expires_at ? formatInZone(order.expires_at, t.intl, order.time_zone, SHORT) : '',
    event: { title: event.title, venue: event.venue, timeZone: order.time_zone },
    startsAt: order.starts_at,
    when: formatInZone(order.starts_at, t.intl, order.time_zone, WHEN),
    organizer: {
      name: order.organizer_name,
      accentColor: settings.accentColor,
      supportEmail: settings.supportEmail,
      supportPhone: settings.supportPhone,
    },
    tickets: issued
      ? data.tickets.map((ticket) => ({
          code: ticket.code,
          type: localized(ticket, shown as Locale).name,
          price: money(ticket.price),
          qr: ticketQrPayload(secret, ticket.code),
        }))
      : [],
    accessTokenHash: order.access_token_hash,
  };
}

/** The performance's date and time for a subject line: "4 December, 19:00". */
export const shortWhen = (d: OrderDetails) => formatInZone(d.startsAt, d.t.intl, d.event.timeZone, SHORT);
