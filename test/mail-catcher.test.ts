// The built-in mail catcher: mail sent over real SMTP shows up on /mail, with organizer text
// escaped and the message's HTML confined to a sandboxed iframe.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../server/app.ts';
import { startMailCatcher, type MailCatcher } from '../server/mail/catcher.ts';
import { createMailTransport } from '../server/mail/transport.ts';
import { freshDatabase } from './support/world.ts';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>';
let catcher: MailCatcher;
let app: ReturnType<typeof createApp>;
let transport: ReturnType<typeof createMailTransport>;

beforeAll(async () => {
  catcher = await startMailCatcher({ port: 0 });
  const { db } = await freshDatabase();
  app = createApp({ db, mailCatcher: catcher });
  transport = createMailTransport(`smtp://127.0.0.1:${catcher.port}`);
  await transport.sendMail({
    from: '"Encore" <tickets@localhost>',
    to: 'anna@example.com',
    subject: `Hamlet ${XSS}`,
    html: `<p>Hello</p>${XSS}`,
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
  const list = await (await app.request('/mail/api/messages')).json();
  expect(list.messages).toHaveLength(1);
  expect(list.messages[0]).toMatchObject({ messageId: '<out_1@encore>', to: ['anna@example.com'], subject: `Hamlet ${XSS}` });
  const one = await (await app.request(`/mail/api/messages/${list.messages[0].id}`)).json();
  expect(one.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
  expect(one.text.trim()).toBe('Hello');
});

test('the list page escapes subjects and refreshes itself', async () => {
  const res = await app.request('/mail');
  expect(res.status).toBe(200);
  const page = await res.text();
  expect(page).toContain('http-equiv="refresh" content="5"');
  expect(page).toContain('Hamlet &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  expect(page).not.toMatch(/<script|<img/i);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
});

test("a message's HTML is shown only inside a sandboxed srcdoc iframe", async () => {
  const id = catcher.list()[0]!.id;
  const page = await (await app.request(`/mail/${id}`)).text();
  const iframe = page.match(/<iframe sandbox srcdoc="([^"]*)"/);
  expect(iframe).not.toBeNull();
  expect(iframe![1]).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(page).not.toMatch(/<script|<img/i);
  expect(page).toContain('List-Unsubscribe');
  expect((await app.request('/mail/999')).status).toBe(404);
});

test('without a catcher there is no /mail', async () => {
  const { db } = await freshDatabase();
  expect((await createApp({ db }).request('/mail')).status).toBe(404);
});
