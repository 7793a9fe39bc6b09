// A visitor buys inside the embedded widget on the demo theatre site, in Chromium.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { browserWorld, startSite, until, watchPageErrors } from '../support/browser.ts';

const SHOTS = 'test-results/screens';
const world = browserWorld();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
});

// A finished test's pages would keep their widgets (and countdowns) running beside the next test.
const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function openPage(path: string, viewport = { width: 1280, height: 900 }) {
  const context = await world.browser.newContext({ viewport, locale: 'ru-RU' });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}${path}`);
  return { page, errors, context };
}

const cartByEmail = (email: string) => world.site.db.selectFrom('carts').selectAll().where('buyer_email', '=', email).executeTakeFirst();

async function pickTickets(widget: Locator, count: number) {
  await widget.getByTestId('perf-option').first().click();
  const row = widget.getByTestId('tt-row').first();
  for (let i = 0; i < count; i++) await row.getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
}

async function fillBuyer(widget: Locator, email: string) {
  await widget.getByTestId('email').fill(email);
  await until(() => cartByEmail(email), 'the email to reach the cart before checkout');
  await widget.getByTestId('name').fill('Анна Каренина');
  const phone = widget.getByTestId('phone');
  if (await phone.count()) await phone.fill('+7 999 123-45-67');
  await widget.getByTestId('consent').check();
}

async function checkoutAndRead(widget: Locator) {
  await widget.getByTestId('checkout').click();
  const number = widget.getByTestId('order-number');
  await number.waitFor();
  return (await number.textContent())!.trim();
}

test('buy two tickets in the inline widget on a hostile page, and look at it at desktop and phone width', async () => {
  const { page, errors } = await openPage('/repertoire.html');
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().waitFor();
  await page.screenshot({ path: `${SHOTS}/inline-desktop-start.png`, fullPage: false });

  await pickTickets(widget, 2);
  expect(await widget.getByTestId('countdown').textContent()).toMatch(/1[45]:\d\d/);
  await fillBuyer(widget, 'anna@example.com');
  // The tick reaches the cart with the widget's next save, not at once.
  await until(async () => (await cartByEmail('anna@example.com'))?.consent === 1, 'the consent to reach the cart');
  const cart = await cartByEmail('anna@example.com');
  expect(cart).toMatchObject({ status: 'open', consent: 1, locale: 'ru' });
  // What the cart records as agreed to is exactly the text beside the box (it counts the demo's three reminders).
  await until(async () => (await cartByEmail('anna@example.com'))?.consent_text, 'the consent on the cart');
  const shown = (await widget.locator('label.check').textContent())?.trim();
  expect(shown).toMatch(/не больше 3 писем/);
  expect((await cartByEmail('anna@example.com'))!.consent_text).toBe(shown);
  expect(cart!.page_url).toBe(`${world.site.demoBase}/repertoire.html`);
  await widget.screenshot({ path: `${SHOTS}/inline-desktop-details.png` });

  const number = await checkoutAndRead(widget);
  const order = await world.site.db.selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  expect(order).toMatchObject({ buyer_email: 'anna@example.com', total: 500000, status: 'reserved' });
  expect(await widget.getByTestId('ticket-code').count()).toBe(2);
  // The reservation's end (the organizer's limits, payments.reservation) in the venue's time.
  expect(order.expires_at).not.toBeNull();
  expect(await widget.getByTestId('held-until').textContent()).toMatch(/^Билеты забронированы до .*\d\d:\d\d/);
  // When and where, where the tickets went, and the order page with its calendar event.
  const venue = (await world.site.db.selectFrom('events').select('venue').where('id', '=', order.event_id).executeTakeFirstOrThrow()).venue;
  expect(await widget.getByTestId('when').textContent()).toMatch(new RegExp(`\\d\\d:\\d\\d.*, ${venue}$`));
  expect(await widget.getByTestId('sent-to').textContent()).toBe('Билеты отправлены на anna@example.com');
  const orderPage = (await widget.getByTestId('order-page').getAttribute('href'))!;
  expect(orderPage).toMatch(new RegExp(`^${world.site.apiBase}/o/[\\w-]{32}$`));
  expect(await widget.getByTestId('add-to-calendar').getAttribute('href')).toBe(`${orderPage}/event.ics`);
  expect((await fetch(orderPage)).status).toBe(200);
  await widget.screenshot({ path: `${SHOTS}/inline-desktop-done.png` });
  expect(errors).toEqual([]);
});

test('hostile host CSS does not reach the widget, and the widget adds one global only', async () => {
  const { page } = await openPage('/repertoire.html');
  const widget = page.locator('[data-encore-event="seagull"]');
  await widget.getByTestId('perf-option').first().waitFor();
  const styles = await widget
    .getByTestId('perf-option')
    .first()
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, transform: s.textTransform, font: s.fontFamily };
    });
  expect(styles.background).not.toBe('rgb(255, 105, 180)'); // hotpink from hostile.css
  expect(styles.transform).not.toBe('uppercase');
  expect(styles.font).not.toMatch(/Comic Sans|Papyrus/);

  const globals = await page.evaluate(async () => {
    const frame = document.createElement('iframe');
    document.body.appendChild(frame);
    const clean = new Set(Object.getOwnPropertyNames(frame.contentWindow!));
    frame.remove();
    return Object.getOwnPropertyNames(window).filter((k) => !clean.has(k));
  });
  expect(globals.filter((g) => g.toLowerCase().includes('encore'))).toEqual(['Encore']);
});

test('phone width: the flow fits without horizontal scrolling', async () => {
  const { page, errors } = await openPage('/repertoire.html', { width: 375, height: 812 });
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().waitFor();
  await page.screenshot({ path: `${SHOTS}/inline-phone-start.png` });
  await pickTickets(widget, 1);
  await widget.getByTestId('email').fill('phone@example.com');
  await widget.screenshot({ path: `${SHOTS}/inline-phone-details.png` });
  const overflow = await widget.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const number = await (async () => {
    await until(() => cartByEmail('phone@example.com'), 'email saved');
    await widget.getByTestId('name').fill('Phone Buyer');
    await widget.getByTestId('consent').check();
    return checkoutAndRead(widget);
  })();
  expect(number).toMatch(/^E-/);
  await widget.screenshot({ path: `${SHOTS}/inline-phone-done.png` });
  expect(errors).toEqual([]);
});

test('button mode: the button opens a modal, the buyer completes, Escape closes it', async () => {
  const { page, errors } = await openPage('/tickets.html');
  await page.locator('button[data-encore-event="hamlet"]').first().click();
  const modal = page.getByRole('dialog');
  await modal.waitFor();
  await page.screenshot({ path: `${SHOTS}/modal-desktop.png` });
  await pickTickets(modal, 1);
  await fillBuyer(modal, 'modal@example.com');
  const number = await checkoutAndRead(modal);
  expect(await world.site.db.selectFrom('orders').select('id').where('number', '=', number).executeTakeFirst()).toBeTruthy();
  await page.keyboard.press('Escape');
  await modal.waitFor({ state: 'hidden' });
  expect(errors).toEqual([]);
});

test('the JS API opens the modal even when called before the bundle loaded', async () => {
  const { page } = await openPage('/tickets.html');
  await page.evaluate(() => (window as unknown as { Encore: { open: (o: object) => void } }).Encore.open({ event: 'seagull' }));
  const modal = page.getByRole('dialog');
  await modal.getByTestId('perf-option').first().waitFor();
  expect(await modal.textContent()).toContain('Чайка');
});

test('a single-page app that adds the element later gets a widget', async () => {
  const { page } = await openPage('/spa.html');
  await page.locator('[data-encore-event]').getByTestId('perf-option').first().waitFor();
});

test('a reload mid-checkout keeps the cart, the hold and what was typed', async () => {
  const { page, errors } = await openPage('/repertoire.html');
  const widget = page.locator('[data-encore-event="hamlet"]');
  await pickTickets(widget, 3);
  await widget.getByTestId('email').fill('reload@example.com');
  const before = await until(() => cartByEmail('reload@example.com'), 'email saved');

  await page.reload();
  const restored = page.locator('[data-encore-event="hamlet"]');
  await restored.getByTestId('countdown').waitFor();
  expect(await restored.getByTestId('email').inputValue()).toBe('reload@example.com');
  await restored.getByTestId('name').fill('Reloaded Buyer');
  await restored.getByTestId('consent').check();
  const number = await checkoutAndRead(restored);
  const order = await world.site.db.selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  expect(order.cart_id).toBe(before.id);
  expect(await world.site.db.selectFrom('carts').select('id').where('buyer_email', '=', 'reload@example.com').execute()).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('when the API cannot be reached the visitor sees a kind message with the box office contact', async () => {
  const local = await startSite();
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  const page: Page = await context.newPage();
  const errors = watchPageErrors(page);
  try {
    await page.goto(`${local.demoBase}/repertoire.html`);
    const widget = page.locator('[data-encore-event="hamlet"]');
    await widget.getByTestId('perf-option').first().click();
    await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
    await local.stopApi();
    await widget.getByTestId('continue').click();
    const message = widget.getByTestId('error-message');
    await message.waitFor();
    const text = (await message.textContent()) ?? '';
    expect(text).toContain('+7 495 123-45-67');
    expect(await widget.getByTestId('retry').count()).toBeGreaterThan(0);
    await widget.screenshot({ path: `${SHOTS}/api-down.png` });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    await local.stop();
  }
});

test('widgets far below the fold load when the visitor scrolls near them; widgets of one event share a request', async () => {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  contexts.push(context);
  const page = await context.newPage();
  const asked: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/v1/events/')) asked.push(path.split('/').pop()!);
  });
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  await page.locator('[data-encore-event="hamlet"]').getByTestId('perf-option').first().waitFor();
  // Two more elements for one event, five screens down: nothing asked for them yet.
  await page.evaluate(() => {
    const spacer = document.createElement('div');
    spacer.style.height = '5000px';
    const a = document.createElement('div');
    a.setAttribute('data-encore-event', 'seagull');
    a.id = 'far-a';
    const b = a.cloneNode() as HTMLElement;
    b.id = 'far-b';
    document.querySelector('main')!.append(spacer, a, b);
  });
  await page.waitForTimeout(500);
  const before = asked.filter((slug) => slug === 'seagull').length;
  await page.locator('#far-a').scrollIntoViewIfNeeded();
  await page.locator('#far-a').getByTestId('perf-option').first().waitFor();
  await page.locator('#far-b').getByTestId('perf-option').first().waitFor();
  // Both far widgets drew from one request.
  expect(asked.filter((slug) => slug === 'seagull').length - before).toBe(1);
});
