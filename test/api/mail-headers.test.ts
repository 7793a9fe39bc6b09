// Who a reminder says it is from, read from what arrives over SMTP (parsed by mailparser): the
// organizer's name at MAIL_FROM's address, Reply-To the organizer's support email, the one-click
// unsubscribe headers — the same on the console's test send as on a real reminder. And DKIM:
// configured from the environment, every message is signed with a signature that verifies.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { ConfigError, loadConfig } from '../../server/platform/config.ts';
import { writeTransactions } from '../../server/platform/db/database.ts';
import { createUser } from '../../server/console/accounts.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';
import { createRecoveryJobs } from '../../server/loop.ts';
import { configuredMailTransport } from '../../server/runtime.ts';
import { checkDkim } from '../support/dkim.ts';
import { startTestSmtp, type TestSmtp } from '../support/smtp.ts';
import { bearer, SITE, world } from '../support/world.ts';

const MAIL_FROM = '"Encore" <tickets@tickets.example>';
const ORGANIZER = 'Театр «На набережной»';
const SUPPORT = 'boxoffice@theatre.example';
const CONSOLE = 'https://tickets.example';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function smtp(): Promise<TestSmtp> {
  const server = await startTestSmtp();
  open.push(server);
  return server;
}

/** A theatre with a support email, a left cart whose first reminder goes out, and a console user. */
async function theatre(settings: Record<string, unknown> = { supportEmail: SUPPORT }) {
  const server = await smtp();
  const transport = createMailTransport(server.url);
  open.unshift(transport); // closed before the server
  const w = await world({ settings });
  await w.db.updateTable('organizers').set({ name: ORGANIZER }).where('id', '=', w.organizerId).execute();
  const secret = 'test-secret-for-signing-links-0123456789';
  const app = createApp({ db: w.db, now: w.clock.now, secret, mailTransport: transport, mailFrom: MAIL_FROM, consoleOrigin: CONSOLE, publicBaseUrl: CONSOLE });
  const jobs = createRecoveryJobs({
    db: w.db,
    tx: writeTransactions(w.db),
    now: w.clock.now,
    transport,
    from: MAIL_FROM,
    links: { secret, publicBaseUrl: CONSOLE, extraOrigins: [] },
    log: () => {},
  });
  const request = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  async function realReminder(): Promise<ParsedMail> {
    const created = await (
      await request('POST', '/api/v1/carts', {
        performanceId: w.performanceId,
        items: [{ ticketTypeId: w.standard, quantity: 2 }],
        pageUrl: `${SITE}/hamlet`,
        locale: 'en',
      })
    ).json();
    await request('PATCH', `/api/v1/carts/${created.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' }, consent: true }, bearer(created.token));
    w.clock.advance(91);
    const before = server.received.length;
    expect((await jobs.runOnce()).mail.done).toBe(1);
    return simpleParser(server.received[before]!.raw);
  }

  async function testSend(): Promise<ParsedMail> {
    await createUser(w.db, w.organizerId, { email: 'boss@theatre.example', password: 'correct-horse-battery', name: 'Boss', locale: 'en' }, w.clock.now());
    const signIn = await request('POST', '/api/console/v1/session', { email: 'boss@theatre.example', password: 'correct-horse-battery' });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = await signIn.json();
    const before = server.received.length;
    const sent = await request(
      'POST',
      '/api/console/v1/recovery/test-send',
      { step: 0, locale: 'en', to: 'me@example.com' },
      { cookie, 'x-csrf-token': csrfToken, origin: CONSOLE },
    );
    expect(sent.status).toBe(200);
    await server.waitFor(before + 1, 5_000);
    return simpleParser(server.received[before]!.raw);
  }

  return { realReminder, testSend };
}

/** A header as sent (mailparser files List-* headers under `list`). */
const line = (m: ParsedMail, key: string) => m.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n(?=[ \t])/g, '');

const sender = (m: ParsedMail) => ({
  from: m.from?.value,
  replyTo: m.replyTo?.value.map((a) => a.address),
  listUnsubscribe: /^List-Unsubscribe: <https:\/\/tickets\.example\/u\/[^>]+>$/.test(line(m, 'list-unsubscribe') ?? ''),
  listUnsubscribePost: line(m, 'list-unsubscribe-post'),
});

describe('From and Reply-To', () => {
  test("a reminder is from the organizer's name at MAIL_FROM's address, replies go to its support email", async () => {
    const mail = await (await theatre()).realReminder();
    expect(mail.from?.value).toEqual([{ name: ORGANIZER, address: 'tickets@tickets.example' }]);
    expect(mail.replyTo?.value).toEqual([{ name: '', address: SUPPORT }]);
    expect(sender(mail)).toMatchObject({ listUnsubscribe: true, listUnsubscribePost: 'List-Unsubscribe-Post: List-Unsubscribe=One-Click' });
  });

  test('the console test send carries the same From, Reply-To and unsubscribe headers as a real reminder', async () => {
    const t = await theatre();
    const real = await t.realReminder();
    const test = await t.testSend();
    expect(test.subject).toMatch(/^\[Test\] /);
    expect(sender(test)).toEqual(sender(real));
    expect(sender(test)).toMatchObject({
      from: [{ name: ORGANIZER, address: 'tickets@tickets.example' }],
      replyTo: [SUPPORT],
      listUnsubscribe: true,
      listUnsubscribePost: 'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    });
  });

  test('without a support email there is no Reply-To (replies reach the From address)', async () => {
    const t = await theatre({});
    const real = await t.realReminder();
    expect(real.replyTo).toBeUndefined();
    expect(real.from?.value[0]?.name).toBe(ORGANIZER);
    expect((await t.testSend()).replyTo).toBeUndefined();
  });
});

describe('DKIM', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

  async function sendThrough(env: Record<string, string>) {
    const server = await smtp();
    const config = loadConfig({ SMTP_URL: server.url, MAIL_FROM, ...env });
    const transport = configuredMailTransport(config);
    await transport.sendMail({
      from: { name: ORGANIZER, address: 'tickets@tickets.example' },
      replyTo: SUPPORT,
      to: 'anna@example.com',
      subject: 'Вы оставили билеты: «Чайка»',
      html: '<p>Здравствуйте!</p>',
      text: 'Здравствуйте!\n',
      headers: { 'List-Unsubscribe': '<https://tickets.example/u/x>' },
      messageId: '<dkim@encore>',
    });
    transport.close();
    return server.received[0]!.raw;
  }

  test('with DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (\\n-escaped, as env files write it) every message is signed', async () => {
    const raw = await sendThrough({ DKIM_DOMAIN: 'tickets.example', DKIM_SELECTOR: 'encore2026', DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    const parsed = await simpleParser(raw);
    expect(parsed.headers.get('dkim-signature')).toBeTruthy();
    const check = checkDkim(raw, publicKey);
    expect(check.tags).toMatchObject({ d: 'tickets.example', s: 'encore2026', a: 'rsa-sha256' });
    expect(check.tags.h).toMatch(/(^|:)from(:|$)/);
    expect(check.bodyHashMatches).toBe(true);
    expect(check.signatureValid).toBe(true);
    // …and a tampered message no longer verifies.
    expect(checkDkim(raw.replace('tickets@tickets.example', 'tickets@evil.example'), publicKey).signatureValid).toBe(false);
  });

  test('the key can come from a file (DKIM_PRIVATE_KEY_FILE)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'encore-dkim-')), 'dkim.pem');
    writeFileSync(file, pem);
    const raw = await sendThrough({ DKIM_DOMAIN: 'tickets.example', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: file });
    const check = checkDkim(raw, publicKey);
    expect(check.tags).toMatchObject({ d: 'tickets.example', s: 's1' });
    expect(check.signatureValid).toBe(true);
  });

  test('without DKIM settings mail goes unsigned', async () => {
    const raw = await sendThrough({});
    expect((await simpleParser(raw)).headers.has('dkim-signature')).toBe(false);
    expect(loadConfig({}).dkim).toBeNull();
  });

  test('an incomplete or wrong DKIM setting stops start-up, naming what is wrong and never printing the key', () => {
    expect(() => loadConfig({ DKIM_DOMAIN: 'tickets.example' })).toThrow(/DKIM_SELECTOR: required[\s\S]*DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE/);
    expect(() => loadConfig({ DKIM_DOMAIN: 'tickets.example', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: pem, DKIM_PRIVATE_KEY_FILE: '/x.pem' })).toThrow(
      /exactly one/,
    );
    expect(() => loadConfig({ DKIM_DOMAIN: 'tickets.example', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: '/nonexistent/dkim.pem' })).toThrow(
      /DKIM_PRIVATE_KEY_FILE: cannot read "\/nonexistent\/dkim\.pem" \(ENOENT\)/,
    );
    expect(() => loadConfig({ DKIM_DOMAIN: 'not a domain', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: pem })).toThrow(/DKIM_DOMAIN/);
    const notAKey = 'secret-value-that-is-not-a-key';
    let message = '';
    try {
      loadConfig({ DKIM_DOMAIN: 'tickets.example', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: notAKey });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/DKIM_PRIVATE_KEY: not a PEM private key/);
    expect(message).not.toContain(notAKey);
  });
});
