// The console's previews: widget settings drafts carried to the bootstrap by a signed token
// (only for the organizer's own events), reminder email previews and test sends.
import { describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { EventBootstrap } from '../../server/contracts/widget.ts';
import type { MailTransport, OutgoingMail } from '../../server/platform/mail/transport.ts';
import { API, consoleWorld, eventThroughApi } from '../support/console-world.ts';

async function setup(o: { mail?: boolean } = {}) {
  const w = await consoleWorld(o);
  const a = await w.organizer('Riverside');
  const b = await w.organizer('Other');
  const alice = await w.signIn(a.email, a.password);
  const bob = await w.signIn(b.email, b.password);
  const own = await eventThroughApi(alice.client, w.clock, 'riverside-hamlet');
  const others = await eventThroughApi(bob.client, w.clock, 'other-show');
  return { w, alice, bob, own, others };
}

describe('widget preview tokens', () => {
  test("a draft shows in the bootstrap of the organizer's own event only; nothing is saved or counted", async () => {
    const { w, alice } = await setup();
    const made = await alice.client('POST', '/preview', { accentColor: '#123456', buttonTexts: { ru: { open: 'Взять' } } });
    expect(made.status).toBe(200);
    const token = encodeURIComponent(made.body.token);
    const drafted = await w.request('GET', `/api/v1/events/riverside-hamlet?preview=${token}`);
    expect(drafted.body.settings.accentColor).toBe('#123456');
    expect(drafted.body.settings.buttonTexts.ru.open).toBe('Взять');
    expect(drafted.headers.get('cache-control')).toBe('no-store');
    // Another organizer's event ignores it; so does a forged or expired token.
    expect((await w.request('GET', `/api/v1/events/other-show?preview=${token}`)).body.settings.accentColor).toBe('#8b1e3f');
    expect((await w.request('GET', `/api/v1/events/riverside-hamlet?preview=${token.slice(0, -3)}abc`)).body.settings.accentColor).toBe('#8b1e3f');
    w.clock.advance(31);
    expect((await w.request('GET', `/api/v1/events/riverside-hamlet?preview=${token}`)).body.settings.accentColor).toBe('#8b1e3f');
    expect((await alice.client('GET', '/settings')).body.widget.accentColor).toBe('#8b1e3f');
    const views = await w.db.selectFrom('widget_views').select('views').execute();
    expect(views.reduce((s, v) => s + v.views, 0)).toBe(0);
  });

  test('a bad draft is a 400 naming the field; a token from another instance secret does not verify', async () => {
    const { w, alice } = await setup();
    const bad = await alice.client('POST', '/preview', { accentColor: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('widget.accentColor');
    const stranger = createApp({ db: w.db, now: w.clock.now, secret: 'another-secret-0123456789abcdef0123' });
    const token = encodeURIComponent((await alice.client('POST', '/preview', { accentColor: '#123456' })).body.token);
    const res = await stranger.request(`/api/v1/events/riverside-hamlet?preview=${token}`);
    expect(((await res.json()) as EventBootstrap).settings.accentColor).toBe('#8b1e3f');
  });

  test('the preview page passes the token to the widget as an attribute, escaped', async () => {
    const { w } = await setup();
    const res = await w.app.request('/console/preview/riverside-hamlet?token=a%22b&locale=en');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('data-encore-preview="a&quot;b"');
    expect(html).toContain('<script src="/widget.js" async></script>');
  });
});

describe('reminder previews and test sends', () => {
  test("preview renders the organizer's wording (draft or saved) with their next performance", async () => {
    const { alice } = await setup();
    const saved = await alice.client('POST', '/recovery/preview', { step: 0, locale: 'en' });
    expect(saved.status).toBe(200);
    expect(saved.body.html).toContain('Title of riverside-hamlet');
    expect(saved.body.text).toContain('2 × Stalls');
    const draft = await alice.client('POST', '/recovery/preview', {
      step: 1,
      locale: 'ru',
      recovery: { steps: [{ delayMinutes: 60 }, { delayMinutes: 120, subject: { ru: 'Скидка на {{event}}' }, discount: { kind: 'percent', value: 15 } }] },
    });
    expect(draft.body.subject).toBe('Скидка на Title of riverside-hamlet');
    expect(draft.body.text).toContain('15%');
    const missing = await alice.client('POST', '/recovery/preview', { step: 4, locale: 'ru', recovery: { steps: [{ delayMinutes: 60 }] } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('step');
    const badTemplate = await alice.client('POST', '/recovery/preview', {
      step: 0,
      locale: 'ru',
      recovery: { steps: [{ delayMinutes: 60, subject: { ru: '{{nope}}' } }] },
    });
    expect(badTemplate.status).toBe(400);
    expect(badTemplate.body.error.field).toBe('recovery.steps.0.subject.ru');
  });

  test('without a mail transport a test send is 503 MAIL_UNAVAILABLE', async () => {
    const { alice } = await setup({ mail: false });
    const res = await alice.client('POST', '/recovery/test-send', { step: 0, locale: 'en', to: 'me@example.com' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('MAIL_UNAVAILABLE');
  });

  test('a test send goes through the transport with [Test] in the subject, 10 an hour per organizer', async () => {
    const { w, alice, bob } = await setup();
    const sent: OutgoingMail[] = [];
    const transport: MailTransport = {
      sendMail: async (m) => {
        sent.push(m);
        return { messageId: m.messageId };
      },
    };
    const app = createApp({
      db: w.db,
      now: w.clock.now,
      consoleOrigin: 'https://tickets.example',
      mailTransport: transport,
      mailFrom: 'Box <box@example.com>',
    });
    const send = (who: typeof alice, body: unknown) =>
      app.request(`${API}/recovery/test-send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf, origin: 'https://tickets.example' },
        body: JSON.stringify(body),
      });
    expect((await send(alice, { step: 0, locale: 'en', to: 'not an email' })).status).toBe(400);
    const first = await send(alice, { step: 0, locale: 'en', to: 'Me@Example.com' });
    expect(first.status).toBe(200);
    // From the organizer by name, at MAIL_FROM's address, as a real reminder is (see mail-headers.test.ts).
    expect(sent[0]).toMatchObject({ to: 'me@example.com', from: { name: 'Riverside', address: 'box@example.com' } });
    expect(sent[0]!.subject.startsWith('[Test] ')).toBe(true);
    for (let i = 1; i < 10; i++) expect((await send(alice, { step: 0, locale: 'en', to: 'me@example.com' })).status).toBe(200);
    const limited = await send(alice, { step: 0, locale: 'en', to: 'me@example.com' });
    expect(limited.status).toBe(429);
    expect((await send(bob, { step: 0, locale: 'en', to: 'me@example.com' })).status).toBe(200);
    w.clock.advance(61);
    expect((await send(alice, { step: 0, locale: 'en', to: 'me@example.com' })).status).toBe(200);
  });
});
