import { expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../server/platform/config.ts';
import { databaseLabel } from '../../server/platform/db/engine.ts';

test('defaults give a working embedded set-up', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ port: 3000, demoPort: 8080, databasePath: 'data/encore.sqlite', publicBaseUrl: 'http://localhost:3000' });
});

test('a wrong value stops start-up with a message naming the variable', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  expect(() => loadConfig({ PUBLIC_BASE_URL: 'tickets' })).toThrow(/PUBLIC_BASE_URL.*"tickets"/s);
});

test('the demo site can be switched off and the public URL set', () => {
  const c = loadConfig({ DEMO_PORT: 'off', PUBLIC_BASE_URL: 'https://tickets.example.com/' });
  expect(c.demoPort).toBeNull();
  expect(c.publicBaseUrl).toBe('https://tickets.example.com');
});

test('mail defaults to the built-in catcher with the worker on', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ smtpUrl: null, mailFrom: '"Encore" <tickets@localhost>', mailCatcherPort: 2525, workerEnabled: true });
});

test('a real SMTP server, sender and a separate worker can be configured', () => {
  const c = loadConfig({ SMTP_URL: 'smtp://user:pass@mail.example.com:587', MAIL_FROM: 'Tickets <t@example.com>', WORKER: 'off', MAIL_CATCHER_PORT: '2626' });
  expect(c).toMatchObject({
    smtpUrl: 'smtp://user:pass@mail.example.com:587',
    mailFrom: 'Tickets <t@example.com>',
    workerEnabled: false,
    mailCatcherPort: 2626,
  });
  expect(() => loadConfig({ SMTP_URL: 'mail.example.com' })).toThrow(/SMTP_URL/);
  expect(() => loadConfig({ WORKER: 'yes' })).toThrow(/WORKER/);
});

test('DATABASE_URL picks PostgreSQL over the SQLite file; a wrong one is named; logs never show its password', () => {
  const c = loadConfig({ DATABASE_URL: 'postgres://encore:s3cret@db.internal:5432/encore', DATABASE_POOL_SIZE: '20' });
  expect(c).toMatchObject({ databasePath: 'postgres://encore:s3cret@db.internal:5432/encore', databasePoolSize: 20 });
  expect(loadConfig({}).databasePoolSize).toBe(10);
  expect(() => loadConfig({ DATABASE_URL: 'mysql://db/encore' })).toThrow(/DATABASE_URL/);
  expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  expect(databaseLabel(c.databasePath)).toBe('postgres://encore:***@db.internal:5432/encore');
  expect(databaseLabel('data/encore.sqlite')).toBe('data/encore.sqlite');
});

test('a mistyped URL is echoed without its password; keys and tokens are not echoed at all', () => {
  const message = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return String((error as Error).message);
    }
    throw new Error('no error');
  };
  const smtp = message({ SMTP_URL: 'smpt://mailer:hunter2-secret@mail.example:587' });
  expect(smtp).toContain('SMTP_URL');
  expect(smtp).toContain('smpt://mailer:***@mail.example:587');
  expect(smtp).not.toContain('hunter2');
  expect(message({ SMTP_URL: 'smtp//mailer:hunter2-secret@mail.example' })).not.toContain('hunter2');
  const token = message({ MAIL_CATCHER_TOKEN: 'short-secret' });
  expect(token).toContain('MAIL_CATCHER_TOKEN');
  expect(token).not.toContain('short-secret');
});
