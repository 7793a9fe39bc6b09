// The payment settings in the browser: the demo organizer (on a server that offers the demo
// provider) opens Payments, sees how buyers pay now, chooses YooKassa, is told by the fields what
// is missing, fills the shop in, saves, reloads and finds it saved with the secret key shown only
// as "saved ••••" (never in the page), the notification address to copy; then Stripe the same
// way. axe finds nothing, and the page does not scroll sideways at 375 px.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { ru } from '../../console/i18n/ru.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, settled, signIn, watchPageErrors } from '../support/browser.ts';

const world = browserWorld({ payments: 'demo' });
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  page = await context.newPage();
  errors = watchPageErrors(page);
});

async function noViolations(what: string) {
  await settled(page);
  const found = await axeViolations(page);
  expect(
    found.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.join('\n    ')}`),
    what,
  ).toEqual([]);
}

const SHOP_KEY = 'test_SuperSecretShopKey42';
const STRIPE_KEY = 'sk_test_SuperSecretStripeKey42';
const STRIPE_HOOK = 'whsec_SuperSecretHookSecret42';

const checked = (id: string) => page.getByTestId(id).isChecked();
/** The field's error once the save's answer has marked it (null until then: the click does not wait for the answer). */
const errorOf = async (testId: string) => {
  const input = page.getByTestId(testId);
  if ((await input.getAttribute('aria-invalid')) !== 'true') return null;
  const described = (await input.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'));
  return described ? page.locator(`[id="${described}"]`).textContent() : null;
};

test('the owner chooses YooKassa, then Stripe; field errors by the fields; secrets saved but never shown', async () => {
  await signIn(page, world.site);
  await page.getByTestId('nav-payments').click();
  await page.getByTestId('payment-method').waitFor();
  // This server offers the demo provider, and the demo theatre pays with it.
  expect(await checked('method-demo')).toBe(true);
  for (const m of ['box_office', 'yookassa', 'stripe']) expect(await page.getByTestId(`method-${m}`).count()).toBe(1);
  expect(await page.getByTestId('timeout').inputValue()).toBe('20');
  await noViolations('payments, demo');

  // YooKassa chosen with nothing filled in: the API's errors show by the fields.
  await page.getByTestId('method-yookassa').check();
  await page.getByTestId('yookassa-shop-id').fill('shop 12');
  await page.getByTestId('save-payments').click();
  await expect.poll(() => errorOf('yookassa-shop-id')).toBe(ru.errors.fields['payments.providers.yookassa.shopId']);
  await page.getByTestId('yookassa-shop-id').fill('123456');
  await page.getByTestId('save-payments').click();
  await expect.poll(() => errorOf('yookassa-secret-key')).toBe(ru.errors.fields['payments.providers.yookassa.secretKey']);
  // A live key in test mode is refused by the key's field too.
  await page.getByTestId('yookassa-secret-key').fill('live_NotThisOne');
  await page.getByTestId('save-payments').click();
  await expect.poll(() => errorOf('yookassa-secret-key')).toBe(ru.errors.fields['payments.providers.yookassa.secretKey']);
  await page.getByTestId('yookassa-secret-key').fill(SHOP_KEY);
  await page.getByTestId('yookassa-vat').selectOption('11');
  await page.getByTestId('timeout').fill('30');
  await page.getByTestId('save-payments').click();
  await page.getByText(ru.saved, { exact: true }).waitFor();
  await noViolations('payments, yookassa saved');
  await page.screenshot({ path: '/tmp/console-payments-yookassa.png', fullPage: true });

  await page.reload();
  await page.getByTestId('account-yookassa').waitFor();
  expect(await checked('method-yookassa')).toBe(true);
  expect(await page.getByTestId('yookassa-shop-id').inputValue()).toBe('123456');
  expect(await page.getByTestId('yookassa-vat').inputValue()).toBe('11');
  expect(await page.getByTestId('timeout').inputValue()).toBe('30');
  expect(await page.getByTestId('yookassa-secret-key-saved').textContent()).toBe(ru.payments.saved);
  expect(await page.getByTestId('yookassa-secret-key').count()).toBe(0);
  expect(await page.content()).not.toContain(SHOP_KEY);
  const url = await page.getByTestId('notification-url').textContent();
  expect(url).toMatch(new RegExp(`^${world.site.apiBase}/payments/notify/yookassa/org_[\\w-]+$`));
  await page.getByTestId('copy-notification-url').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  // Replace shows an empty field; keeping the saved key keeps it.
  await page.getByTestId('yookassa-secret-key-replace').click();
  expect(await page.getByTestId('yookassa-secret-key').inputValue()).toBe('');

  // Stripe: both secrets, saved and not echoed either.
  await page.getByTestId('method-stripe').check();
  await page.getByTestId('stripe-secret-key').fill(STRIPE_KEY);
  await page.getByTestId('stripe-webhook-secret').fill(STRIPE_HOOK);
  await page.getByTestId('save-payments').click();
  await page.getByText(ru.saved, { exact: true }).waitFor();
  await page.reload();
  await page.getByTestId('account-stripe').waitFor();
  expect(await checked('method-stripe')).toBe(true);
  expect(await page.getByTestId('stripe-secret-key-saved').textContent()).toBe(ru.payments.saved);
  expect(await page.getByTestId('stripe-webhook-secret-saved').textContent()).toBe(ru.payments.saved);
  const html = await page.content();
  for (const secret of [SHOP_KEY, STRIPE_KEY, STRIPE_HOOK]) expect(html).not.toContain(secret);
  expect(await page.getByTestId('notification-url').textContent()).toMatch(/\/payments\/notify\/stripe\/org_[\w-]+$/);
  await noViolations('payments, stripe');
  await page.screenshot({ path: '/tmp/console-payments-stripe.png', fullPage: true });

  // Back to the box office: its reservation limits instead of the payment time.
  await page.getByTestId('method-box_office').check();
  await page.getByTestId('hours-after-booking').fill('');
  await page.getByTestId('save-payments').click();
  await page.getByText(ru.saved, { exact: true }).waitFor();
  await page.reload();
  await page.getByTestId('hours-after-booking').waitFor();
  expect(await checked('method-box_office')).toBe(true);
  expect(await page.getByTestId('hours-after-booking').inputValue()).toBe('');
  expect(await page.getByTestId('hours-before-show').inputValue()).toBe('2');
  await noViolations('payments, box office');

  await page.setViewportSize({ width: 375, height: 812 });
  await page.getByTestId('method-yookassa').check();
  await settled(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: '/tmp/console-payments-375.png', fullPage: true });
  expect(overflow, 'scrolls sideways at 375 px').toBeLessThanOrEqual(0);
  expect(errors).toEqual([]);
});
