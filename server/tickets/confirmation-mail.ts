// The order emails, built for the job that sends them (kind `order_mail`; nothing is sent here):
// the confirmation of a paid order or a box-office reservation, with the tickets as a PDF and
// the performance as an .ics attached and each ticket's QR inline, and short notices when an
// order is cancelled, expires or is refunded. In the order's language, from the organizer's name.
// Transactional: no unsubscribe link or List-Unsubscribe, and the marketing suppression list is
// not the sender's concern for these.
import type { Db } from '../platform/db/database.ts';
import type { Sender } from '../platform/mail/sender.ts';
import { orderMailHtml } from './confirmation-html.ts';
import { orderDocuments } from './documents.ts';
import type { OrderMailKind } from './i18n.ts';
import { shortWhen } from './order-details.ts';

export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
  /** Set on images the HTML shows inline (`cid:`): the tickets' QR codes. */
  cid?: string;
}

export interface OrderMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: MailAttachment[];
  /** From's display name and Reply-To (platform/mail/sender.ts's senderFields). */
  sender: Sender;
}

/** The state each kind speaks of; a mail whose order has moved on since is not sent (null). */
const STATES: Record<OrderMailKind, string[]> = {
  confirmation: ['paid', 'reserved'],
  cancelled: ['cancelled'],
  expired: ['expired'],
  refunded: ['refunded'],
};

export async function buildOrderMail(db: Db, orderId: string, kind: OrderMailKind, links: { publicBaseUrl: string }): Promise<OrderMail | null> {
  const docs = await orderDocuments(db, orderId, { publicBaseUrl: links.publicBaseUrl });
  if (!docs || !STATES[kind].includes(docs.details.status)) return null;
  const d = docs.details;
  const t = d.t;
  const wording = kind === 'confirmation' && d.status === 'reserved' ? 'reservation' : kind;
  const subject = t.subject[wording](d.event.title, shortWhen(d), d.number).replace(/[\r\n\t]+/g, ' ');
  const contacts = [d.organizer.supportPhone, d.organizer.supportEmail].filter((c): c is string => !!c);
  const withTickets = kind === 'confirmation';
  const attachments: MailAttachment[] = withTickets
    ? [
        ...(docs.pdf ? [{ filename: `tickets-${d.number}.pdf`, content: docs.pdf, contentType: 'application/pdf' }] : []),
        { filename: 'event.ics', content: docs.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
        ...docs.qr.map((q, i) => ({ filename: `ticket-${i + 1}.png`, content: q.png, contentType: 'image/png', cid: `qr-${i + 1}@encore` })),
      ]
    : [];

  const text = [
    t.greeting(d.buyer.name),
    '',
    t.intro[wording],
    '',
    d.event.title,
    d.when,
    d.event.venue,
    `${t.order}: ${d.number}`,
    ...(withTickets
      ? ['', ...d.tickets.map((ticket, i) => `${t.ticket} ${i + 1}: ${ticket.type} — ${ticket.price} (${ticket.qr})`), `${t.total}: ${d.total}`]
      : []),
    ...(withTickets && d.status === 'reserved' ? ['', t.note.reserved(d.until)] : []),
    ...(withTickets ? ['', t.whatToBring, t.attached] : []),
    '',
    `${t.orderPage}: ${docs.pageUrl}`,
    '',
    ...(withTickets ? [t.refund] : []),
    ...(contacts.length ? [`${t.boxOffice}: ${contacts.join(' · ')}`] : []),
    '',
    '—',
    d.organizer.name,
    '',
  ].join('\n');

  const html = orderMailHtml({
    details: d,
    subject,
    intro: t.intro[wording],
    pageUrl: docs.pageUrl,
    tickets: withTickets ? d.tickets.map((ticket, i) => ({ ...ticket, cid: `qr-${i + 1}@encore` })) : [],
    reservedNote: withTickets && d.status === 'reserved' ? t.note.reserved(d.until) : null,
    contacts,
    showRefund: withTickets,
  });
  return { to: d.buyer.email, subject, html, text, attachments, sender: { name: d.organizer.name, replyTo: d.organizer.supportEmail } };
}
