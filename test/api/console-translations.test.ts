// The console API takes event and ticket type names in other languages (`translations`), with
// the base fields' limits, every bad one named at once; a PATCH changes only the texts it sends,
// and an empty text removes one (visitors then see the default language's).
import { expect, test } from 'vitest';
import { consoleWorld, eventThroughApi } from '../support/console-world.ts';

async function signedIn() {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const { client } = await w.signIn(a.email, a.password);
  return { w, client };
}

const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field);

test('texts over the base fields’ limits, or in a language the widget does not speak, are refused field by field', async () => {
  const { w, client } = await signedIn();
  const tooLong = { title: 'T'.repeat(201), description: 'D'.repeat(5001), venue: 'V'.repeat(301) };
  const event = await client('POST', '/events', {
    slug: 'lear',
    title: 'Король Лир',
    timeZone: 'Europe/Moscow',
    currency: 'RUB',
    translations: { en: tooLong },
  });
  expect(event.status).toBe(400);
  expect(fields(event.body)).toEqual(['translations.en.title', 'translations.en.description', 'translations.en.venue']);
  for (const e of event.body.errors) expect(e.code).toBe('VALIDATION');

  // At the limit is fine, and the base title's "required" does not apply to a translation.
  const atLimit = { title: 'T'.repeat(200), description: 'D'.repeat(5000), venue: 'V'.repeat(300) };
  const ok = await client('POST', '/events', { slug: 'lear', title: 'Король Лир', timeZone: 'Europe/Moscow', currency: 'RUB', translations: { en: atLimit } });
  expect(ok.status).toBe(201);
  expect(ok.body.translations).toEqual({ en: atLimit });

  const german = await client('PATCH', `/events/${ok.body.id}`, { translations: { de: { title: 'König Lear' } } });
  expect(german.status).toBe(400);
  expect(fields(german.body)).toEqual(['translations.de']);
  const notText = await client('PATCH', `/events/${ok.body.id}`, { translations: { en: { title: 5 } } });
  expect(fields(notText.body)).toEqual(['translations.en.title']);

  const { event: hamlet, ticketType } = await eventThroughApi(client, w.clock, 'hamlet');
  const type = await client('POST', `/events/${hamlet.id}/ticket-types`, {
    name: 'Партер',
    price: 1,
    capacity: 1,
    translations: { en: { name: 'N'.repeat(101) } },
  });
  expect(fields(type.body)).toEqual(['translations.en.name']);
  const patched = await client('PATCH', `/ticket-types/${ticketType.id}`, { price: -1, translations: { en: { name: 'N'.repeat(101) } } });
  expect(fields(patched.body)).toEqual(['price', 'translations.en.name']);
  expect(w.logs).toEqual([]);
});

test('a PATCH changes the texts it sends; an empty one removes it; markup is kept as typed', async () => {
  const { w, client } = await signedIn();
  const { event, ticketType } = await eventThroughApi(client, w.clock, 'hamlet');
  expect(event.translations).toEqual({});
  expect(ticketType.translations).toEqual({});

  const first = await client('PATCH', `/events/${event.id}`, { translations: { en: { title: ' Hamlet ', venue: 'Main <i>stage</i>' } } });
  expect(first.body.translations).toEqual({ en: { title: 'Hamlet', venue: 'Main <i>stage</i>' } });
  const second = await client('PATCH', `/events/${event.id}`, { title: 'Гамлет', translations: { en: { description: 'A tragedy', venue: '' } } });
  expect(second.body).toMatchObject({ title: 'Гамлет', translations: { en: { title: 'Hamlet', description: 'A tragedy' } } });
  const named = await client('PATCH', `/ticket-types/${ticketType.id}`, { name: 'Партер', translations: { en: { name: 'Stalls' } } });
  expect(named.body).toMatchObject({ name: 'Партер', translations: { en: { name: 'Stalls' } } });
  const priced = await client('PATCH', `/ticket-types/${ticketType.id}`, { price: 2000 });
  expect(priced.body.translations).toEqual({ en: { name: 'Stalls' } });

  // The reminder preview names the organizer's next performance in the locale asked for.
  const previewEn = await client('POST', '/recovery/preview', { step: 0, locale: 'en' });
  expect(previewEn.body.subject).toMatch(/^You left tickets for Hamlet on /);
  expect(previewEn.body.text).toContain('2 × Stalls');
  const previewRu = await client('POST', '/recovery/preview', { step: 0, locale: 'ru' });
  expect(previewRu.body.subject).toMatch(/^Вы оставили билеты: «Гамлет»/);
  expect(previewRu.body.text).toContain('2 × Партер');

  const cleared = await client('PATCH', `/events/${event.id}`, { translations: { en: { title: '', description: '  ' } } });
  expect(cleared.body.translations).toEqual({});

  // What the event page reads back.
  const detail = await client('GET', `/events/${event.id}`);
  expect(detail.body.ticketTypes[0].translations).toEqual({ en: { name: 'Stalls' } });
  expect(detail.body.event.translations).toEqual({});
});
