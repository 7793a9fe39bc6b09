// The built-in mail catcher: mail sent over real SMTP shows up on /mail, with organizer text
// escaped and the message's HTML confined to a sandboxed iframe whose links open in a new tab
// (the browser check is in test/browser/mail-render.test.ts).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { startMailCatcher, type MailCatcher } from '../../server/platform/mail/catcher.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';
import { freshDatabase } from '../support/world.ts';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>';
let catcher: MailCatcher;
let app: ReturnType<typeof createApp>;
let transport: ReturnType<typeof createMailTransport>;
const TOKEN = 'catcher-token-0123456789';
const signedIn = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  catcher = await startMailCatcher({ port: 0 });
  const { db } = await freshDatabase();
  app = createApp({ db, mailCatcher: { catcher, token: TOKEN } });
  transport = createMailTransport(`smtp://127.0.0.1:${catcher.port}`);
  await transport.sendMail({
    from: { name: 'Театр на набережной', address: 'tickets@localhost' },
    to: 'anna@example.com',
    subject: `Hamlet ${XSS}`,
    html: `<!doctype html><html><head><title>x</title></head><body><p>Hello</p>${XSS}</body></html>`,
    text: 'Hello',
    headers: { 'List-Unsubscribe': '<https://tickets.example/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    messageId: '<out_1@encore>',
  });
});
// The pooled connection closes while the catcher still answers.
afterAll(async () => {
  transport.close();
  await catcher.close();
});

test('caught mail is listed as JSON with its headers', async () => {
  const list = await (await app.request('/mail/api/messages', { headers: signedIn })).json();
  expect(list.messages).toHaveLength(1);
  expect(list.messages[0]).toMatchObject({ messageId: '<out_1@encore>', to: ['anna@example.com'], subject: `Hamlet ${XSS}` });
  const one = await (await app.request(`/mail/api/messages/${list.messages[0].id}`, { headers: signedIn })).json();
  expect(one.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
  expect(one.text.trim()).toBe('Hello');
});

test('the list page escapes subjects and refreshes itself', async () => {
  const res = await app.request('/mail', { headers: signedIn });
  expect(res.status).toBe(200);
  const page = await res.text();
  expect(page).toContain('http-equiv="refresh" content="5"');
  expect(page).toContain('Hamlet &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  expect(page).not.toMatch(/<script|<img/i);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
});

test("a message's HTML is shown only inside a sandboxed srcdoc iframe", async () => {
  const id = catcher.list()[0]!.id;
  const res = await app.request(`/mail/${id}`, { headers: signedIn });
  const page = await res.text();
  const iframe = page.match(/<iframe sandbox="([^"]*)" srcdoc="([^"]*)"/);
  expect(iframe).not.toBeNull();
  // Links may open a tab of their own; the email still runs no script and gets no origin.
  expect(iframe![1]!.split(' ').sort()).toEqual(['allow-popups', 'allow-popups-to-escape-sandbox']);
  expect(iframe![2]).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  // Our <base target> comes first in the head, after the email's doctype (no quirks mode).
  expect(iframe![2]).toMatch(/^&lt;!doctype html&gt;&lt;html&gt;&lt;head&gt;&lt;base target=&quot;_blank&quot;&gt;&lt;title&gt;/);
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; frame-src 'self'");
  expect(page).not.toMatch(/<script|<img/i);
  expect(page).toContain('List-Unsubscribe');
  // Headers read as text: the sender's name decoded, not =?UTF-8?B?…?=.
  expect(page).toContain('<dt>From</dt><dd>&quot;Театр на набережной&quot; &lt;tickets@localhost&gt;</dd>');
  expect((await app.request('/mail/999', { headers: signedIn })).status).toBe(404);
});

test('caught mail opens only with the token: its link sets a cookie for /mail and drops the token from the address', async () => {
  const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789' }, { cookie: 'encore_mail=wrong' }];
  for (const headers of attempts) {
    for (const path of ['/mail', '/mail/api/messages', `/mail/${catcher.list()[0]!.id}`]) {
      const res = await app.request(path, { headers });
      expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
      expect(await res.text()).not.toContain('anna@example.com');
    }
  }
  expect((await app.request('/mail?token=wrong-token-0123456789')).status).toBe(401);
  const link = await app.request(`/mail?token=${TOKEN}`);
  expect(link.status).toBe(303);
  expect(link.headers.get('location')).toBe('/mail');
  const cookie = link.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^encore_mail=[^;]+; Path=\/mail; HttpOnly; SameSite=Strict$/);
  const page = await app.request('/mail', { headers: { cookie: cookie.split(';')[0]! } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('anna@example.com');
});

test('without a catcher there is no /mail', async () => {
  const { db } = await freshDatabase();
  expect((await createApp({ db }).request('/mail')).status).toBe(404);
});
