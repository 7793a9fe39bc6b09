// A console user's account in Chromium: change the password (a wrong current one is marked on
// its field), sign out everywhere, reset a forgotten password through the mailed link, and API
// keys created with the scopes ticked. axe finds nothing on the new screens.
import { mkdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import type { MailTransport, OutgoingMail } from '../../server/platform/mail/transport.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, settled, signIn } from '../support/browser.ts';

const SHOTS = 'test-results/screens';
const sent: OutgoingMail[] = [];
const mailTransport: MailTransport = {
  sendMail: async (m) => {
    sent.push(m);
    return { messageId: m.messageId };
  },
};
const world = browserWorld({ mailTransport });

async function noViolations(page: Parameters<typeof axeViolations>[0], what: string) {
  await settled(page);
  expect((await axeViolations(page)).map((v) => `${what}: ${v.id} ${v.help}`)).toEqual([]);
}

test('change the password, then sign out everywhere', async () => {
  mkdirSync(SHOTS, { recursive: true });
  const { page, errors } = await world.open();
  await signIn(page, world.site);
  await page.getByTestId('nav-account').click();
  await page.getByTestId('current-password').fill('not-the-password');
  await page.getByTestId('new-password').fill('a-brand-new-password');
  await page.getByTestId('change-password-submit').click();
  await expect.poll(() => page.getByTestId('current-password').getAttribute('aria-invalid')).toBe('true');
  await page.getByTestId('current-password').fill(DEMO_PASSWORD);
  await page.getByTestId('change-password-submit').click();
  await page.getByText('Пароль изменён').waitFor();
  await noViolations(page, 'account');
  await page.screenshot({ path: `${SHOTS}/console-account-1280.png`, fullPage: true });

  await page.getByTestId('sign-out-everywhere-submit').click();
  await page.getByTestId('signin-email').waitFor();
  await signIn(page, world.site, { password: 'a-brand-new-password' });
  await page.getByTestId('nav-account').waitFor();
  expect(errors).toEqual([]);
});

test('a forgotten password: ask for the link, open it, set a new one, sign in with it', async () => {
  const { page, errors } = await world.open();
  await page.goto(`${world.site.apiBase}/console`);
  await page.getByTestId('forgot-password').click();
  await page.getByTestId('reset-email').fill(DEMO_ORGANIZER_EMAIL);
  await page.getByTestId('reset-request-submit').click();
  await page.getByText('ссылка уже в пути').waitFor();
  await noViolations(page, 'reset request');
  const link = /https?:\/\/\S+\/console\/reset\?token=[\w-]+/.exec(sent.at(-1)!.text)![0];
  await page.goto(link.replace(/^https?:\/\/[^/]+/, world.site.apiBase));
  // The token leaves the address bar at once.
  await expect.poll(() => page.url()).toBe(`${world.site.apiBase}/console/reset`);
  await page.getByTestId('reset-password').fill('short');
  await page.getByTestId('reset-submit').click();
  await expect.poll(() => page.getByTestId('reset-password').getAttribute('aria-invalid')).toBe('true');
  await page.getByTestId('reset-password').fill('reset-by-mail-2026');
  await page.getByTestId('reset-submit').click();
  await page.getByText('Пароль задан').waitFor();
  await noViolations(page, 'reset');
  await page.screenshot({ path: `${SHOTS}/console-reset-375.png` });
  await page.getByTestId('back-to-sign-in').click();
  await signIn(page, world.site, { password: 'reset-by-mail-2026' });
  await page.getByTestId('nav-account').waitFor();
  expect(errors).toEqual([]);
});

test('an API key is made with the scopes ticked', async () => {
  const { page } = await world.open();
  await signIn(page, world.site, { password: 'reset-by-mail-2026' });
  await page.getByTestId('nav-settings').click();
  const card = page.getByTestId('api-keys');
  await card.getByLabel('Название ключа').fill('Отчёты');
  for (const s of ['events', 'orders', 'webhooks']) await card.getByTestId(`scope-${s}`).uncheck();
  await card.getByRole('button', { name: 'Создать ключ' }).click();
  await card.locator('code.secret').waitFor();
  await card.screenshot({ path: `${SHOTS}/console-api-keys.png` });
  const key = await world.site.db.selectFrom('api_keys').select(['name', 'scopes']).where('name', '=', 'Отчёты').executeTakeFirstOrThrow();
  expect(JSON.parse(key.scopes)).toEqual(['stats']);
});
