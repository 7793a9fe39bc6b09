// Reminder emails as a phone's mail app lays them out, in Chromium: at 320 and 375 px the box
// office's phone number (and email) stay on one line, and with light, mid-tone and dark accents
// axe-core finds no colour-contrast violation. And the /mail page of the built-in catcher: its
// button opens the link in a new tab, where before the page's CSP blocked it inside the frame
// and left a broken-page icon in place of the email.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { startMailCatcher, type MailCatcher } from '../../server/platform/mail/catcher.ts';
import { senderFields } from '../../server/platform/mail/sender.ts';
import { renderReminderEmail, type ReminderEmailInput } from '../../server/recovery/templates.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';
import { axeViolations } from '../support/axe.ts';
import { launchBrowser } from '../support/browser.ts';
import { freshDatabase } from '../support/world.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function reminder(o: Partial<ReminderEmailInput> = {}) {
  return renderReminderEmail({
    locale: 'ru',
    step: 2,
    organizer: { name: 'Театр на набережной', accentColor: '#8b1e3f', supportEmail: 'boxoffice@riverside-theatre.example', supportPhone: '+7 495 123-45-67' },
    event: { title: 'Чайка', venue: 'Основная сцена', timeZone: 'Europe/Moscow', currency: 'RUB' },
    performance: { startsAt: '2026-12-05T16:00:00.000Z' },
    buyerName: 'Анна',
    items: [{ name: 'Партер', quantity: 2, lineTotal: 500000 }],
    total: 500000,
    hold: 'released',
    resumeUrl: 'https://theatre.example/repertoire?encore_resume=abc',
    unsubscribeUrl: 'https://tickets.example/u/xyz',
    discount: { code: 'RABCDEFGH1', label: '10%', expiresAt: '2026-12-04T20:59:00.000Z' },
    custom: {},
    ...o,
  });
}

describe('a reminder on a phone', () => {
  // Where the number falls on the line depends on what comes before it: try several addresses.
  const emails = [
    null,
    'box@t.example',
    'tickets@theatre.example',
    'boxoffice@theatre.example',
    'boxoffice@riverside-theatre.example',
    'hello@a-rather-long-venue-name.example',
  ];
  const phones = ['+7 495 123-45-67', '8 (812) 555-12-34', '+44 20 7946 0958'];

  test.each([320, 375])('at %i px the phone number and the email address never wrap', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    const wrapped: string[] = [];
    for (const supportEmail of emails) {
      for (const supportPhone of phones) {
        const { html } = reminder({ organizer: { name: 'Театр на набережной', accentColor: '#8b1e3f', supportEmail, supportPhone } });
        await page.setContent(html);
        const lines = await page.$$eval('a[href^="tel:"], a[href^="mailto:"]', (links) =>
          links.map((a) => [a.textContent, a.getClientRects().length] as const),
        );
        for (const [text, count] of lines) if (count !== 1) wrapped.push(`${text} (${supportEmail}) on ${count} lines`);
      }
    }
    expect(wrapped).toEqual([]);
    await page.close();
  });

  test.each(['#fff59d', '#2ecc71', '#e67e22', '#8b1e3f', '#000000', '#ffffff'])(
    'accent %s: no colour-contrast violation (footer, button, links)',
    async (accent) => {
      const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
      const { html } = reminder({
        organizer: { name: 'Театр на набережной', accentColor: accent, supportEmail: 'box@t.example', supportPhone: '+7 495 123-45-67' },
      });
      await page.setContent(html);
      expect((await axeViolations(page)).filter((v) => v.id === 'color-contrast')).toEqual([]);
      await page.close();
    },
  );
});

describe('the /mail page', () => {
  let catcher: MailCatcher;
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    catcher = await startMailCatcher({ port: 0 });
    const { db } = await freshDatabase();
    const app = createApp({ db, mailCatcher: { catcher, token: 'render-token-0123456789' } });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
    // The button leads to a page of this server, so the new tab has something to load.
    const email = reminder({ resumeUrl: `${base}/health?encore_resume=abc` });
    const transport = createMailTransport(`smtp://127.0.0.1:${catcher.port}`);
    await transport.sendMail({
      ...senderFields('tickets@localhost', email.sender),
      to: 'anna@example.com',
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: email.headers,
      messageId: '<render@encore>',
    });
    transport.close();
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await catcher?.close();
  });

  test("shows the email's button, which opens the link in a new tab and leaves the email in place", async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|blocked/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(`${base}/mail/${catcher.list()[0]!.id}?token=render-token-0123456789`);
    const button = page.frameLocator('iframe').getByRole('link', { name: 'Вернуться к заказу' });
    await expect(button.isVisible()).resolves.toBe(true);
    const [tab] = await Promise.all([context.waitForEvent('page', { timeout: 10_000 }), button.click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${base}/health?encore_resume=abc`);
    expect(await tab.textContent('body')).toContain('"ok":true');
    // The email is still there, and nothing was refused by the page's policy.
    await expect(button.isVisible()).resolves.toBe(true);
    expect(blocked).toEqual([]);
    // The From line reads as the organizer, not as encoded words.
    expect(await page.locator('dt:text-is("From") + dd').textContent()).toBe('"Театр на набережной" <tickets@localhost>');
    await context.close();
  });
});
