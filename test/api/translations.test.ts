// Names per language, as visitors and buyers meet them. The organizer's default language is
// Russian; through the console API they give English names for some fields. A visitor reading
// English gets them in the widget's bootstrap, their cart, their order and the reminder email;
// a field without an English text falls back to the Russian one, field by field.
import { expect, test } from 'vitest';
import { createApiKey } from '../../server/console/accounts.ts';
import { recoveryWorld } from '../support/recovery-world.ts';
import { bearer } from '../support/world.ts';

/** Hamlet with Russian names, English title, description and first ticket type name; no English venue or second type name. */
async function translatedWorld() {
  const w = await recoveryWorld({ startsInDays: 10 });
  const { key } = await createApiKey(w.db, w.organizerId, 'test', w.clock.now());
  const console_ = (method: string, path: string, body: unknown) => w.call(method, `/api/console/v1${path}`, body, bearer(key));
  const before = await w.call('GET', `/api/v1/events/${w.slug}?locale=en`);
  const event = await console_('PATCH', `/events/${w.eventId}`, {
    title: 'Гамлет',
    description: 'Трагедия в пяти актах',
    venue: 'Основная сцена',
    translations: { en: { title: 'Hamlet', description: 'A tragedy in five acts' } },
  });
  const stalls = await console_('PATCH', `/ticket-types/${w.standard}`, { name: 'Партер', translations: { en: { name: 'Stalls <b>front</b>' } } });
  const rehearsal = await console_('PATCH', `/ticket-types/${w.free}`, { name: 'Открытая репетиция' });
  expect([event.status, stalls.status, rehearsal.status]).toEqual([200, 200, 200]);
  return { ...w, before: before.body };
}

const names = (bootstrap: { performances: { ticketTypes: { name: string }[] }[] }) => bootstrap.performances[0]!.ticketTypes.map((t) => t.name);

test('the bootstrap names the event and ticket types in the visitor’s locale, falling back per field to the default one', async () => {
  const w = await translatedWorld();
  const en = await w.call('GET', `/api/v1/events/${w.slug}?locale=en`);
  expect(en.body.event).toMatchObject({ title: 'Hamlet', description: 'A tragedy in five acts', venue: 'Основная сцена' });
  // Organizer text is data: sent as it was typed, for the widget to draw as text.
  expect(names(en.body)).toEqual(['Stalls <b>front</b>', 'Открытая репетиция']);
  // The answer cached before the change is not served after it.
  expect(w.before.event.title).toBe('Hamlet');
  expect(names(w.before)).toEqual(['Stalls', 'Open rehearsal']);

  const ru = await w.call('GET', `/api/v1/events/${w.slug}?locale=ru`);
  expect(ru.body.event).toMatchObject({ title: 'Гамлет', description: 'Трагедия в пяти актах', venue: 'Основная сцена' });
  expect(names(ru.body)).toEqual(['Партер', 'Открытая репетиция']);
  // Without a locale: the organizer's default.
  const plain = await w.call('GET', `/api/v1/events/${w.slug}`);
  expect(plain.body.event.title).toBe('Гамлет');
  expect(names(plain.body)).toEqual(['Партер', 'Открытая репетиция']);
});

test('cart and order name their tickets in the cart’s locale, and follow it when it changes', async () => {
  const w = await translatedWorld();
  const items = [
    { ticketTypeId: w.standard, quantity: 2 },
    { ticketTypeId: w.free, quantity: 1 },
  ];
  const en = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items, locale: 'en' });
  expect(en.status).toBe(201);
  expect(en.body.items.map((i: { name: string }) => i.name)).toEqual(['Stalls <b>front</b>', 'Открытая репетиция']);
  const auth = bearer(en.body.token);
  const read = await w.call('GET', `/api/v1/carts/${en.body.id}`, undefined, auth);
  expect(read.body.items.map((i: { name: string }) => i.name)).toEqual(['Stalls <b>front</b>', 'Открытая репетиция']);

  const ru = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items, locale: 'ru' });
  expect(ru.body.items.map((i: { name: string }) => i.name)).toEqual(['Партер', 'Открытая репетиция']);
  const switched = await w.call('PATCH', `/api/v1/carts/${ru.body.id}`, { locale: 'en' }, bearer(ru.body.token));
  expect(switched.body.items[0].name).toBe('Stalls <b>front</b>');

  await w.call('PATCH', `/api/v1/carts/${en.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  const order = await w.call('POST', `/api/v1/carts/${en.body.id}/checkout`, {}, auth);
  expect(order.status).toBe(201);
  expect(order.body.order.tickets.map((t: { name: string }) => t.name)).toEqual(['Stalls <b>front</b>', 'Stalls <b>front</b>', 'Открытая репетиция']);
});

test('a reminder to an English cart names the event and tickets in English, the venue in Russian where no English one was given', async () => {
  const w = await translatedWorld();
  await w.leaveCart({ email: 'anna@example.com' });
  const russian = await w.leaveCart({ email: 'boris@example.com' });
  await w.call('PATCH', `/api/v1/carts/${russian.id}`, { locale: 'ru' }, russian.auth);
  await w.after(31);
  await w.after(61);
  const [anna, boris] = ['anna', 'boris'].map((who) => w.inbox().find((m) => String(m.to).startsWith(who))!);

  // As it arrived over SMTP, parsed by mailparser.
  expect(anna!.subject).toMatch(/^You left tickets for Hamlet on /);
  expect(anna!.text).toContain('Your order: Hamlet, ');
  expect(anna!.text).toContain(', Основная сцена');
  expect(anna!.text).toContain('2 × Stalls <b>front</b>');
  expect(anna!.html).toContain('2 × Stalls &lt;b&gt;front&lt;/b&gt;');
  expect(anna!.html).not.toContain('Гамлет');

  expect(boris!.subject).toMatch(/^Вы оставили билеты: «Гамлет», /);
  expect(boris!.text).toContain('2 × Партер');
  expect(boris!.text).not.toContain('Hamlet');
});
