// The organizer console in Chromium against the real servers: sign in as the demo organizer,
// set up an event, change the widget and see it in the live preview and then on the demo site,
// copy the embed code, preview and test-send a reminder, and read the stats of a scripted
// buy/abandon/recover sequence against the database. Screenshots of every page at 1280 and 375 px.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CartView, EventBootstrap, ResumeResponse } from '../../server/contracts/widget.ts';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { startMailCatcher, type MailCatcher } from '../../server/platform/mail/catcher.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { browserWorld, settled, until, watchPageErrors } from '../support/browser.ts';

const SHOTS = 'test-results/screens';
const SECRET = 'console-e2e-secret-0123456789abcdef012345';
const clock = { offsetMinutes: 0, now: () => new Date(Date.now() + clock.offsetMinutes * 60_000) };
let catcher: MailCatcher;
let transport: ReturnType<typeof createMailTransport>;
let jobs: ReturnType<typeof createRecoveryJobs>;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  catcher = await startMailCatcher({ port: 0, host: '127.0.0.1' });
  transport = createMailTransport(`smtp://127.0.0.1:${catcher.port}`);
});
afterAll(async () => {
  transport?.close();
  await catcher?.close();
});

const world = browserWorld(() => ({ now: clock.now, secret: SECRET, mailTransport: transport, mailFrom: '"Encore test" <tickets@localhost>' }));

beforeAll(async () => {
  jobs = createRecoveryJobs({
    db: world.site.db,
    tx: writeTransactions(world.site.db),
    now: clock.now,
    transport,
    from: '"Театр" <tickets@localhost>',
    links: { secret: SECRET, publicBaseUrl: world.site.apiBase, extraOrigins: world.site.demoOrigins },
  });
  ({ context, page, errors } = await world.open());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.site.apiBase });
});

/** Both widths, full page. */
async function shoot(name: string) {
  await page.screenshot({ path: `${SHOTS}/console-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await settled(page); // the stats chart follows its box through a ResizeObserver
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: `${SHOTS}/console-${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(overflow, `${name} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
}

const demoOrganizer = () => world.site.db.selectFrom('organizers').selectAll().where('email', '=', DEMO_ORGANIZER_EMAIL).executeTakeFirstOrThrow();

test('sign in as the demo organizer; create an event with a performance and two ticket types; pause and duplicate', async () => {
  await page.goto(`${world.site.apiBase}/console`);
  await page.getByTestId('signin-email').waitFor();
  await shoot('signin');
  await page.getByTestId('signin-email').fill(DEMO_ORGANIZER_EMAIL);
  await page.getByTestId('signin-password').fill('wrong password');
  await page.getByTestId('signin-submit').click();
  await page.getByRole('alert').first().waitFor();
  await page.getByTestId('signin-password').fill(DEMO_PASSWORD);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('event-list').waitFor();
  expect(await page.getByTestId('organizer-name').textContent()).toBeTruthy();

  // A bad slug is reported next to its field.
  await page.getByTestId('event-title').fill('Вишнёвый сад');
  await page.getByTestId('event-slug').fill('Bad Slug');
  await page.getByTestId('event-tz').fill('Europe/Moscow');
  await page.getByTestId('event-create').click();
  await page.locator('.has-error [data-testid="event-slug"]').waitFor();
  await page.getByTestId('event-slug').fill('cherry-orchard');
  await page.getByTestId('event-venue').fill('Малая сцена');
  await page.getByTestId('event-create').click();
  await page.getByTestId('performances').waitFor();
  await shoot('events-new-detail');

  const startsAt = new Date(clock.now().getTime() + 10 * 86_400_000);
  const local = `${new Date(startsAt.getTime() + 3 * 3_600_000).toISOString().slice(0, 11)}19:00`; // Moscow is UTC+3
  await page.getByTestId('perf-add').getByTestId('perf-starts').fill(local);
  await page.getByTestId('perf-add-submit').click();
  await until(async () => (await page.getByTestId('perf-row').count()) === 1, 'the performance');
  for (const [name, price, capacity] of [
    ['Партер', '2500', '50'],
    ['Балкон', '1200,50', '30'],
  ]) {
    const form = page.getByTestId('tt-add');
    await form.getByTestId('tt-name').fill(name!);
    await form.getByTestId('tt-price').fill(price!.replace(',', '.'));
    await form.getByTestId('tt-capacity').fill(capacity!);
    await page.getByTestId('tt-add-submit').click();
    await until(async () => (await page.getByTestId('tt-row').filter({ hasText: name! }).count()) === 1, `ticket type ${name}`);
  }
  const event = await world.site.db.selectFrom('events').selectAll().where('slug', '=', 'cherry-orchard').executeTakeFirstOrThrow();
  const types = await world.site.db
    .selectFrom('ticket_types')
    .select(['name', 'price', 'capacity'])
    .where('event_id', '=', event.id)
    .orderBy('position')
    .execute();
  expect(types).toEqual([
    { name: 'Партер', price: 250000, capacity: 50 },
    { name: 'Балкон', price: 120050, capacity: 30 },
  ]);
  const [perf] = await world.site.db.selectFrom('performances').selectAll().where('event_id', '=', event.id).execute();
  expect(perf!.starts_at).toBe(`${local.slice(0, 10)}T16:00:00.000Z`);

  await page.getByTestId('perf-pause').click();
  await until(
    async () => (await world.site.db.selectFrom('performances').select('sales_paused').where('id', '=', perf!.id).executeTakeFirst())?.sales_paused === 1,
    'paused',
  );
  await page.getByTestId('perf-duplicate').click();
  const copyAt = `${local.slice(0, 11)}21:30`;
  await page.locator('[data-testid="perf-row"] form [data-testid="perf-starts"]').fill(copyAt);
  await page.locator('[data-testid="perf-row"] form button[type="submit"]').click();
  await until(async () => (await page.getByTestId('perf-row').count()) === 2, 'the duplicate');
  await shoot('event-detail');
  expect(errors).toEqual([]);
});

async function previewFrame(): Promise<Frame> {
  const handle = await page.getByTestId('widget-preview').elementHandle();
  return (await handle!.contentFrame())!;
}

/** The accent the widget drew with, from inside its shadow root. */
const accentOf = (el: Element) =>
  getComputedStyle(el.querySelector('[data-encore-host]')!.shadowRoot!.querySelector('.encore')!).getPropertyValue('--accent').trim();

test('widget settings: changes show in the live preview before saving, and on the demo site after', async () => {
  await page.getByTestId('nav-widget').click();
  await page.getByTestId('widget-preview').waitFor();
  await page.getByTestId('preview-event').selectOption('hamlet');
  await page.getByTestId('accent-hex').fill('#0a7d5a');
  await page.getByTestId('button-open-ru').fill('Взять билеты');
  await page.getByTestId('button-checkout-ru').fill('Оформить сейчас');

  // Each draft change reloads the preview (after a 400 ms pause in typing, so on a slow machine
  // once per field): a look that meets a reload looks again.
  const accent = await until(
    async () => {
      const frame = await previewFrame();
      const inline = frame.locator('[data-testid="preview-inline"]');
      if (!(await inline.locator('[data-testid="perf-option"]').count())) return null;
      const value = await inline.evaluate(accentOf);
      return value === '#0a7d5a' ? value : null;
    },
    'the preview to draw the new accent',
    { retryOn: /Execution context was destroyed/ },
  );
  expect(accent).toBe('#0a7d5a');
  const frame = await previewFrame();
  await until(async () => (await frame.getByTestId('preview-button').textContent()) === 'Взять билеты', 'the preview button label');
  // Nothing saved yet: visitors still see the old settings.
  expect(JSON.parse((await demoOrganizer()).settings).accentColor ?? '#8b1e3f').not.toBe('#0a7d5a');
  await shoot('widget');

  await page.getByTestId('widget-save').click();
  await until(async () => JSON.parse((await demoOrganizer()).settings).accentColor === '#0a7d5a', 'the settings to be saved');

  const demo = await context.newPage();
  const demoErrors = watchPageErrors(demo);
  await demo.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = demo.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().click();
  expect(await widget.evaluate(accentOf)).toBe('#0a7d5a');
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  expect((await widget.getByTestId('checkout').textContent())?.trim()).toBe('Оформить сейчас');
  expect(demoErrors).toEqual([]);
  await demo.close();
});

test('sites and embed code: the copy button puts the exact snippet on the clipboard', async () => {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('snippet-code').waitFor();
  await page.getByTestId('snippet-event').selectOption('hamlet');
  await page.getByTestId('snippet-button').click();
  await until(async () => (await page.getByTestId('snippet-code').textContent())?.includes('data-encore-mode="button"'), 'the button snippet');
  const shown = (await page.getByTestId('snippet-code').textContent())!;
  await page.getByTestId('snippet-copy').click();
  await until(async () => (await page.getByTestId('snippet-copied').textContent())?.trim(), 'the copy confirmation');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(shown);
  expect(copied).toMatch(/<script src="[^"]+\/widget\.js" async><\/script>/);
  // With the box office named, so the modal's message can link it when the event cannot load.
  expect(copied).toMatch(
    /<button data-encore-event="hamlet" data-encore-mode="button" data-encore-support-phone="[^"]+" data-encore-support-email="[^"]+">Взять билеты<\/button>/,
  );
  await shoot('settings');
});

test('recovery: preview a reminder and send a test to any address', async () => {
  await page.getByTestId('nav-recovery').click();
  await page.getByTestId('email-subject').waitFor();
  // No script and no origin for the email; its button opens the theatre's page in a new tab
  // (followed inside the frame, the console's CSP blocked it and left a broken-page icon).
  expect(await page.getByTestId('email-frame').getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
  const frame = page.frameLocator('[data-testid="email-frame"]');
  const [popup] = await Promise.all([page.waitForEvent('popup'), frame.locator('a').first().click()]);
  await popup.close();
  await frame.locator('a').first().waitFor();
  const subject = (await page.getByTestId('email-subject').textContent())!;
  await page.getByTestId('test-to').fill('someone@example.com');
  await page.getByTestId('test-send').click();
  const mail = await until(async () => catcher.list().find((m) => m.to.includes('someone@example.com')), 'the test email');
  expect(mail.subject).toBe(`[Test] ${subject}`);
  await shoot('recovery');
});

test('stats after a scripted buy, abandon and recovery match the database', async () => {
  const origin = world.site.demoOrigins[0]!;
  const call = async <T = unknown>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${world.site.apiBase}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const boot = (await call<EventBootstrap>('GET', '/api/v1/events/hamlet')).body;
  const performanceId = boot.performances[0]!.id;
  const ticketTypeId = boot.performances[0]!.ticketTypes[0]!.id;
  const leave = async (email: string, quantity = 2) => {
    const cart = (await call<CartView>('POST', '/api/v1/carts', { performanceId, items: [{ ticketTypeId, quantity }], pageUrl: `${origin}/repertoire.html` }))
      .body;
    await call('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email, name: 'Зритель' }, consent: true }, cart.token);
    return cart;
  };
  await leave('back@example.com');
  await leave('gone@example.com');
  const direct = await leave('direct@example.com', 1);
  expect((await call('POST', `/api/v1/carts/${direct.id}/checkout`, {}, direct.token)).status).toBe(201);

  clock.offsetMinutes = 6; // the demo organizer abandons after 5 minutes
  await jobs.runOnce();
  clock.offsetMinutes = 12; // and reminds 5 minutes later
  await jobs.runOnce();
  const reminder = await until(
    async () => catcher.list().find((m) => m.to.includes('back@example.com') && m.headers.some((h) => h.name.toLowerCase() === 'list-unsubscribe')),
    'the reminder',
  );
  const token = String(reminder.text).match(/encore_resume=([A-Za-z0-9_.-]+)/)![1]!;
  const resumed = (await call<ResumeResponse>('POST', '/api/v1/resume', { token })).body;
  expect((await call('POST', `/api/v1/carts/${resumed.cart.id}/checkout`, {}, resumed.cart.token)).status).toBe(201);
  // Box-office reservations; the desk takes the money for the recovered one (stats count paid money).
  await world.site.db.updateTable('orders').set({ status: 'paid' }).where('cart_id', '=', resumed.cart.id).execute();

  await page.getByTestId('nav-stats').click();
  await page.getByTestId('funnel').waitFor();
  await page.getByTestId('stats-to').fill(new Date(clock.now().getTime() + 86_400_000).toISOString().slice(0, 10));
  await page.getByTestId('stats-show').click();
  await page.waitForLoadState('networkidle');

  const org = await demoOrganizer();
  const carts = await world.site.db
    .selectFrom('carts')
    .innerJoin('events', 'events.id', 'carts.event_id')
    .select(['carts.abandoned_at', 'carts.email_captured_at'])
    .where('events.organizer_id', '=', org.id)
    .execute();
  const orders = await world.site.db
    .selectFrom('orders')
    .innerJoin('events', 'events.id', 'orders.event_id')
    .select(['orders.recovered_via', 'orders.total', 'orders.status'])
    .where('events.organizer_id', '=', org.id)
    .execute();
  const shown = async (key: string) => Number((await page.getByTestId(`total-${key}`).textContent())!.replace(/\D/g, ''));
  await until(async () => (await shown('recoveredOrders')) === 1, 'the recovered order on screen');
  expect(await shown('cartsStarted')).toBe(carts.length);
  expect(await shown('abandoned')).toBe(carts.filter((c) => c.abandoned_at !== null).length);
  expect(await shown('orders')).toBe(orders.length);
  expect(await shown('recoveredOrders')).toBe(orders.filter((o) => o.recovered_via !== null).length);
  const recovered = orders.filter((o) => o.recovered_via !== null && o.status === 'paid').reduce((s, o) => s + o.total, 0);
  expect(recovered).toBeGreaterThan(0);
  expect(await page.getByTestId('total-recoveredRevenue').textContent()).toBe(
    new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' }).format(recovered / 100),
  );
  const row = page.getByTestId('event-row-hamlet');
  expect(await row.locator('td').nth(3).textContent()).toBe('1');
  expect(await page.getByTestId('stats-csv').getAttribute('href')).toContain('format=csv');
  await page.getByTestId('daily-chart').locator('canvas').waitFor();
  await shoot('stats');
});

test('webhooks, events list and sign out', async () => {
  await page.getByTestId('nav-webhooks').click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await shoot('webhooks');
  await page.getByTestId('nav-events').click();
  await page.getByTestId('event-list').waitFor();
  await shoot('events');
  await page.getByTestId('sign-out').click();
  await page.getByTestId('signin-email').waitFor();
  expect(errors).toEqual([]);
});
