import { expect, test } from 'vitest';
import { CONSOLE_ORIGIN, consoleWorld, eventThroughApi } from '../support/console-world.ts';

async function signedIn() {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const { client } = await w.signIn(a.email, a.password);
  return { w, a, client, days: (n: number) => new Date(w.clock.now().getTime() + n * 86_400_000).toISOString() };
}

test('events: create, list with performance counts, read, change; a taken slug is 409 SLUG_TAKEN', async () => {
  const { w, client } = await signedIn();
  const created = await client('POST', '/events', {
    slug: 'hamlet',
    title: 'Hamlet',
    description: 'A play',
    venue: 'Main stage',
    timeZone: 'Europe/Moscow',
    currency: 'rub',
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ slug: 'hamlet', title: 'Hamlet', timeZone: 'Europe/Moscow', currency: 'RUB', id: expect.stringMatching(/^evt_/) });
  await client('POST', `/events/${created.body.id}/performances`, { startsAt: new Date(w.clock.now().getTime() + 86_400_000).toISOString() });

  const list = await client('GET', '/events');
  expect(list.body.events).toEqual([expect.objectContaining({ id: created.body.id, slug: 'hamlet', performanceCount: 1 })]);

  const changed = await client('PATCH', `/events/${created.body.id}`, { title: 'Hamlet, Prince of Denmark', slug: 'hamlet-2027' });
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({ title: 'Hamlet, Prince of Denmark', slug: 'hamlet-2027', venue: 'Main stage' });
  expect((await w.request('GET', '/api/v1/events/hamlet-2027')).body.event.title).toBe('Hamlet, Prince of Denmark');

  await client('POST', '/events', { slug: 'seagull', title: 'Seagull', timeZone: 'UTC', currency: 'EUR' });
  const taken = await client('POST', '/events', { slug: 'seagull', title: 'Again', timeZone: 'UTC', currency: 'EUR' });
  expect(taken.status).toBe(409);
  expect(taken.body.error).toMatchObject({ code: 'SLUG_TAKEN', field: 'slug' });
  const renamed = await client('PATCH', `/events/${created.body.id}`, { slug: 'seagull' });
  expect(renamed.body.error).toMatchObject({ code: 'SLUG_TAKEN', field: 'slug' });
  // Its own slug is not "taken".
  expect((await client('PATCH', `/events/${created.body.id}`, { slug: 'hamlet-2027' })).status).toBe(200);
});

test('time zone and currency: stored as ICU spells them; an unknown one is 400 naming its field', async () => {
  const { client } = await signedIn();
  const created = await client('POST', '/events', { slug: 'gull', title: 'Gull', timeZone: ' asia/yekaterinburg ', currency: 'eur' });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ timeZone: 'Asia/Yekaterinburg', currency: 'EUR' });
  expect((await client('PATCH', `/events/${created.body.id}`, { timeZone: 'utc' })).body.timeZone).toBe('UTC');
  for (const [body, field] of [
    [{ timeZone: 'Moscow' }, 'timeZone'],
    [{ timeZone: 'Europe/Atlantis' }, 'timeZone'],
    [{ currency: 'ZZZ' }, 'currency'],
    [{ currency: 'рубль' }, 'currency'],
  ] as const) {
    const res = await client('PATCH', `/events/${created.body.id}`, body);
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION', field });
  }
});

test('bad inputs are 4xx naming the field, and never reach a 500', async () => {
  const { w, client, days } = await signedIn();
  const { event, performance, ticketType } = await eventThroughApi(client, w.clock, 'lear');
  const base = { slug: 'ok-slug', title: 'T', timeZone: 'UTC', currency: 'EUR' };
  const cases: [string, string, unknown, string][] = [
    ['POST', '/events', { ...base, timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['POST', '/events', { ...base, currency: 'XYZ' }, 'currency'],
    ['POST', '/events', { ...base, currency: 'RUBLES' }, 'currency'],
    ['POST', '/events', { ...base, slug: 'Not A Slug' }, 'slug'],
    ['POST', '/events', { ...base, title: '' }, 'title'],
    ['PATCH', `/events/${event.id}`, { timeZone: 'Nowhere' }, 'timeZone'],
    ['POST', `/events/${event.id}/performances`, { startsAt: 'tomorrow' }, 'startsAt'],
    ['POST', `/events/${event.id}/performances`, { startsAt: new Date(w.clock.now().getTime() - 60_000).toISOString() }, 'startsAt'],
    ['POST', `/events/${event.id}/performances`, { startsAt: days(5), salesCloseAt: days(6) }, 'salesCloseAt'],
    ['PATCH', `/performances/${performance.id}`, { salesPaused: 'yes' }, 'salesPaused'],
    ['PATCH', `/performances/${performance.id}`, { salesCloseAt: days(4) }, 'salesCloseAt'],
    ['POST', `/performances/${performance.id}/duplicate`, {}, 'startsAt'],
    ['POST', `/events/${event.id}/ticket-types`, { name: 'X', price: -1, capacity: 5 }, 'price'],
    ['POST', `/events/${event.id}/ticket-types`, { name: 'X', price: 10.5, capacity: 5 }, 'price'],
    ['POST', `/events/${event.id}/ticket-types`, { name: 'X', price: 10, capacity: 5, minPerOrder: 4, maxPerOrder: 2 }, 'minPerOrder'],
    ['PATCH', `/ticket-types/${ticketType.id}`, { minPerOrder: 7 }, 'minPerOrder'],
    ['PATCH', `/ticket-types/${ticketType.id}`, { capacity: -3 }, 'capacity'],
    ['PATCH', '/settings', { allowedOrigins: ['https://ok.example', 'https://site.example/tickets'] }, 'allowedOrigins.1'],
    ['PATCH', '/settings', { allowedOrigins: ['ftp://site.example'] }, 'allowedOrigins.0'],
    ['PATCH', '/settings', { widget: { accentColor: 'red' } }, 'widget.accentColor'],
    ['PATCH', '/settings', { widget: { fields: { phone: 'sometimes' } } }, 'widget.fields.phone'],
    ['PATCH', '/settings', { recovery: { steps: [{ delayMinutes: 60, subject: { en: 'Hi {{nmae}}' } }] } }, 'recovery.steps.0.subject.en'],
    ['PATCH', '/settings', { recovery: { abandonAfterMinutes: 1 } }, 'recovery.abandonAfterMinutes'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await client(method, path, body);
    expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.field).toBe(field);
  }
  const badJson = await client('POST', '/events', '{"slug":');
  expect(badJson.body.error.code).toBe('BAD_JSON');
  expect((await client('GET', '/snippet')).body.error.field).toBe('event');
  expect((await client('GET', '/events/evt_missing')).status).toBe(404);
  expect(w.logs).toEqual([]);
});

test('performances: default sales close 30 min before; pausing sales stops the widget and carts; resuming restores them; duplicate', async () => {
  const { w, client, days } = await signedIn();
  const { event, performance, ticketType } = await eventThroughApi(client, w.clock, 'othello');
  expect(performance).toMatchObject({ eventId: event.id, salesPaused: false, onSale: true });
  expect(Date.parse(performance.startsAt) - Date.parse(performance.salesCloseAt)).toBe(30 * 60_000);

  const paused = await client('PATCH', `/performances/${performance.id}`, { salesPaused: true });
  expect(paused.body).toMatchObject({ salesPaused: true, onSale: false });
  const bootstrap = await w.request('GET', '/api/v1/events/othello');
  expect(bootstrap.body.performances[0]).toMatchObject({ id: performance.id, onSale: false });
  const cart = { performanceId: performance.id, items: [{ ticketTypeId: ticketType.id, quantity: 1 }] };
  const refused = await w.request('POST', '/api/v1/carts', cart);
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('SALES_CLOSED');

  await client('PATCH', `/performances/${performance.id}`, { salesPaused: false });
  expect((await w.request('GET', '/api/v1/events/othello')).body.performances[0].onSale).toBe(true);
  expect((await w.request('POST', '/api/v1/carts', cart)).status).toBe(201);

  // Moving the start keeps the sales-close lead; an explicit close is taken as given.
  const moved = await client('PATCH', `/performances/${performance.id}`, { startsAt: days(4) });
  expect(moved.body).toMatchObject({ startsAt: days(4), salesCloseAt: new Date(Date.parse(days(4)) - 30 * 60_000).toISOString() });
  const closeEarly = await client('PATCH', `/performances/${performance.id}`, { salesCloseAt: days(3) });
  expect(closeEarly.body.salesCloseAt).toBe(days(3));

  const copy = await client('POST', `/performances/${performance.id}/duplicate`, { startsAt: days(11) });
  expect(copy.status).toBe(201);
  expect(copy.body).toMatchObject({ eventId: event.id, startsAt: days(11), salesCloseAt: days(10), salesPaused: false });
  expect(copy.body.id).not.toBe(performance.id);
  const detail = await client('GET', `/events/${event.id}`);
  expect(detail.body.performances.map((p: { id: string }) => p.id)).toEqual([performance.id, copy.body.id]);
  expect((await w.request('GET', '/api/v1/events/othello')).body.performances).toHaveLength(2);
});

test('ticket types: create and change; seat counts per performance; capacity below sold + held is 409 CAPACITY_BELOW_SOLD', async () => {
  const { w, client } = await signedIn();
  const { event, performance, ticketType } = await eventThroughApi(client, w.clock, 'tempest');
  const balcony = await client('POST', `/events/${event.id}/ticket-types`, { name: 'Balcony', price: 0, capacity: 4 });
  expect(balcony.status).toBe(201);
  expect(balcony.body).toMatchObject({ name: 'Balcony', price: 0, capacity: 4, minPerOrder: 1, maxPerOrder: 10 });

  // 2 sold, 1 held.
  const bought = await w.request('POST', '/api/v1/carts', { performanceId: performance.id, items: [{ ticketTypeId: ticketType.id, quantity: 2 }] });
  await w.request('PATCH', `/api/v1/carts/${bought.body.id}`, { buyer: { email: 'a@b.example', name: 'A' } }, { authorization: `Bearer ${bought.body.token}` });
  const order = await w.request('POST', `/api/v1/carts/${bought.body.id}/checkout`, {}, { authorization: `Bearer ${bought.body.token}` });
  expect(order.status).toBe(201);
  await w.request('POST', '/api/v1/carts', { performanceId: performance.id, items: [{ ticketTypeId: ticketType.id, quantity: 1 }] });

  const detail = await client('GET', `/events/${event.id}`);
  expect(detail.body.ticketTypes.map((t: { name: string }) => t.name)).toEqual(['Stalls', 'Balcony']);
  expect(detail.body.performances[0].seats).toEqual([
    { ticketTypeId: ticketType.id, capacity: 10, sold: 2, held: 1, available: 7 },
    { ticketTypeId: balcony.body.id, capacity: 4, sold: 0, held: 0, available: 4 },
  ]);

  const tooSmall = await client('PATCH', `/ticket-types/${ticketType.id}`, { capacity: 2 });
  expect(tooSmall.status).toBe(409);
  expect(tooSmall.body.error).toMatchObject({ code: 'CAPACITY_BELOW_SOLD', field: 'capacity' });
  const changed = await client('PATCH', `/ticket-types/${ticketType.id}`, { capacity: 3, price: 175000, name: 'Stalls A' });
  expect(changed.body).toMatchObject({ capacity: 3, price: 175000, name: 'Stalls A' });
  const widget = await w.request('GET', '/api/v1/events/tempest');
  expect(widget.body.performances[0].ticketTypes[0]).toMatchObject({ name: 'Stalls A', price: 175000, available: 0 });

  // Once the hold lapses, its seat no longer counts.
  w.clock.advance(60);
  expect((await client('PATCH', `/ticket-types/${ticketType.id}`, { capacity: 2 })).status).toBe(200);
});

test('settings: defaults, partial changes merged, checkout fields with askPhone kept for the widget, origins normalised', async () => {
  const { w, client } = await signedIn();
  await eventThroughApi(client, w.clock, 'macbeth');
  const initial = await client('GET', '/settings');
  expect(initial.body.widget).toMatchObject({ accentColor: '#8b1e3f', holdMinutes: 15, askPhone: true, fields: { phone: 'optional', custom: [] } });
  expect(initial.body.recovery.steps).toHaveLength(3);
  expect(initial.body.allowedOrigins).toEqual(['https://theatre1.example']);

  const custom = [{ id: 'seat-wish', label: { en: 'Seat wishes', ru: 'Пожелания по местам' }, required: false }];
  const saved = await client('PATCH', '/settings', {
    widget: { accentColor: '#123456', fields: { phone: 'off', custom } },
    recovery: { abandonAfterMinutes: 45, steps: [{ delayMinutes: 90, subject: { en: '{{name}}, your seats' } }] },
    allowedOrigins: ['https://theatre.example/', 'https://www.theatre.example', 'https://theatre.example'],
  });
  expect(saved.status).toBe(200);
  expect(saved.body.widget).toMatchObject({ accentColor: '#123456', holdMinutes: 15, askPhone: false, fields: { phone: 'off', custom } });
  expect(saved.body.recovery).toMatchObject({
    abandonAfterMinutes: 45,
    attributionDays: 7,
    steps: [{ delayMinutes: 90, subject: { en: '{{name}}, your seats' } }],
  });
  expect(saved.body.allowedOrigins).toEqual(['https://theatre.example', 'https://www.theatre.example']);
  expect((await client('GET', '/settings')).body).toEqual(saved.body);

  const bootstrap = await w.request('GET', '/api/v1/events/macbeth');
  expect(bootstrap.body.settings).toMatchObject({ accentColor: '#123456', askPhone: false, fields: { phone: 'off', custom } });

  // One key at a time leaves the rest alone; a client still sending askPhone is understood.
  const phoneBack = await client('PATCH', '/settings', { widget: { askPhone: true } });
  expect(phoneBack.body.widget).toMatchObject({ accentColor: '#123456', askPhone: true, fields: { phone: 'optional', custom } });
  expect(phoneBack.body.recovery.abandonAfterMinutes).toBe(45);
  const required = await client('PATCH', '/settings', { widget: { fields: { phone: 'required' } } });
  expect(required.body.widget.fields).toEqual({ phone: 'required', custom: [] });
  expect(required.body.widget.askPhone).toBe(true);

  const tooMany = Array.from({ length: 6 }, (_, i) => ({ id: `f${i}`, label: { en: `F${i}` } }));
  expect((await client('PATCH', '/settings', { widget: { fields: { custom: tooMany } } })).body.error.field).toBe('widget.fields.custom');

  // Rows saved before `fields` existed keep their meaning.
  await w.db
    .updateTable('organizers')
    .set({ settings: JSON.stringify({ askPhone: false }) })
    .execute();
  expect((await client('GET', '/settings')).body.widget).toMatchObject({ askPhone: false, fields: { phone: 'off', custom: [] } });
});

test('snippet: the exact HTML to paste, inline and button, with this server’s widget URL', async () => {
  const { w, client } = await signedIn();
  await eventThroughApi(client, w.clock, 'hamlet');
  const stub = `<script>
  !function(w){var E=w.Encore=w.Encore||{q:[]};["open","close","mount"].forEach(function(m){
  E[m]=E[m]||function(){E.q.push([m,[].slice.call(arguments)])}})}(window);
</script>
<script src="${CONSOLE_ORIGIN}/widget.js" async></script>
`;
  const res = await client('GET', '/snippet?event=hamlet');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    inline: `${stub}<div data-encore-event="hamlet">
  <!-- Видно, пока билеты загружаются, и если они не загрузятся: напишите здесь что угодно. -->
  <p>Если билеты не появились, обновите страницу чуть позже.</p>
</div>\n`,
    button: `${stub}<button data-encore-event="hamlet" data-encore-mode="button">Купить билеты</button>\n`,
  });
  await client('PATCH', '/settings', { widget: { defaultLocale: 'en' } });
  expect((await client('GET', '/snippet?event=hamlet')).body.button).toContain('>Buy tickets</button>');
  expect((await client('GET', '/snippet?event=nope')).status).toBe(404);
});
