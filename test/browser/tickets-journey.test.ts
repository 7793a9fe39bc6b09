// Issue 10's journey, end to end in Chromium with a real SMTP server: a visitor buys and pays on
// the theatre's page → the confirmation arrives (read with mailparser) with a PDF and an .ics →
// the QR in the email decodes (jsQR) to a payload the door's check-in page accepts once and
// refuses the second time → after a full refund the order's other ticket is refused → the order
// page linked from the email and the done screen shows the tickets (and, refunded, no QR codes).
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { browserWorld, watchPageErrors } from '../support/browser.ts';
import { decodeQrPng, decodeQrsInPdf } from '../support/qr-decode.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';

let smtp: TestSmtp;
let transport: ReturnType<typeof createMailTransport>;

const world = browserWorld({ payments: 'demo' });

beforeAll(async () => {
  smtp = await startTestSmtp();
  transport = createMailTransport(smtp.url);
});

afterAll(async () => {
  transport?.close();
  await smtp?.close();
});

test('buy → confirmation with PDF and .ics → the QR checks in once → refunded, refused → the order page shows the tickets', async () => {
  const jobs = createRecoveryJobs({
    db: world.site.db,
    tx: writeTransactions(world.site.db),
    now: () => new Date(),
    transport,
    from: '"Encore" <tickets@encore.test>',
    links: { secret: 'journey', publicBaseUrl: world.site.apiBase, extraOrigins: world.site.demoOrigins },
    log: () => {},
  });

  // 1. The visitor buys two tickets and pays on the (demo) payment page.
  const buyer = await world.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' });
  const page = await buyer.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.scrollIntoViewIfNeeded();
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('email').fill('zritel@example.com');
  await widget.getByTestId('name').fill('Анна Зрительница');
  const phone = widget.getByTestId('phone');
  if (await phone.count()) await phone.fill('+7 999 123-45-67');
  await widget.getByTestId('checkout').click();
  await page.waitForURL(/\/payments\/demo\//);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(`${world.site.demoBase}/repertoire.html**`);
  await widget.getByTestId('order-number').waitFor();
  const number = (await widget.getByTestId('order-number').textContent())!.trim();
  const pageLink = await widget.getByTestId('order-page').getAttribute('href');
  expect(pageLink).toMatch(/\/o\/[A-Za-z0-9_-]+$/);
  expect(errors).toEqual([]);

  // 2. The confirmation arrives over SMTP with the PDF, the .ics and each ticket's QR.
  await jobs.runOnce();
  await smtp.waitFor(1, 15_000);
  const mail = await simpleParser(smtp.received[0]!.raw);
  expect(smtp.received[0]!.to).toEqual(['zritel@example.com']);
  expect(mail.text).toContain(number);
  const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
  const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
  expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
  expect(ics.content.toString('utf8')).toMatch(/BEGIN:VEVENT[\s\S]*DTSTART/);
  const payloads = mail.attachments
    .filter((a) => a.contentType === 'image/png')
    .map((a) => decodeQrPng(a.content)!)
    .sort();
  expect(payloads).toHaveLength(2);
  expect(payloads.every((p) => /^ENC1\./.test(p))).toBe(true);
  expect((await decodeQrsInPdf(pdf.content)).sort()).toEqual(payloads);
  // The email links the same order page as the done screen, which shows both tickets with their QR.
  expect(mail.text).toContain(pageLink!);
  await page.goto(pageLink!);
  expect(await page.getByTestId('order-number').textContent()).toContain(number);
  expect(await page.getByTestId('ticket').count()).toBe(2);
  expect(await page.locator('img.qr').count()).toBe(2);
  await page.screenshot({ path: 'test-results/screens/journey-order-page.png', fullPage: true });

  // 3. At the door: the first ticket is let in once, the second scan refused.
  const door = await world.browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'ru-RU', isMobile: true, hasTouch: true });
  const scanner = await door.newPage();
  const doorErrors = watchPageErrors(scanner);
  await scanner.goto(`${world.site.apiBase}/console/check-in`);
  await scanner.getByTestId('signin-email').fill(DEMO_ORGANIZER_EMAIL);
  await scanner.getByTestId('signin-password').fill(DEMO_PASSWORD);
  await scanner.getByTestId('signin-submit').click();
  const order = await world.site.db.selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  await scanner.getByTestId('checkin-event').selectOption(order.event_id);
  await scanner.getByTestId('checkin-performance').selectOption(order.performance_id);
  await scanner.getByTestId('checkin-open').click();
  const enter = async (payload: string, result: string) => {
    await scanner.getByTestId('checkin-code').fill(payload);
    await scanner.getByTestId('checkin-submit').click();
    await scanner.locator(`[data-testid="checkin-answer"][data-result="${result}"]`).waitFor();
    return (await scanner.getByTestId('checkin-answer').textContent()) ?? '';
  };
  expect(await enter(payloads[0]!, 'valid')).toContain(ru.checkIn.results.valid);
  expect(await enter(payloads[0]!, 'already_used')).toContain(ru.checkIn.results.already_used);

  // 4. The order is refunded in full: its other ticket no longer gets in.
  const { key } = await createApiKey(world.site.db, order.organizer_id, 'journey', new Date());
  const refund = await fetch(`${world.site.apiBase}/api/console/v1/orders/${order.id}/refunds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: '{}',
  });
  expect(refund.status).toBe(201);
  expect(await enter(payloads[1]!, 'not_valid')).toContain(ru.checkIn.reasons.refunded);
  expect(doorErrors).toEqual([]);

  // 5. The buyer is told, and the order page no longer shows QR codes.
  await jobs.runOnce();
  await smtp.waitFor(2, 15_000);
  const notice = await simpleParser(smtp.received[1]!.raw);
  expect(notice.attachments).toHaveLength(0);
  await page.reload();
  expect(await page.getByTestId('order-number').textContent()).toContain(number);
  expect(await page.locator('img.qr').count()).toBe(0);
  await buyer.close();
  await door.close();
});
