// The order emails as a mail client reads them: built by buildOrderMail, composed by nodemailer
// (as the sender will) and parsed back with mailparser.
import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { PDFDocument } from 'pdf-lib';
import { expect, test } from 'vitest';
import { instanceSecret } from '../../server/platform/db/secrets.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { expireUnpaidOrders } from '../../server/payments/lifecycle.ts';
import { senderFields } from '../../server/platform/mail/sender.ts';
import { buildOrderMail, type OrderMail } from '../../server/tickets/confirmation-mail.ts';
import { ticketQrPayload } from '../../server/tickets/ticket-code.ts';
import { decodeQrPng, decodeQrsInPdf } from '../support/qr-decode.ts';
import { bearer, world } from '../support/world.ts';

const BASE = 'https://tickets.example';

async function order(o: { locale?: 'ru' | 'en'; price?: number; name?: string } = {}) {
  const w = await world({
    price: o.price,
    settings: { accentColor: '#1d6b46', supportPhone: '+7 495 000-00-00', supportEmail: 'kassa@theatre.example' },
  });
  if (o.name) await w.db.updateTable('organizers').set({ name: o.name }).where('id', '=', w.organizerId).execute();
  const cart = await w.call('POST', '/api/v1/carts', {
    performanceId: w.performanceId,
    items: [{ ticketTypeId: w.standard, quantity: 2 }],
    ...(o.locale ? { locale: o.locale } : {}),
  });
  const auth = bearer(cart.body.token);
  await w.call('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna <b>Petrova</b>' } }, auth);
  const done = await w.call('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, auth);
  const { key } = await createApiKey(w.db, w.organizerId, 'desk', w.clock.now());
  const desk = (path: string) => w.call('POST', `/api/console/v1/orders/${done.body.order.id}${path}`, {}, bearer(key));
  return { ...w, order: done.body.order, desk };
}

async function parse(mail: OrderMail): Promise<ParsedMail> {
  const raw = await new MailComposer({
    ...senderFields('"Encore" <tickets@encore.example>', mail.sender),
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    attachments: mail.attachments,
  })
    .compile()
    .build();
  return simpleParser(raw, { keepCidLinks: true });
}

test('the confirmation of a paid order: subject, both parts, the PDF, the .ics and inline QR codes that decode', async () => {
  const w = await order({ locale: 'en', name: 'Théâtre "Bolshoi" & Co' });
  expect((await w.desk('/mark-paid')).status).toBe(200);
  const mail = (await buildOrderMail(w.db, w.order.id, 'confirmation', { publicBaseUrl: BASE }))!;
  const parsed = await parse(mail);

  expect(parsed.subject).toMatch(/^Your tickets: Hamlet, \d{1,2} December( at)? \d{2}:\d{2}$/);
  expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('anna@example.com');
  expect(parsed.from?.value[0]).toEqual({ name: 'Théâtre "Bolshoi" & Co', address: 'tickets@encore.example' });
  expect(parsed.replyTo?.text).toBe('kassa@theatre.example');
  // Transactional: nothing to unsubscribe from.
  expect(parsed.headers.has('list-unsubscribe')).toBe(false);
  expect(parsed.html).not.toMatch(/unsubscribe/i);

  const pageUrl = `${BASE}${w.order.page}`;
  for (const part of [parsed.text!, parsed.html as string]) {
    expect(part).toContain(w.order.number);
    expect(part).toContain('Main stage');
    expect(part).toContain(pageUrl);
    expect(part).toContain('Stalls');
    expect(part).toContain('+7 495 000-00-00');
    expect(part).toMatch(/return tickets/);
    expect(part).toMatch(/What to bring/);
  }
  // The buyer's name is text in the HTML, never markup; the accent is the organizer's.
  expect(parsed.html).toContain('Anna &lt;b&gt;Petrova&lt;/b&gt;');
  expect(parsed.html).toContain('#1d6b46');

  const secret = await instanceSecret(w.db, 'tickets');
  const payloads = (w.order.tickets as { code: string }[]).map((t) => ticketQrPayload(secret, t.code)).sort();
  const pdf = parsed.attachments.find((a) => a.contentType === 'application/pdf')!;
  expect(pdf.filename).toBe(`tickets-${w.order.number}.pdf`);
  expect((await PDFDocument.load(pdf.content)).getPageCount()).toBe(2);
  expect((await decodeQrsInPdf(pdf.content)).sort()).toEqual(payloads);
  const ics = parsed.attachments.find((a) => a.contentType === 'text/calendar')!;
  expect(ics.filename).toBe('event.ics');
  expect(ics.content.toString()).toContain('BEGIN:VEVENT');
  expect(ics.content.toString().replace(/\r\n[ \t]/g, '')).toContain(`URL:${pageUrl}`);
  const images = parsed.attachments.filter((a) => a.contentType === 'image/png');
  expect(images).toHaveLength(2);
  for (const image of images) expect(parsed.html).toContain(`cid:${image.cid}`);
  expect(images.map((i) => decodeQrPng(i.content)).sort()).toEqual(payloads);
});

test('a box-office reservation is confirmed in Russian with its tickets and the note to pay at the box office', async () => {
  const w = await order();
  const parsed = await parse((await buildOrderMail(w.db, w.order.id, 'confirmation', { publicBaseUrl: BASE }))!);
  expect(parsed.subject).toMatch(/^Ваша бронь: «Hamlet», \d{1,2} декабря/);
  expect(parsed.text).toContain('оплатите их в кассе до');
  expect(parsed.text).toContain('Касса: +7 495 000-00-00 · kassa@theatre.example');
  expect(parsed.attachments.map((a) => a.contentType).sort()).toEqual(['application/pdf', 'image/png', 'image/png', 'text/calendar']);
});

test('cancelled, expired and refunded notices carry no tickets; a mail whose order has moved on is not built', async () => {
  const w = await order({ locale: 'en' });
  // Still reserved: a cancellation notice would be wrong.
  expect(await buildOrderMail(w.db, w.order.id, 'cancelled', { publicBaseUrl: BASE })).toBeNull();
  expect((await w.desk('/cancel')).status).toBe(200);
  const parsed = await parse((await buildOrderMail(w.db, w.order.id, 'cancelled', { publicBaseUrl: BASE }))!);
  expect(parsed.subject).toBe(`Order ${w.order.number} has been cancelled`);
  expect(parsed.attachments).toHaveLength(0);
  expect(parsed.text).toContain('no longer valid');
  for (const t of w.order.tickets as { code: string }[]) expect(`${parsed.text}${parsed.html}`).not.toContain(t.code);
  // Its tickets are gone, so no confirmation goes out late either.
  expect(await buildOrderMail(w.db, w.order.id, 'confirmation', { publicBaseUrl: BASE })).toBeNull();
  expect(await buildOrderMail(w.db, 'ord_nope', 'confirmation', { publicBaseUrl: BASE })).toBeNull();

  const refunded = await order({ locale: 'en', price: 1000 });
  await refunded.desk('/mark-paid');
  expect(
    (
      await refunded.call(
        'POST',
        `/api/console/v1/orders/${refunded.order.id}/refunds`,
        {},
        bearer((await createApiKey(refunded.db, refunded.organizerId, 'r', refunded.clock.now())).key),
      )
    ).status,
  ).toBe(201);
  const notice = await parse((await buildOrderMail(refunded.db, refunded.order.id, 'refunded', { publicBaseUrl: BASE }))!);
  expect(notice.subject).toBe(`Order ${refunded.order.number} has been refunded`);
  expect(notice.attachments).toHaveLength(0);

  const expired = await order({ locale: 'en' });
  expired.clock.advance(71 * 60);
  await expireUnpaidOrders({ db: expired.db, tx: writeTransactions(expired.db), now: expired.clock.now });
  const late = await parse((await buildOrderMail(expired.db, expired.order.id, 'expired', { publicBaseUrl: BASE }))!);
  expect(late.subject).toBe(`Order ${expired.order.number} has expired`);
  expect(late.text).toContain('not paid in time');
  expect(late.attachments).toHaveLength(0);
});
