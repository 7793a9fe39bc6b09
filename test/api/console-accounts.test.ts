// A person's account: changing the password (every other session ends), signing out
// everywhere, resetting a forgotten password by a mailed link (single use, one hour, no answer
// that tells who has an account), and API keys that can do only what their scopes say.
import { describe, expect, test } from 'vitest';
import { RESET_LINK_MINUTES } from '../../server/console/password-changes.ts';
import { API, consoleWorld } from '../support/console-world.ts';

describe('password and sessions', () => {
  test('changing the password needs the current one and ends every other session', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const here = await w.signIn(a.email, a.password);
    const there = await w.signIn(a.email, a.password);
    expect((await here.client('POST', '/me/password', { currentPassword: 'not-it-at-all', newPassword: 'a-new-password-1' })).body.error).toMatchObject({
      code: 'VALIDATION',
      field: 'currentPassword',
    });
    expect((await here.client('POST', '/me/password', { currentPassword: a.password, newPassword: 'short' })).body.error).toMatchObject({
      field: 'newPassword',
    });
    expect((await here.client('POST', '/me/password', { currentPassword: a.password, newPassword: 'a-new-password-1' })).status).toBe(204);
    expect((await there.client('GET', '/me')).status).toBe(401);
    expect((await here.client('GET', '/me')).status).toBe(200);
    expect((await w.request('POST', `${API}/session`, { email: a.email, password: a.password })).status).toBe(401);
    expect((await w.request('POST', `${API}/session`, { email: a.email, password: 'a-new-password-1' })).status).toBe(200);
  });

  test('signing out everywhere ends every session of the person, this one too, and no one else’s', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const b = await w.organizer();
    const one = await w.signIn(a.email, a.password);
    const two = await w.signIn(a.email, a.password);
    const other = await w.signIn(b.email, b.password);
    const out = await one.client('DELETE', '/sessions');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/encore_session=;/);
    expect((await one.client('GET', '/me')).status).toBe(401);
    expect((await two.client('GET', '/me')).status).toBe(401);
    expect((await other.client('GET', '/me')).status).toBe(200);
  });

  test('an API key has no password or sessions', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const { client } = await w.apiKey(a.organizerId);
    expect((await client('POST', '/me/password', { currentPassword: 'x', newPassword: 'a-new-password-1' })).status).toBe(403);
    expect((await client('DELETE', '/sessions')).status).toBe(403);
  });
});

describe('a forgotten password', () => {
  const linkIn = (text: string) => /\/console\/reset\?token=([A-Za-z0-9_-]+)/.exec(text)![1]!;

  test('a reset link is mailed to the account, works once within the hour, and ends every session', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const signedIn = await w.signIn(a.email, a.password);
    expect((await w.request('POST', `${API}/password-reset`, { email: a.email.toUpperCase() })).status).toBe(202);
    // An unknown address gets the same answer and no mail.
    expect((await w.request('POST', `${API}/password-reset`, { email: 'nobody@example.com' })).status).toBe(202);
    expect(w.mail.map((m) => m.to)).toEqual([a.email]);
    const token = linkIn(w.mail[0]!.text);
    expect(w.mail[0]!.html).toContain(`href="https://tickets.example/console/reset?token=${token}"`);

    expect((await w.request('POST', `${API}/password-reset/confirm`, { token, newPassword: 'short' })).body.error).toMatchObject({ field: 'newPassword' });
    expect((await w.request('POST', `${API}/password-reset/confirm`, { token, newPassword: 'reset-password-1' })).status).toBe(204);
    expect((await signedIn.client('GET', '/me')).status).toBe(401);
    expect((await w.request('POST', `${API}/session`, { email: a.email, password: 'reset-password-1' })).status).toBe(200);
    const again = await w.request('POST', `${API}/password-reset/confirm`, { token, newPassword: 'another-password-2' });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'VALIDATION', field: 'token' });
  });

  test('when the mail server is down, asking is a 503 MAIL_UNAVAILABLE, not a 500', async () => {
    const w = await consoleWorld({ mailFails: true });
    const a = await w.organizer();
    const res = await w.request('POST', `${API}/password-reset`, { email: a.email });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('MAIL_UNAVAILABLE');
  });

  test(`a link expires after ${RESET_LINK_MINUTES} minutes; asking is limited to 5 an hour per address`, async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    await w.request('POST', `${API}/password-reset`, { email: a.email });
    w.clock.advance(RESET_LINK_MINUTES + 1);
    expect((await w.request('POST', `${API}/password-reset/confirm`, { token: linkIn(w.mail[0]!.text), newPassword: 'reset-password-1' })).status).toBe(400);
    for (let i = 0; i < 5; i++) expect((await w.request('POST', `${API}/password-reset`, { email: a.email })).status).toBe(202);
    expect((await w.request('POST', `${API}/password-reset`, { email: a.email })).status).toBe(429);
    expect(w.mail).toHaveLength(6);
  });
});

describe('API key scopes', () => {
  test('a key reaches only what its scopes allow: no keys or people without admin, no webhook secrets without webhooks', async () => {
    const w = await consoleWorld();
    const a = await w.organizer();
    const owner = await w.signIn(a.email, a.password);
    const hook = await owner.client('POST', '/webhooks', { url: 'https://crm.example.com/encore', events: ['order.completed'] });
    expect(hook.status).toBe(201);

    const stats = (await w.apiKey(a.organizerId, ['stats'])).client;
    expect((await stats('GET', '/stats?from=2026-11-01&to=2026-11-30')).status).toBe(200);
    expect((await stats('GET', '/events')).status).toBe(403);
    expect((await stats('GET', '/orders')).status).toBe(403);
    expect((await stats('GET', `/webhooks/${hook.body.endpoint.id}/secret`)).status).toBe(403);
    expect((await stats('GET', '/me')).status).toBe(200);

    const usual = (await w.apiKey(a.organizerId)).client;
    expect((await usual('GET', '/events')).status).toBe(200);
    expect((await usual('GET', '/orders')).status).toBe(200);
    expect((await usual('GET', `/webhooks/${hook.body.endpoint.id}/secret`)).status).toBe(200);
    const refused = await usual('POST', '/api-keys', { name: 'escalate', scopes: ['admin'] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('admin');
    expect((await usual('GET', '/users')).status).toBe(403);

    const orders = (await w.apiKey(a.organizerId, ['orders'])).client;
    expect((await orders('GET', '/orders')).status).toBe(200);
    expect((await orders('GET', '/events')).status).toBe(200);
    expect((await orders('POST', '/events', { slug: 'x', title: 'X', timeZone: 'UTC', currency: 'RUB' })).status).toBe(403);
    expect((await orders('GET', '/webhooks')).status).toBe(403);

    const admin = (await w.apiKey(a.organizerId, ['admin'])).client;
    const made = await admin('POST', '/api-keys', { name: 'reporting', scopes: ['stats'] });
    expect(made.status).toBe(201);
    expect(made.body.scopes).toEqual(['stats']);
    const listed = (await owner.client('GET', '/api-keys')).body.apiKeys as { name: string; scopes: string[] }[];
    expect(listed.find((k) => k.name === 'reporting')?.scopes).toEqual(['stats']);
  });
});
