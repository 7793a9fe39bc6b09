// The whole recovery story in Chromium with a real SMTP server: a visitor leaves a cart, time
// moves, the reminder arrives, its link brings them back to the same cart on the demo page,
// they buy, no more reminders come, and the order counts as recovered.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { startMailCatcher, type MailCatcher } from '../../server/platform/mail/catcher.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import { browserWorld, until, watchPageErrors } from '../support/browser.ts';

const SHOTS = 'test-results/screens';
const SECRET = 'e2e-secret-0123456789abcdef0123456789';
const clock = { offsetMinutes: 0, now: () => new Date(Date.now() + clock.offsetMinutes * 60_000) };
let catcher: MailCatcher;
let transport: ReturnType<typeof createMailTransport>;
let jobs: ReturnType<typeof createRecoveryJobs>;

const world = browserWorld(() => ({ now: clock.now, secret: SECRET }));

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  catcher = await startMailCatcher({ port: 0, host: '127.0.0.1' });
  transport = createMailTransport(`smtp://127.0.0.1:${catcher.port}`);
  jobs = createRecoveryJobs({
    db: world.site.db,
    tx: writeTransactions(world.site.db),
    now: clock.now,
    transport,
    from: '"Театр на набережной" <tickets@localhost>',
    links: { secret: SECRET, publicBaseUrl: world.site.apiBase, extraOrigins: world.site.demoOrigins },
  });
});

afterAll(async () => {
  transport?.close();
  await catcher?.close();
});

test('left cart → reminder over SMTP → link restores the cart with a running hold → purchase → recovered, no more reminders', async () => {
  const email = 'returning@example.com';
  // 1. The visitor picks two tickets, types an email, consents, and leaves.
  const first = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  const page = await first.newPage();
  await page.goto(`${world.site.demoBase}/repertoire.html`);
  const widget = page.locator('[data-encore-event="hamlet"]');
  await widget.getByTestId('perf-option').first().click();
  const row = widget.getByTestId('tt-row').first();
  await row.getByTestId('qty-inc').click();
  await row.getByTestId('qty-inc').click();
  await widget.getByTestId('continue').click();
  await widget.getByTestId('email').fill(email);
  await widget.getByTestId('consent').check();
  const cart = await until(
    () => world.site.db.selectFrom('carts').selectAll().where('buyer_email', '=', email).where('consent', '=', 1).executeTakeFirst(),
    'email and consent saved',
  );
  await first.close();

  // 2. Time moves: the cart is abandoned after 30 minutes, the first reminder is due an hour later.
  clock.offsetMinutes = 31;
  await jobs.runOnce();
  clock.offsetMinutes = 31 + 61;
  await jobs.runOnce();
  await until(async () => catcher.list().length === 1, 'the reminder to arrive');
  const caught = catcher.list()[0]!; // parsed by mailparser as it arrived
  expect(caught.to).toEqual([email]);
  expect(caught.subject).toContain('Гамлет');
  const link = String(caught.html)
    .match(/href="([^"]*encore_resume=[^"]+)"/)![1]!
    .replace(/&amp;/g, '&');
  expect(link.startsWith(`${world.site.demoBase}/repertoire.html?encore_resume=`)).toBe(true);

  // 3. The link opens on another device: no stored cart, the widget restores it from the link.
  const second = await world.browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'ru-RU' });
  const back = await second.newPage();
  const errors = watchPageErrors(back);
  await back.goto(link);
  const restored = back.locator('[data-encore-event="hamlet"]');
  await restored.getByTestId('resume-notice').waitFor();
  await restored.getByTestId('countdown').waitFor();
  expect(await restored.getByTestId('countdown').textContent()).toMatch(/1[45]:\d\d/);
  expect(await restored.getByTestId('email').inputValue()).toBe(email);
  expect(back.url()).not.toContain('encore_resume');
  await restored.screenshot({ path: `${SHOTS}/resume-phone.png` });

  // 4. They finish the purchase.
  await restored.getByTestId('name').fill('Вернувшийся Зритель');
  await restored.getByTestId('checkout').click();
  const number = (await restored.getByTestId('order-number').textContent())!.trim();
  const order = await world.site.db.selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  expect(order).toMatchObject({ cart_id: cart.id, recovered_via: 'link', buyer_email: email });
  expect(errors).toEqual([]);

  // 4b. Someone else with the link (a forwarded email, a shared computer) sees that the tickets
  // were bought — not the buyer's address or name. (Before a purchase they see the cart and the
  // address masked, test/api/recovery.test.ts.)
  const stranger = await world.browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'ru-RU' });
  const peek = await stranger.newPage();
  await peek.goto(link);
  const seen = peek.locator('[data-encore-event="hamlet"]');
  await seen.getByTestId('resume-notice').waitFor();
  expect(await seen.getByTestId('resume-notice').textContent()).toContain('Вы уже купили эти билеты');
  expect(await peek.content()).not.toContain(email);
  expect(await peek.content()).not.toContain('Вернувшийся');
  await seen.screenshot({ path: `${SHOTS}/resume-masked.png` });
  await stranger.close();

  // 5. No further reminders, however much time passes; the order's confirmation went instead.
  clock.offsetMinutes = 60 * 24 * 5;
  await jobs.runOnce();
  const isReminder = (m: { headers: { name: string }[] }) => m.headers.some((h) => h.name.toLowerCase() === 'list-unsubscribe');
  expect(catcher.list().filter(isReminder)).toHaveLength(1);
  const confirmation = catcher.list().filter((m) => !isReminder(m));
  expect(confirmation.map((m) => [m.to, m.text.includes(number)])).toEqual([[[email], true]]);
  const outbox = await world.site.db.selectFrom('outbox').select('status').execute();
  expect(outbox.map((r) => r.status).sort()).toEqual(['cancelled', 'cancelled', 'sent']);
  await second.close();
});
