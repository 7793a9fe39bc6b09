// axe-core on every widget step, inline and in the modal: dates and tickets, details (with a
// field error), consent given, done, and the error states (the ticket server unreachable, an
// event that does not exist). With the default accent nothing may be reported. Each widget is a
// region named after its event, and the modal adds no second banner landmark. Light and
// mid-tone accents (#fff59d, #2ecc71) are walked too: any rule but color-contrast fails the test;
// color-contrast findings for them are printed and asserted separately.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { type AxeViolation, axeViolations } from '../support/axe.ts';
import { browserWorld, until, watchPageErrors } from '../support/browser.ts';

// The bootstrap is cached for a second of the server's clock: each accent moves it on.
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
const world = browserWorld(() => ({ now: clock.now }));

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function useSettings(change: Record<string, unknown>) {
  const organizer = await world.site.db.selectFrom('organizers').select(['id', 'settings']).where('slug', '=', 'riverside').executeTakeFirstOrThrow();
  await world.site.db
    .updateTable('organizers')
    .set({ settings: JSON.stringify({ ...JSON.parse(organizer.settings), ...change }) })
    .where('id', '=', organizer.id)
    .execute();
  clock.offsetMs += 5_000;
}

async function openPage(path: string) {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ru-RU' });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${world.site.demoBase}${path}`);
  return { page, errors };
}

/** What axe found in `scope` at each step, by step name. */
type Findings = Record<string, AxeViolation[]>;

const describeAll = (findings: Findings) =>
  Object.entries(findings)
    .flatMap(([step, vs]) => vs.map((v) => `${step}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.join('\n    ')}`))
    .join('\n');

/** Walks one widget (inline element or dialog) through every step, running axe at each. */
async function walk(page: Page, widget: Locator, scope: string, email: string): Promise<Findings> {
  const findings: Findings = {};
  const check = async (step: string) => {
    findings[step] = await axeViolations(page, scope);
  };
  await widget.getByTestId('perf-option').first().waitFor();
  await check('dates');
  await widget.getByTestId('perf-option').first().click();
  await widget.getByTestId('tt-row').first().getByTestId('qty-inc').click();
  await check('tickets');
  await widget.getByTestId('continue').click();
  await widget.getByTestId('countdown').waitFor();
  await check('details');
  // A field error as the visitor meets it: a bad email, then leaving the field.
  await widget.getByTestId('email').fill('not-an-email');
  await widget.getByTestId('name').focus();
  await widget.getByTestId('error-message').first().waitFor();
  await check('details, field error');
  await widget.getByTestId('email').fill(email);
  await widget.getByTestId('name').fill('Анна Каренина');
  const consent = widget.getByTestId('consent');
  if (await consent.count()) await consent.check();
  await until(() => world.site.db.selectFrom('carts').select('id').where('buyer_email', '=', email).executeTakeFirst(), 'the email on the cart');
  await check('consent');
  await widget.getByTestId('checkout').click();
  await widget.getByTestId('order-number').waitFor();
  await check('done');
  return findings;
}

/** The error states: no answer from the ticket server, and an event that does not exist. */
async function errorStates(page: Page): Promise<Findings> {
  await page.route('**/api/v1/events/seagull*', (route) => route.abort());
  await page.evaluate(() => {
    for (const slug of ['seagull', 'no-such-event']) {
      const el = document.createElement('div');
      el.setAttribute('data-encore-event', slug);
      el.id = `error-${slug}`;
      document.querySelector('main')!.append(el);
    }
  });
  await page.locator('#error-seagull').getByTestId('retry').waitFor();
  await page.locator('#error-no-such-event').getByTestId('error-message').waitFor();
  return { unreachable: await axeViolations(page, '#error-seagull'), 'not found': await axeViolations(page, '#error-no-such-event') };
}

let n = 0;
async function inline(): Promise<Findings> {
  const { page, errors } = await openPage('/repertoire.html');
  const findings = await walk(page, page.locator('[data-encore-event="hamlet"]'), '[data-encore-event="hamlet"]', `a11y-${n++}@example.com`);
  Object.assign(findings, await errorStates(page));
  expect(errors).toEqual([]);
  return findings;
}

async function modal(): Promise<Findings> {
  const { page, errors } = await openPage('/tickets.html');
  await page.locator('button[data-encore-event="hamlet"]').first().click();
  const findings = await walk(page, page.getByRole('dialog'), '[data-encore-host="modal"]', `a11y-${n++}@example.com`);
  // The error state in a modal: an event that does not exist, opened from script.
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.evaluate(() => (window as unknown as { Encore: { open: (o: object) => void } }).Encore.open({ event: 'no-such-event' }));
  await page.getByRole('dialog').getByTestId('error-message').waitFor();
  findings['not found'] = await axeViolations(page, '[data-encore-host="modal"]');
  expect(errors).toEqual([]);
  return findings;
}

test('each widget is a region named after its event; the modal has no banner of its own', async () => {
  const { page } = await openPage('/repertoire.html');
  for (const title of ['Гамлет', 'Чайка', 'Открытая репетиция']) {
    await page.getByRole('region', { name: title, exact: true }).getByTestId('perf-option').first().waitFor();
  }
  const tickets = await openPage('/tickets.html');
  await tickets.page.locator('button[data-encore-event="hamlet"]').first().click();
  const dialog = tickets.page.getByRole('dialog', { name: 'Гамлет' });
  await dialog.getByRole('region', { name: 'Гамлет', exact: true }).getByTestId('perf-option').first().waitFor();
  expect(await dialog.getByRole('banner').count()).toBe(0);
});

describe('default accent: no violations at all', () => {
  test('inline: every step and the error states', async () => {
    const findings = await inline();
    expect(describeAll(findings)).toBe('');
  });

  test('modal: every step and an error state', async () => {
    const findings = await modal();
    expect(describeAll(findings)).toBe('');
  });

  test('notice consent (a line under the email field instead of a box)', async () => {
    await useSettings({ consentMode: 'notice' });
    try {
      const { page } = await openPage('/repertoire.html');
      const findings = await walk(page, page.locator('[data-encore-event="hamlet"]'), '[data-encore-event="hamlet"]', `a11y-${n++}@example.com`);
      expect(describeAll(findings)).toBe('');
    } finally {
      await useSettings({ consentMode: 'opt-in' });
    }
  });
});

describe.each(['#fff59d', '#2ecc71'])('accent %s', (accent) => {
  test('inline and modal: nothing but colour contrast, which is reported separately', async () => {
    await useSettings({ accentColor: accent });
    try {
      const all: Findings = {};
      for (const [where, findings] of Object.entries({ inline: await inline(), modal: await modal() })) {
        for (const [step, vs] of Object.entries(findings)) all[`${where} ${step}`] = vs;
      }
      const contrast = Object.fromEntries(Object.entries(all).map(([step, vs]) => [step, vs.filter((v) => v.id === 'color-contrast')]));
      const other = Object.fromEntries(Object.entries(all).map(([step, vs]) => [step, vs.filter((v) => v.id !== 'color-contrast')]));
      expect(describeAll(other)).toBe('');
      const report = describeAll(contrast);
      if (report) console.log(`color-contrast with accent ${accent}:\n${report}`);
      expect.soft(report, `color-contrast with accent ${accent}`).toBe('');
    } finally {
      await useSettings({ accentColor: '#8b1e3f' });
    }
  });
});
