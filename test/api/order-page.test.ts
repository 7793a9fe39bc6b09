// The buyer's order page (/o/{token}) and its documents through the real HTTP surface: the token
// from checkout opens it, only its hash is stored, QR codes in the page and the PDF decode to the
// tickets' signed payloads, the .ics carries the performance, and ended orders show no tickets.
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openDatabase } from '../../server/platform/db/database.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { instanceSecret } from '../../server/platform/db/secrets.ts';
import { openTicketQr, ticketQrPayload } from '../../server/tickets/ticket-code.ts';
import { decodeQrPng, decodeQrsInPdf, pdfFontNames } from '../support/qr-decode.ts';
import { bearer, world } from '../support/world.ts';
import { explain, readsIndex } from '../support/query-plans.ts';

async function reserved(o: { locale?: 'ru' | 'en'; quantity?: number; title?: string } = {}) {
  const w = await world({ settings: { supportPhone: '+7 495 000-00-00', supportEmail: 'kassa@theatre.example' } });
  if (o.title) await w.db.updateTable('events').set({ title: o.title }).where('id', '=', w.eventId).execute();
  const cart = await w.call('POST', '/api/v1/carts', {
    performanceId: w.performanceId,
    items: [{ ticketTypeId: w.standard, quantity: o.quantity ?? 2 }],
    ...(o.locale ? { locale: o.locale } : {}),
  });
  const auth = bearer(cart.body.token);
  await w.call('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna Petrova' } }, auth);
  const done = await w.call('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, auth);
  expect(done.status).toBe(201);
  const { key } = await createApiKey(w.db, w.organizerId, 'desk', w.clock.now());
  const desk = (path: string) => w.call('POST', `/api/console/v1/orders/${done.body.order.id}${path}`, {}, bearer(key));
  const get = (path: string) => w.app.request(path);
  return { ...w, order: done.body.order, desk, get, cart: { id: cart.body.id as string, auth } };
}

const qrImages = (page: string) => [...page.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64'));

test('checkout links the order page; the token opens it and only its hash is stored', async () => {
  const w = await reserved();
  expect(w.order.page).toMatch(/^\/o\/[\w-]{32}$/);
  const token = w.order.page.slice(3);
  const row = await w.db.selectFrom('orders').select('access_token_hash').where('id', '=', w.order.id).executeTakeFirstOrThrow();
  expect(row.access_token_hash).toBe(createHash('sha256').update(token).digest('hex'));
  expect(JSON.stringify(await w.db.selectFrom('orders').selectAll().execute())).not.toContain(token);

  const res = await w.get(w.order.page);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  const csp = res.headers.get('content-security-policy')!;
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  const page = await res.text();
  expect(page).not.toContain('<script');
  // The one style is the one the policy's hash allows.
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
  expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  expect(page).toContain('Hamlet');
  expect(page).toContain('Main stage');
  expect(page).toContain(w.order.number);
  expect(page).toContain('<a href="tel:+74950000000">+7 495 000-00-00</a>');
  expect(page).toContain('<a href="mailto:kassa@theatre.example">kassa@theatre.example</a>');

  // The page finds its order through the token's index, never by reading the orders.
  const plan = await explain(w, w.db.selectFrom('orders').select('id').where('access_token_hash', '=', 'x').compile());
  expect(plan.join('\n')).toMatch(readsIndex('orders', 'orders_access_token'));

  // The order view the widget reads after a payment links the same page.
  const view = await w.call('GET', `/api/v1/carts/${w.cart.id}/order`, undefined, w.cart.auth);
  expect(view.body.page).toBe(w.order.page);
});

test('a wrong token is a 404 page, for the page and for its documents', async () => {
  const w = await reserved();
  const token = w.order.page.slice(3);
  const other = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  for (const path of [
    `/o/${other}`,
    `/o/${other}/tickets.pdf`,
    `/o/${other}/event.ics`,
    '/o/short',
    `/o/${token}x`,
    `/o/${'a'.repeat(5000)}`,
    '/o/%E0%A4%A',
    '/o/..%2F..%2Fetc',
  ]) {
    const res = await w.get(path);
    expect(res.status, path).toBe(404);
    expect(await res.text()).not.toContain(w.order.number);
  }
});

test('a reservation shows its tickets with QR codes that decode to their signed payloads, and says to pay at the box office', async () => {
  const w = await reserved({ quantity: 2 });
  const page = await (await w.get(w.order.page)).text();
  const secret = await instanceSecret(w.db, 'tickets');
  const codes = (w.order.tickets as { code: string }[]).map((t) => t.code);
  const decoded = qrImages(page).map(decodeQrPng);
  expect([...decoded].sort()).toEqual(codes.map((code) => ticketQrPayload(secret, code)).sort());
  expect(decoded.map((p) => openTicketQr(secret, p!)).sort()).toEqual([...codes].sort());
  expect(page).toContain('Билеты забронированы, но ещё не оплачены');
  expect(page).toContain('<html lang="ru"');

  // Paid at the desk: the same tickets, now without the reservation note.
  expect((await w.desk('/mark-paid')).status).toBe(200);
  const paid = await (await w.get(w.order.page)).text();
  expect(paid).toContain('Ваши билеты');
  expect(paid).not.toContain('не оплачены');
  expect(qrImages(paid)).toHaveLength(2);
});

test('ru/en: the order language by default, ?lang switches; organizer text is escaped', async () => {
  const w = await reserved({ locale: 'en', title: '<script>alert(1)</script> & "Hamlet"' });
  const page = await (await w.get(w.order.page)).text();
  expect(page).toContain('<html lang="en"');
  expect(page).toContain('Your reservation');
  expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Hamlet&quot;');
  expect(page).not.toContain('<script>alert');
  expect(page).toContain(`href="${w.order.page}?lang=ru"`);
  const ru = await (await w.get(`${w.order.page}?lang=ru`)).text();
  expect(ru).toContain('<html lang="ru"');
  expect(ru).toContain('Ваша бронь');
  // Its downloads keep the language asked for.
  expect(ru).toContain(`href="${w.order.page}/tickets.pdf?lang=ru"`);
});

test('the PDF has a page per ticket whose QR decodes, in a font with Cyrillic; the .ics is the performance at the venue', async () => {
  const w = await reserved({ quantity: 3 });
  const res = await w.get(`${w.order.page}/tickets.pdf`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="tickets-${w.order.number}.pdf"`);
  const pdf = Buffer.from(await res.arrayBuffer());
  expect((await PDFDocument.load(pdf)).getPageCount()).toBe(3);
  expect(await pdfFontNames(pdf)).toContainEqual(expect.stringMatching(/^\/DejaVuSans-\d+$/));
  const secret = await instanceSecret(w.db, 'tickets');
  const payloads = (w.order.tickets as { code: string }[]).map((t) => ticketQrPayload(secret, t.code));
  expect((await decodeQrsInPdf(pdf)).sort()).toEqual([...payloads].sort());

  const ics = await w.get(`${w.order.page}/event.ics`);
  expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  const text = (await ics.text()).replace(/\r\n[ \t]/g, '');
  expect(text).toContain('BEGIN:VEVENT');
  expect(text).toContain(
    `DTSTART:${w.startsAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '')}`,
  );
  expect(text).toContain('DURATION:PT3H');
  expect(text).toContain('LOCATION:Main stage');
  expect(text).toContain('SUMMARY:Hamlet');
  expect(text).toContain(`URL:http://localhost:3000${w.order.page}`);
});

test('a cancelled order shows its state and no tickets, QR codes or PDF', async () => {
  const w = await reserved();
  expect((await w.desk('/cancel')).status).toBe(200);
  const page = await (await w.get(w.order.page)).text();
  expect(page).toContain('Заказ отменён');
  expect(qrImages(page)).toHaveLength(0);
  for (const t of w.order.tickets as { code: string }[]) expect(page).not.toContain(t.code);
  expect((await w.get(`${w.order.page}/tickets.pdf`)).status).toBe(404);
  const ics = await (await w.get(`${w.order.page}/event.ics`)).text();
  expect(ics).toContain('STATUS:CANCELLED');
});

test('an order made before page tokens gets its hash the first time its page is linked', async () => {
  const w = await reserved();
  await w.db.updateTable('orders').set({ access_token_hash: null }).where('id', '=', w.order.id).execute();
  expect((await w.get(w.order.page)).status).toBe(404);
  const view = await w.call('GET', `/api/v1/carts/${w.cart.id}/order`, undefined, w.cart.auth);
  expect(view.body.page).toBe(w.order.page);
  expect((await w.get(w.order.page)).status).toBe(200);
});

test('viewing the page and its documents writes nothing (GETs that a mail scanner may follow)', async () => {
  const w = await reserved();
  // The first view makes the instance's ticket secret (once per instance, not per view).
  expect((await w.get(w.order.page)).status).toBe(200);
  const statements: string[] = [];
  const db = openDatabase(w.path, { onQuery: (text) => statements.push(text) });
  const app = createApp({ db, now: w.clock.now });
  for (const path of [w.order.page, `${w.order.page}/tickets.pdf`, `${w.order.page}/event.ics`]) expect((await app.request(path)).status).toBe(200);
  expect(statements.length).toBeGreaterThan(0);
  expect(statements.filter((s) => /^\s*(insert|update|delete|replace)\b/i.test(s))).toEqual([]);
  await db.destroy();
});
