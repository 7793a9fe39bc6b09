// The organizer console in Chromium, in Russian: a form's bad fields all marked at once in the
// console's language; time zone and currency picked from searchable lists; deleting and
// archiving; the stats' definitions and their table at 1280 px.
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { browserWorld, signIn } from '../support/browser.ts';

const world = browserWorld();
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ page, errors } = await world.open());
  await signIn(page, world.site);
  await page.getByTestId('event-list').waitFor();
});

/** The error text tied to an input by aria-describedby, and whether the input says it is invalid. */
async function fieldState(testId: string) {
  const input = page.getByTestId(testId);
  const described = (await input.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    described
      .split(' ')
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return { invalid: await input.getAttribute('aria-invalid'), texts };
}

test('two bad fields of a Russian form: both marked at once, each in Russian under its field, focus on the first', async () => {
  const form = page.getByTestId('new-event');
  await form.getByTestId('event-title').fill('   ');
  await form.getByTestId('event-slug').fill('Bad Slug');
  await form.getByTestId('event-create').click();
  await form.locator('.field-error').nth(1).waitFor();

  expect(await fieldState('event-title')).toEqual({ invalid: 'true', texts: [ru.errors.fields.title] });
  expect(await fieldState('event-slug')).toEqual({ invalid: 'true', texts: [ru.events.slugHint, ru.errors.fields.slug] });
  expect(await form.locator('.field-error').count()).toBe(2);
  expect(await form.getByRole('alert').textContent()).toBe(ru.errors.fixFields(2));
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('event-title');
  // Nothing of the server's English wording shows.
  expect(await form.textContent()).not.toMatch(/Use lower-case|Too small|String must/i);

  // Fixed fields lose their marks; the one still wrong keeps its own.
  await form.getByTestId('event-title').fill('Чайка');
  await form.getByTestId('event-create').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="new-event"] .field-error').length === 1);
  expect((await fieldState('event-title')).invalid).toBeNull();
  expect(await fieldState('event-slug')).toEqual({ invalid: 'true', texts: [ru.events.slugHint, ru.errors.fields.slug] });
  expect(await form.getByRole('alert').textContent()).toBe(ru.errors.fixFields(1));
  expect(errors).toEqual([]);
});

test('time zone and currency are picked from searchable lists, by keyboard, with names in Russian', async () => {
  const form = page.getByTestId('new-event');
  await form.getByTestId('event-title').fill('Дядя Ваня');
  await form.getByTestId('event-slug').fill('uncle-vanya');

  const tz = form.getByTestId('event-tz');
  expect(await tz.getAttribute('role')).toBe('combobox');
  await tz.fill('');
  await tz.pressSequentially('Екатерин');
  const zones = page.locator(`[id="${await tz.getAttribute('aria-controls')}"]`);
  expect(await zones.getAttribute('role')).toBe('listbox');
  expect(await tz.getAttribute('aria-expanded')).toBe('true');
  expect(await zones.getByRole('option').allTextContents()).toEqual([expect.stringMatching(/^Asia\/YekaterinburgЕкатеринбург.* · GMT\+5$/)]);
  await tz.press('ArrowDown');
  expect(await tz.getAttribute('aria-activedescendant')).toBe(await zones.getByRole('option').first().getAttribute('id'));
  await tz.press('Enter');
  expect(await tz.inputValue()).toBe('Asia/Yekaterinburg');
  expect(await tz.getAttribute('aria-expanded')).toBe('false');
  expect((await fieldState('event-tz')).texts).toEqual([expect.stringMatching(/^Екатеринбург.* · GMT\+5$/)]);

  // Found by its Russian name; Escape closes the list and keeps what was typed.
  const currency = form.getByTestId('event-currency');
  await currency.fill('');
  await currency.pressSequentially('евро');
  const currencies = page.locator(`[id="${await currency.getAttribute('aria-controls')}"]`);
  expect(await currencies.getByRole('option').allTextContents()).toEqual(['EURевро']);
  await currency.press('Escape');
  expect(await currency.getAttribute('aria-expanded')).toBe('false');
  // ArrowDown opens the whole list at the current value; a click picks too.
  await currency.fill('USD');
  await currency.press('Escape');
  await currency.press('ArrowDown');
  const active = await currency.getAttribute('aria-activedescendant');
  expect(await page.locator(`[id="${active}"]`).textContent()).toBe('USDдоллар США');
  expect(await currencies.getByRole('option').count()).toBeGreaterThan(50);
  await currency.press('Escape');
  await currency.fill('евр');
  await currencies.getByRole('option', { name: /EUR/ }).click();
  expect(await currency.inputValue()).toBe('EUR');

  await form.getByTestId('event-create').click();
  await page.getByTestId('performances').waitFor();
  const event = await world.site.db.selectFrom('events').selectAll().where('slug', '=', 'uncle-vanya').executeTakeFirstOrThrow();
  expect(event).toMatchObject({ time_zone: 'Asia/Yekaterinburg', currency: 'EUR' });
  expect(errors).toEqual([]);
});

test('delete what never sold, archive what did: gone from the widget and the lists, restorable', async () => {
  const demoOrigin = world.site.demoOrigins[0]!;
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${world.site.apiBase}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: demoOrigin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });

  // On the new event (the last test left its page open): a performance and a ticket type nobody bought.
  const detail = page.getByTestId('performances');
  const startsAt = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  await detail.getByTestId('perf-add').getByTestId('perf-starts').fill(`${startsAt}T19:00`);
  await page.getByTestId('perf-add-submit').click();
  await page.getByTestId('perf-row').waitFor();
  await page.getByTestId('tt-add').getByTestId('tt-name').fill('Партер');
  await page.getByTestId('tt-add').getByTestId('tt-price').fill('1000');
  await page.getByTestId('tt-add').getByTestId('tt-capacity').fill('20');
  await page.getByTestId('tt-add-submit').click();
  await page.getByTestId('tt-row').waitFor();
  expect((await api('GET', '/api/v1/events/uncle-vanya')).body.performances).toHaveLength(1);

  await page.getByTestId('tt-row').getByTestId('tt-delete').click();
  await page.getByTestId('tt-row').waitFor({ state: 'detached' });
  expect(dialogs.at(-1)).toBe(ru.event.confirmDeleteTicketType('Партер'));
  await page.getByTestId('perf-row').getByTestId('perf-delete').click();
  await page.getByTestId('perf-row').waitFor({ state: 'detached' });
  expect((await api('GET', '/api/v1/events/uncle-vanya')).body.performances).toEqual([]);

  // The event: archived, it leaves the widget and the list; restored, it is back.
  await page.getByTestId('event-archive').click();
  await page.getByTestId('event-archived').waitFor();
  expect((await api('GET', '/api/v1/events/uncle-vanya')).status).toBe(404);
  await page.getByTestId('nav-events').click();
  await page.getByTestId('event-list').waitFor();
  expect(await page.getByTestId('event-list').textContent()).not.toContain('Дядя Ваня');
  await page.getByTestId('events-show-archived').click();
  await page.getByTestId('archived-event-list').getByRole('link', { name: 'Дядя Ваня' }).click();
  await page.getByTestId('event-restore').click();
  await page.getByTestId('event-archived').waitFor({ state: 'detached' });
  expect((await api('GET', '/api/v1/events/uncle-vanya')).status).toBe(200);

  // A performance with a sale can only be archived; it then hides behind "show archived".
  const boot = (await api('GET', '/api/v1/events/hamlet')).body;
  const sold = boot.performances[0];
  const cart = (await api('POST', '/api/v1/carts', { performanceId: sold.id, items: [{ ticketTypeId: sold.ticketTypes[0].id, quantity: 1 }] })).body;
  await api('PATCH', `/api/v1/carts/${cart.id}`, { buyer: { email: 'buyer@example.com', name: 'Зритель' } }, cart.token);
  expect((await api('POST', `/api/v1/carts/${cart.id}/checkout`, {}, cart.token)).status).toBe(201);
  await page.getByTestId('nav-events').click();
  await page.getByTestId('event-list').getByRole('link', { name: 'Гамлет' }).click();
  const row = page.locator(`[data-testid="perf-row"][data-id="${sold.id}"]`);
  await row.waitFor();
  expect(await row.getByTestId('perf-delete').count()).toBe(0);
  expect(await page.getByTestId('event-delete').count()).toBe(0);
  await row.getByTestId('perf-archive').click();
  await row.waitFor({ state: 'detached' });
  expect((await api('GET', '/api/v1/events/hamlet')).body.performances.map((p: { id: string }) => p.id)).not.toContain(sold.id);
  await page.getByTestId('perf-show-archived').click();
  expect(await row.getByText(ru.event.archived).count()).toBe(1);
  await row.getByTestId('perf-restore').click();
  await page.getByTestId('perf-show-archived').waitFor({ state: 'detached' });
  expect((await api('GET', '/api/v1/events/hamlet')).body.performances.map((p: { id: string }) => p.id)).toContain(sold.id);
  expect(errors).toEqual([]);
});

test('stats at 1280 px: each figure defined on hover and on keyboard focus; the table scrolls in its own named region, never the page', async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId('nav-stats').click();
  await page.getByTestId('stats-table').waitFor();
  const definitionOf = async (term: ReturnType<Page['locator']>) => {
    const id = await term.getAttribute('aria-describedby');
    return page.locator(`[id="${id}"]`);
  };

  // Every figure's name, in the funnel, the key figures and the table's head, is described.
  const funnel = page.getByTestId('funnel').locator('.term-name');
  const names = [...(await funnel.allTextContents()), ...(await page.getByTestId('stats-table').locator('thead .term-name').allTextContents())];
  const byName = new Map(Object.entries(ru.stats.definitions).map(([k, text]) => [ru.stats[k as keyof typeof ru.stats.definitions], text]));
  expect(names.length).toBe(8 + 4 + 8);
  for (const term of await page.locator('.term-name').all()) {
    const label = (await term.textContent())!;
    expect(await (await definitionOf(term)).textContent(), label).toBe(byName.get(label));
  }

  // Keyboard: Tab reaches the recovery rate's name and shows how it is computed; Escape hides it.
  const rate = page.getByTestId('funnel').locator('.kpis .term-name').first();
  expect(await rate.textContent()).toBe(ru.stats.recoveryRate);
  const rateTip = await definitionOf(rate);
  await page.getByTestId('stats-show').focus();
  for (let i = 0; i < 30 && !(await rate.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  expect(await rate.evaluate((el) => el === document.activeElement)).toBe(true);
  await rateTip.waitFor({ state: 'visible' });
  expect(await rateTip.textContent()).toBe(ru.stats.definitions.recoveryRate);
  const box = (await rateTip.boundingBox())!;
  expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 900).toBe(true);
  await page.keyboard.press('Escape');
  await rateTip.waitFor({ state: 'hidden' });

  // Pointer: hovering a column's name shows its definition, over the table's edge too.
  const header = page.getByTestId('stats-table').locator('thead .term-name').first();
  await header.hover();
  const headerTip = await definitionOf(header);
  await headerTip.waitFor({ state: 'visible' });
  expect(await headerTip.textContent()).toBe(ru.stats.definitions.cartsStarted);
  const hit = await headerTip.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return el.contains(document.elementFromPoint(r.left + r.width / 2, r.bottom - 12));
  });
  expect(hit).toBe(true);
  await page.mouse.move(0, 0);
  await headerTip.waitFor({ state: 'hidden' });

  // The table fits 1280 px; its region is named and focusable, and the page never scrolls sideways.
  const region = page.getByRole('region', { name: ru.stats.tableRegion });
  expect(await region.getAttribute('tabindex')).toBe('0');
  const widths = () =>
    page.evaluate(() => {
      const scroller = document.querySelector('[data-testid="stats-table-region"]')!;
      return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, table: scroller.scrollWidth - scroller.clientWidth };
    });
  expect(await widths()).toEqual({ page: 0, table: 0 });

  // Narrower, the table scrolls inside its region, by keyboard.
  await page.setViewportSize({ width: 900, height: 900 });
  // The daily chart follows its box's new width a frame or two later (ResizeObserver).
  await expect.poll(async () => (await widths()).page).toBe(0);
  expect((await widths()).table).toBeGreaterThan(0);
  await region.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="stats-table-region"]')!.scrollLeft > 0);
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(errors).toEqual([]);
});
