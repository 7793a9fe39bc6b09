// The door on a phone (375 px, Russian): pick the performance, type a paid ticket's code → valid,
// the same again → already used, a cancelled order's ticket → not valid; the answers are words
// in a live region, axe finds nothing, nothing scrolls sideways. Then the network drops: the page
// says it is offline, answers a ticket from the preloaded list and queues the scan; back online,
// the queued scan reaches the server (a check-in row with the scan's time and this device), and
// the event's page shows the performance's count with a link to its door.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import QRCode from 'qrcode';
import { expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { instanceSecret } from '../../server/platform/db/secrets.ts';
import { createApiKey } from '../../server/console/accounts.ts';
import { DEMO_ORGANIZER_EMAIL } from '../../server/demo/seed.ts';
import { ticketQrPayload } from '../../server/tickets/ticket-code.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, CHROMIUM_ARGS, settled, signIn, until, watchPageErrors } from '../support/browser.ts';

const world = browserWorld();

/** Box-office orders for the demo's first performance, as the organizer's script makes them; each paid unless cancelled. */
async function tickets() {
  const organizer = await world.site.db.selectFrom('organizers').select('id').executeTakeFirstOrThrow();
  const { key } = await createApiKey(world.site.db, organizer.id, 'door test', new Date());
  const show = await world.site.db
    .selectFrom('performances')
    .innerJoin('events', 'events.id', 'performances.event_id')
    .innerJoin('ticket_types', 'ticket_types.event_id', 'events.id')
    .select(['performances.id as performanceId', 'ticket_types.id as ticketTypeId', 'events.id as eventId', 'events.title'])
    .where('events.organizer_id', '=', organizer.id)
    .where('ticket_types.price', '>', 0)
    .orderBy('events.created_at')
    .orderBy('performances.starts_at')
    .executeTakeFirstOrThrow();
  const call = async (method: string, path: string, body: unknown, auth = key) => {
    const res = await fetch(`${world.site.apiBase}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const secret = await instanceSecret(world.site.db, 'tickets');
  const order = async (name: string, then: 'mark-paid' | 'cancel') => {
    const cart = await call('POST', '/api/v1/carts', { performanceId: show.performanceId, items: [{ ticketTypeId: show.ticketTypeId, quantity: 1 }] });
    await call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email: `${name.toLowerCase()}@example.com`, name } }, cart.token);
    const done = await call('POST', `/api/v1/carts/${cart.id}/checkout`, {}, cart.token);
    await call('POST', `/api/console/v1/orders/${done.order.id}/${then}`, {});
    return { code: done.order.tickets[0].code as string, payload: ticketQrPayload(secret, done.order.tickets[0].code) };
  };
  return {
    show,
    anna: await order('Anna', 'mark-paid'),
    boris: await order('Boris', 'cancel'),
    vera: await order('Vera', 'mark-paid'),
    dina: await order('Dina', 'mark-paid'),
    /** Another door checks a ticket in. */
    elsewhere: (payload: string) => call('POST', '/api/console/v1/check-in', { payload, performanceId: show.performanceId, deviceId: 'door-2' }),
    gleb: () => order('Gleb', 'mark-paid'),
  };
}

test('the door on a phone: valid, already used, not valid; offline from the list, synced when back', async () => {
  const { show, anna, boris, vera, dina, elsewhere } = await tickets();
  const context = await world.browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'ru-RU', hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signIn(page, world.site, { path: '/console/check-in' });

  await page.getByTestId('checkin-event').selectOption(show.eventId);
  await page.getByTestId('checkin-performance').selectOption(show.performanceId);
  await page.getByTestId('checkin-open').click();
  await page
    .getByTestId('checkin-tally')
    .filter({ hasText: ru.checkIn.tally('0', '3') })
    .waitFor();

  const answer = page.getByTestId('checkin-answer');
  expect(await answer.getAttribute('aria-live')).toBe('assertive');
  const enter = async (payload: string, result: string) => {
    await page.getByTestId('checkin-code').fill(payload);
    await page.getByTestId('checkin-submit').click();
    await page.locator(`[data-testid="checkin-answer"][data-result="${result}"]`).waitFor();
  };
  await enter(anna.payload, 'valid');
  expect(await answer.textContent()).toContain(ru.checkIn.results.valid);
  expect(await answer.textContent()).toContain('Anna');
  await page
    .getByTestId('checkin-tally')
    .filter({ hasText: ru.checkIn.tally('1', '3') })
    .waitFor();
  await settled(page);
  await page.screenshot({ path: 'test-results/screens/check-in-valid.png', fullPage: true });
  expect(await axeViolations(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  await enter(anna.payload, 'already_used');
  expect(await answer.textContent()).toContain(ru.checkIn.results.already_used);
  expect(await answer.textContent()).toContain(DEMO_ORGANIZER_EMAIL);
  await enter(boris.payload, 'not_valid');
  expect(await answer.textContent()).toContain(ru.checkIn.reasons.cancelled);
  await settled(page);
  await page.screenshot({ path: 'test-results/screens/check-in-not-valid.png', fullPage: true });
  expect(await axeViolations(page)).toEqual([]);

  // Another door lets Dina in; this page's list, loaded before, does not know yet.
  expect((await elsewhere(dina.payload)).result).toBe('valid');

  // The network drops: Vera's ticket is answered from the preloaded list and queued, and so is
  // Dina's, whom the stale list still shows as not used.
  await context.setOffline(true);
  await page.locator('[data-testid="checkin-connection"][data-offline="yes"]').waitFor();
  await enter(vera.payload.toLowerCase(), 'valid');
  expect(await answer.textContent()).toContain(ru.checkIn.answeredOffline);
  await page
    .getByTestId('checkin-connection')
    .filter({ hasText: ru.checkIn.offline(1) })
    .waitFor();
  await enter(vera.payload, 'already_used');
  await enter(dina.payload, 'valid');
  await page
    .getByTestId('checkin-connection')
    .filter({ hasText: ru.checkIn.offline(2) })
    .waitFor();
  await enter(`ENC1.${vera.code}.AAAAAAAAAAAA`, 'unknown');
  await settled(page);
  await page.screenshot({ path: 'test-results/screens/check-in-offline.png', fullPage: true });
  expect(await axeViolations(page)).toEqual([]);
  const before = await world.site.db.selectFrom('checkins').selectAll().execute();
  expect(before).toHaveLength(2);

  await context.setOffline(false);
  await page.getByTestId('checkin-connection').filter({ hasText: ru.checkIn.online }).waitFor();
  const synced = await until(async () => {
    const rows = await world.site.db
      .selectFrom('checkins')
      .innerJoin('tickets', 'tickets.id', 'checkins.ticket_id')
      .select(['tickets.code', 'checkins.device_id'])
      .execute();
    return rows.length === 3 && rows;
  }, 'the queued scans to sync');
  expect(synced.find((r) => r.code === vera.code)?.device_id).toMatch(/^dev-/);
  // Dina had been let in at the other door first: that record stays, and this door is told.
  expect(synced.find((r) => r.code === dina.code)?.device_id).toBe('door-2');
  const conflicts = page.getByTestId('checkin-conflicts');
  await conflicts.filter({ hasText: ru.checkIn.conflicts(1) }).waitFor();
  expect(await conflicts.textContent()).toContain('Dina');
  expect(await conflicts.textContent()).toContain('door-2');
  await page
    .getByTestId('checkin-tally')
    .filter({ hasText: ru.checkIn.tally('3', '3') })
    .waitFor();
  await settled(page);
  await page.screenshot({ path: 'test-results/screens/check-in-synced.png', fullPage: true });
  expect(await axeViolations(page)).toEqual([]);

  // The event's page counts the door too, per performance, with a way to it.
  await page.goto(`${world.site.apiBase}/console/events/${show.eventId}`);
  const row = page.locator(`[data-testid="perf-row"][data-id="${show.performanceId}"]`);
  await row
    .getByTestId('perf-attendance')
    .filter({ hasText: ru.checkIn.checkedIn('3', '3') })
    .waitFor();
  await row.getByTestId('perf-attendance').getByRole('link').click();
  await page
    .getByTestId('checkin-tally')
    .filter({ hasText: ru.checkIn.tally('3', '3') })
    .waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

/** A camera that films one QR code: a Y4M clip (grey, 640×480) for Chromium's fake capture device. */
function cameraFilming(text: string): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const [w, h, scale, quiet] = [640, 480, 8, 4];
  const side = (qr.size + 2 * quiet) * scale;
  const [left, top] = [(w - side) / 2, (h - side) / 2];
  const y = Buffer.alloc(w * h, 255);
  for (let row = 0; row < qr.size; row++)
    for (let col = 0; col < qr.size; col++) {
      if (!qr.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy++)
        y.fill(
          0,
          (top + (row + quiet) * scale + dy) * w + left + (col + quiet) * scale,
          (top + (row + quiet) * scale + dy) * w + left + (col + quiet + 1) * scale,
        );
    }
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const path = join(mkdtempSync(join(tmpdir(), 'encore-camera-')), 'qr.y4m');
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F5:1 Ip A1:1 C420jpeg\n`), frame, frame, frame, frame, frame]));
  return path;
}

test('the camera reads a ticket; the QR decoder is fetched only when the camera starts without a BarcodeDetector', async () => {
  const gleb = await (await tickets()).gleb();
  const camera = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${cameraFilming(gleb.payload)}`,
    ],
  });
  try {
    const context = await camera.newContext({ viewport: { width: 375, height: 812 }, locale: 'en-GB', permissions: ['camera'] });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(r.url()));
    const show = await world.site.db.selectFrom('tickets').select('performance_id').where('code', '=', gleb.code).executeTakeFirstOrThrow();
    await signIn(page, world.site, { path: `/console/check-in/${show.performance_id}` });
    await page.getByTestId('checkin-tally').waitFor();
    expect(fetched.filter((u) => /jsQR/i.test(u))).toEqual([]);

    await page.getByTestId('checkin-camera').click();
    await page.locator('[data-testid="checkin-answer"][data-result="valid"]').waitFor();
    expect(await page.getByTestId('checkin-answer').textContent()).toContain('Gleb');
    const native = await page.evaluate(() => 'BarcodeDetector' in window);
    expect(fetched.some((u) => /jsQR/i.test(u))).toBe(!native);
    await page.screenshot({ path: 'test-results/screens/check-in-camera.png', fullPage: true });
    await page.getByTestId('checkin-camera').click();
    expect(errors).toEqual([]);
  } finally {
    await camera.close();
  }
});
