import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { ConsoleSession, ConsoleSettings } from '../../server/contracts/console.ts';
import { openDatabase } from '../../server/platform/db/database.ts';
import { DEMO_ORGANIZER_EMAIL, DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.ts';
import { SIGN_IN_LIMITS } from '../../server/console/login-throttle.ts';
import { HASHING, hashingSeen, WAITING } from '../../server/console/passwords.ts';
import { API, CONSOLE_ORIGIN, consoleWorld } from '../support/console-world.ts';

const NEW_EVENT = { slug: 'macbeth', title: 'Macbeth', timeZone: 'Europe/London', currency: 'GBP' };

describe('signing in and out', () => {
  test('sign-in sets a 14-day HttpOnly, SameSite=Lax, Secure cookie and returns user, organizer and CSRF token; /me agrees; sign-out ends it', async () => {
    const w = await consoleWorld();
    const a = await w.organizer('Riverside');
    const res = await w.request('POST', `${API}/session`, { email: a.email.toUpperCase(), password: a.password });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^encore_session=[\w-]{40,};/);
    expect(setCookie).toContain('Max-Age=1209600');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Lax');
    expect(res.body).toEqual({
      user: { id: a.userId, email: a.email, name: 'Boss 1', locale: 'en', role: 'owner' },
      organizer: { id: a.organizerId, name: 'Riverside', slug: 'riverside' },
      csrfToken: expect.stringMatching(/^[\w-]{40,}$/),
    });

    const cookie = setCookie.split(';')[0]!;
    const me = await w.request('GET', `${API}/me`, undefined, { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body);
    expect(me.headers.get('cache-control')).toBe('no-store');

    // The database holds only a hash of the cookie value.
    const stored = await w.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.map((s) => s.id_hash)).not.toContain(cookie.split('=')[1]);

    const out = await w.request('DELETE', `${API}/session`, undefined, { cookie, 'x-csrf-token': res.body.csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/encore_session=;.*Max-Age=0/);
    expect((await w.request('GET', `${API}/me`, undefined, { cookie })).status).toBe(401);
  });

  test('a wrong password and an unknown email get the same 401', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const wrong = await w.request('POST', `${API}/session`, { email: a.email, password: 'not-the-password' });
    const unknown = await w.request('POST', `${API}/session`, { email: 'nobody@nowhere.example', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const bad = await w.request('POST', `${API}/session`, { email: 'not an email', password: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('email');
  });

  test('10 failed sign-ins for an email from one address within 15 minutes lock it there (429) — even with the right password — until the window passes', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const b = await w.organizer();
    for (let i = 0; i < 10; i++) {
      const res = await w.request('POST', `${API}/session`, { email: a.email, password: `guess-number-${i}` });
      expect(res.status).toBe(401);
      w.clock.advance(1);
    }
    const locked = await w.request('POST', `${API}/session`, { email: a.email, password: a.password });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    // Other people are not affected.
    expect((await w.request('POST', `${API}/session`, { email: b.email, password: b.password })).status).toBe(200);
    // The first failure leaves the 15-minute window.
    w.clock.advance(6);
    expect((await w.request('POST', `${API}/session`, { email: a.email, password: a.password })).status).toBe(200);
  });

  test('the lock holds on every instance: failures counted by one API process lock the email on another on the same database', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    // A second instance of the API over the same database, as behind a load balancer.
    const other = createApp({ db: w.db, now: w.clock.now, consoleOrigin: CONSOLE_ORIGIN, publicBaseUrl: CONSOLE_ORIGIN, log: () => {} });
    const signInOn = (app: typeof other, password: string) =>
      app.request(`${API}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: a.email, password }) });
    for (let i = 0; i < 10; i++) expect((await signInOn(i % 2 ? other : w.app, `guess-number-${i}`)).status).toBe(401);
    expect((await signInOn(other, a.password)).status).toBe(429);
    expect((await signInOn(w.app, a.password)).status).toBe(429);
  });

  test('no credentials or an expired session → 401', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    expect((await w.request('GET', `${API}/events`)).body.error.code).toBe('UNAUTHORIZED');
    expect((await w.request('GET', `${API}/me`, undefined, { cookie: 'encore_session=forged' })).status).toBe(401);
    const { client } = await w.signIn(a.email, a.password);
    expect((await client('GET', '/events')).status).toBe(200);
    w.clock.advance(14 * 24 * 60 + 1);
    expect((await client('GET', '/events')).status).toBe(401);
  });
});

test('the demo theatre has a console login, added also to demo databases seeded before it existed', async () => {
  const w = await consoleWorld();
  expect(await seedDemo(w.db, w.clock.now(), [])).toBe(true);
  const signIn = () => w.request('POST', `${API}/session`, { email: DEMO_ORGANIZER_EMAIL, password: DEMO_PASSWORD });
  expect((await signIn()).body.organizer.slug).toBe('riverside');
  await w.db.deleteFrom('organizer_users').execute();
  expect(await seedDemo(w.db, w.clock.now(), [])).toBe(false);
  expect((await signIn()).status).toBe(200);
  expect(await w.db.selectFrom('organizer_users').select('email').execute()).toEqual([{ email: DEMO_ORGANIZER_EMAIL }]);
});

describe('CSRF for cookie sessions', () => {
  test('changes need the X-CSRF-Token header and, when an Origin is sent, the console origin', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const { cookie, csrf } = await w.signIn(a.email, a.password);
    const post = (headers: Record<string, string>) => w.request('POST', `${API}/events`, NEW_EVENT, { cookie, ...headers });

    const missing = await post({});
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('CSRF');
    expect((await post({ 'x-csrf-token': 'wrong' })).status).toBe(403);
    const foreign = await post({ 'x-csrf-token': csrf, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('CSRF');
    expect((await w.request('DELETE', `${API}/session`, undefined, { cookie })).status).toBe(403);
    expect((await w.request('GET', `${API}/events`, undefined, { cookie })).body.events).toEqual([]);

    expect((await post({ 'x-csrf-token': csrf, origin: CONSOLE_ORIGIN })).status).toBe(201);
    expect((await w.request('PATCH', `${API}/settings`, { widget: { accentColor: '#112233' } }, { cookie, 'x-csrf-token': csrf })).status).toBe(200);
    // Reads need no token.
    expect((await w.request('GET', `${API}/events`, undefined, { cookie })).body.events).toHaveLength(1);
  });

  test('a foreign page cannot sign a visitor in', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const res = await w.request('POST', `${API}/session`, { email: a.email, password: a.password }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  test('over plain http the cookie is not marked Secure', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const app = createApp({ db: w.db, consoleOrigin: 'http://localhost:3000' });
    const res = await app.request(`${API}/session`, { method: 'POST', body: JSON.stringify({ email: a.email, password: a.password }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).not.toContain('Secure');
  });
});

describe('API keys', () => {
  test('a key works without CSRF, records when it was last used (at most once a minute), and stops working when revoked', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const { client, id } = await w.apiKey(a.organizerId);
    const me = await client('GET', '/me');
    expect(me.body).toEqual({ user: null, organizer: { id: a.organizerId, name: 'Theatre', slug: 'theatre' }, csrfToken: null });
    expect((await client('POST', '/events', NEW_EVENT)).status).toBe(201);

    const lastUsed = async () => (await w.db.selectFrom('api_keys').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at;
    const first = await lastUsed();
    expect(first).toBe(w.clock.now().toISOString());
    w.clock.advance(0.5);
    await client('GET', '/events');
    expect(await lastUsed()).toBe(first);
    w.clock.advance(1);
    await client('GET', '/events');
    expect(await lastUsed()).toBe(w.clock.now().toISOString());

    const { client: session } = await w.signIn(a.email, a.password);
    const listed = await session('GET', '/api-keys');
    expect(listed.body.apiKeys).toEqual([expect.objectContaining({ id, name: 'test', revokedAt: null, prefix: expect.stringMatching(/^ek_/) })]);
    expect(JSON.stringify(listed.body)).not.toMatch(/ek_[\w-]{40}/);
    expect((await session('DELETE', `/api-keys/${id}`)).status).toBe(204);

    const revoked = await client('GET', '/events');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('UNAUTHORIZED');
    expect((await w.request('GET', `${API}/events`, undefined, { authorization: 'Bearer ek_made-up' })).status).toBe(401);
    expect((await w.request('GET', `${API}/events`, undefined, { authorization: 'Basic abc' })).status).toBe(401);
  });

  test('created in the console, the key is shown once', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const { client } = await w.signIn(a.email, a.password);
    const created = await client('POST', '/api-keys', { name: 'Box office sync' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^ek_[\w-]{43}$/);
    const viaKey = await w.request('GET', `${API}/me`, undefined, { authorization: `Bearer ${created.body.key}` });
    expect(viaKey.body.organizer.id).toBe(a.organizerId);
  });
});

// Each CLI run is a fresh node process that loads tsx and the server's modules: about a second
// on an idle 2-core machine, 8 s at load average 15. Independent runs go side by side, and a run
// may take 30 s before it counts as hung.
const CLI_RUN_MS = 30_000;
const newDatabasePath = () => join(mkdtempSync(join(tmpdir(), 'encore-cli-')), 'cli.sqlite');

describe('CLI', () => {
  const cli = (databasePath: string, ...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'server/cli.ts', ...args],
        { env: { ...process.env, DATABASE_PATH: databasePath }, encoding: 'utf8', timeout: CLI_RUN_MS },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') reject(error);
          else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
        },
      );
    });

  test('create-organizer and create-api-key make an account that signs in and a key that works', { timeout: 2 * CLI_RUN_MS + 10_000 }, async () => {
    const dbPath = newDatabasePath();
    const made = await cli(
      dbPath,
      'create-organizer',
      '--name',
      'Globe Theatre',
      '--email',
      'Owner@Globe.example',
      '--password',
      'to-be-or-not',
      '--origin',
      'https://globe.example/',
      '--origin',
      'https://www.globe.example',
    );
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('Created organizer "Globe Theatre" (slug globe-theatre');

    const keyRun = await cli(dbPath, 'create-api-key', '--email', 'owner@globe.example', '--name', 'sync');
    expect(keyRun.status).toBe(0);
    const key = keyRun.stdout.match(/^ek_[\w-]{43}$/m)?.[0];
    expect(key).toBeDefined();

    const db = openDatabase(dbPath);
    const app = createApp({ db, consoleOrigin: CONSOLE_ORIGIN });
    const me = await app.request(`${API}/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await me.json()) as ConsoleSession).organizer).toMatchObject({ name: 'Globe Theatre', slug: 'globe-theatre' });
    const settings = await app.request(`${API}/settings`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await settings.json()) as ConsoleSettings).allowedOrigins).toEqual(['https://globe.example', 'https://www.globe.example']);
    const signIn = await app.request(`${API}/session`, { method: 'POST', body: JSON.stringify({ email: 'owner@globe.example', password: 'to-be-or-not' }) });
    expect(signIn.status).toBe(200);
    await db.destroy();
  });

  test('bad input is a readable message and exit code 1', { timeout: CLI_RUN_MS + 10_000 }, async () => {
    // Independent of each other, so side by side, each on its own new database.
    const [short, path, nobody, unknown] = await Promise.all([
      cli(newDatabasePath(), 'create-organizer', '--name', 'X', '--email', 'x@x.example', '--password', 'short'),
      cli(
        newDatabasePath(),
        'create-organizer',
        '--name',
        'X',
        '--email',
        'x@x.example',
        '--password',
        'long-enough-1',
        '--origin',
        'https://x.example/tickets',
      ),
      cli(newDatabasePath(), 'create-api-key', '--email', 'nobody@x.example', '--name', 'sync'),
      cli(newDatabasePath(), 'launch-rockets'),
    ]);
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('at least 10 characters');
    expect(path.status).toBe(1);
    expect(path.stderr).toContain('--origin');
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toContain('No console user has the email nobody@x.example');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Usage:');
  });
});

describe('the sign-in throttle: per email and address, per address, and per email as a backstop', () => {
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const attempt = (w: Awaited<ReturnType<typeof consoleWorld>>, email: string, password: string, address: string) =>
    w.request('POST', `${API}/session`, { email, password }, from(address));
  /** Failures a minute ago, as the throttle records them. */
  const earlier = (w: Awaited<ReturnType<typeof consoleWorld>>, scope: string, key: string, n: number) =>
    w.db
      .insertInto('rate_events')
      .values(Array.from({ length: n }, () => ({ scope, key, at: new Date(w.clock.now().getTime() - 60_000).toISOString() })))
      .execute();

  test('ten wrong guesses from one address lock that address out of the account, not the owner on theirs', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    for (let i = 0; i < SIGN_IN_LIMITS.pair; i++) expect((await attempt(w, a.email, `guess-${i}`, '203.0.113.5')).status).toBe(401);
    expect((await attempt(w, a.email, a.password, '203.0.113.5')).status).toBe(429);
    expect((await attempt(w, a.email, a.password, '198.51.100.7')).status).toBe(200);
  });

  test(`one address failing on ${SIGN_IN_LIMITS.address} accounts is refused for any account`, async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    // All but the last failure recorded directly (each real one costs a password hash).
    await earlier(w, 'sign-in failures by address', '203.0.113.9', SIGN_IN_LIMITS.address - 1);
    expect((await attempt(w, 'nobody@example.com', 'guess-guess', '203.0.113.9')).status).toBe(401);
    expect((await attempt(w, a.email, a.password, '203.0.113.9')).status).toBe(429);
    expect((await attempt(w, a.email, a.password, '198.51.100.7')).status).toBe(200);
  });

  test(`guesses spread over many addresses: after ${SIGN_IN_LIMITS.email} the email is locked everywhere (the backstop)`, async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    await earlier(w, 'sign-in failures by email', a.email, SIGN_IN_LIMITS.email - 1);
    expect((await attempt(w, a.email, 'guess-guess', '10.1.2.3')).status).toBe(401);
    expect((await attempt(w, a.email, a.password, '198.51.100.7')).status).toBe(429);
  });

  test('failures for 10,000 other emails do not make it forget a lock', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    for (let i = 0; i < SIGN_IN_LIMITS.pair; i++) await attempt(w, a.email, `guess-${i}`, '203.0.113.5');
    const at = w.clock.now().toISOString();
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ scope: 'sign-in failures', key: `victim${i}@example.com\n203.0.113.${i % 250}`, at }));
    for (let i = 0; i < rows.length; i += 1000)
      await w.db
        .insertInto('rate_events')
        .values(rows.slice(i, i + 1000))
        .execute();
    expect((await attempt(w, a.email, a.password, '203.0.113.5')).status).toBe(429);
  });

  test(`a burst of sign-ins hashes at most ${HASHING} passwords at once; past the queue the rest are 429 at once`, async () => {
    const w = await consoleWorld();
    hashingSeen.most = 0;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(w, `burst${i}@example.com`, 'guess-guess', `192.0.2.${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(hashingSeen.most).toBeLessThanOrEqual(HASHING);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(HASHING + WAITING);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });
});
