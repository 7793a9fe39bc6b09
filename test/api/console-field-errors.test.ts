// A console form with several bad fields hears about all of them in one response: `error` is the
// first (the one shape every client reads), `errors` lists every field at fault.
import { expect, test } from 'vitest';
import { consoleWorld, eventThroughApi } from '../support/console-world.ts';

async function signedIn() {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const { client } = await w.signIn(a.email, a.password);
  return { w, client, days: (n: number) => new Date(w.clock.now().getTime() + n * 86_400_000).toISOString() };
}

const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field);

test('every bad field of a form comes back at once, the first also as `error`', async () => {
  const { w, client, days } = await signedIn();

  const event = await client('POST', '/events', { slug: 'Not A Slug', title: '', timeZone: 'Mars/Olympus', currency: 'XYZ' });
  expect(event.status).toBe(400);
  expect(event.body.error).toMatchObject({ code: 'VALIDATION', field: 'slug' });
  expect(fields(event.body)).toEqual(['slug', 'title', 'timeZone', 'currency']);
  for (const e of event.body.errors) expect(e).toEqual({ code: 'VALIDATION', message: expect.any(String), field: e.field });

  const { event: lear, ticketType } = await eventThroughApi(client, w.clock, 'lear');
  const type = await client('POST', `/events/${lear.id}/ticket-types`, { name: ' ', price: -1, capacity: 1.5, maxPerOrder: 0 });
  expect(fields(type.body)).toEqual(['name', 'price', 'capacity', 'maxPerOrder']);

  // Rules checked after the schema are collected too.
  const past = new Date(w.clock.now().getTime() - 60_000).toISOString();
  const performance = await client('POST', `/events/${lear.id}/performances`, { startsAt: past, salesCloseAt: days(1) });
  expect(performance.status).toBe(400);
  expect(fields(performance.body)).toEqual(['startsAt', 'salesCloseAt']);

  // Nested settings are named by their full path.
  const settings = await client('PATCH', '/settings', { recovery: { abandonAfterMinutes: 1, attributionDays: 0, quietHours: { start: '25:00', end: '9' } } });
  expect(fields(settings.body)).toEqual(['recovery.abandonAfterMinutes', 'recovery.quietHours.start', 'recovery.quietHours.end', 'recovery.attributionDays']);

  // A field with two problems is reported once, with the first.
  const twice = await client('POST', `/events/${lear.id}/ticket-types`, { name: 'X', price: -1.5, capacity: 1 });
  expect(twice.body.errors).toHaveLength(1);

  // A rule about one field keeps its own code, and lists it alone.
  const capacity = await client('PATCH', `/ticket-types/${ticketType.id}`, { minPerOrder: 8 });
  expect(capacity.body.errors).toEqual([{ code: 'VALIDATION', message: expect.any(String), field: 'minPerOrder' }]);
  const taken = await client('POST', '/events', { slug: 'lear', title: 'Again', timeZone: 'UTC', currency: 'EUR' });
  expect(taken.status).toBe(409);
  expect(taken.body).toEqual({
    error: { code: 'SLUG_TAKEN', message: expect.any(String), field: 'slug' },
    errors: [{ code: 'SLUG_TAKEN', message: expect.any(String), field: 'slug' }],
  });

  // No field at fault, no list.
  const badJson = await client('POST', '/events', '{"slug":');
  expect(badJson.body).toEqual({ error: { code: 'BAD_JSON', message: expect.any(String) } });
  expect(w.logs).toEqual([]);
});
