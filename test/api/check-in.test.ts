// Check-in at the door through the console API on a real SQLite file: every answer (valid,
// already used, wrong performance, not valid for each unpaid or ended order, unknown for forged
// and for unknown codes), a reservation admitted once paid at the desk, undo, offline scans
// synced later (the first scan in time wins), the preload list (hashes, no names), counts, CSV,
// the box office role, the rate limit, another organizer's tickets, two devices scanning one
// ticket at once (exactly one valid; the control without the guard admits twice), and the plans
// of the check-in queries.
import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { checkIn } from '../../server/checkin/check-in.ts';
import { claimCheckIn, claimCheckInUnguarded } from '../../server/checkin/checkin-db.ts';
import { createApp } from '../../server/app.ts';
import { writeTransactions, openDatabase, type Db } from '../../server/platform/db/database.ts';
import { instanceSecret } from '../../server/platform/db/secrets.ts';
import { createUser } from '../../server/console/accounts.ts';
import { ticketQrPayload } from '../../server/tickets/ticket-code.ts';
import { type Client, CONSOLE_ORIGIN, consoleWorld, eventThroughApi } from '../support/console-world.ts';
import { queryPlans, readsWhole } from '../support/query-plans.ts';
import { testEngine } from '../support/databases.ts';

type World = Awaited<ReturnType<typeof consoleWorld>>;

async function door() {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const { client: owner } = await w.signIn(a.email, a.password);
  const { key } = await w.apiKey(a.organizerId);
  const show = await eventThroughApi(owner, w.clock, 'hamlet');
  const secret = await instanceSecret(w.db, 'tickets');
  const qr = (code: string) => ticketQrPayload(secret, code);
  /** A box-office order (reserved until paid at the desk), paid unless asked not to. */
  const order = async (name: string, o: { quantity?: number; paid?: boolean; performanceId?: string } = {}) => {
    const auth = { authorization: `Bearer ${key}` };
    const cart = await w.request(
      'POST',
      '/api/v1/carts',
      { performanceId: o.performanceId ?? show.performance.id, items: [{ ticketTypeId: show.ticketType.id, quantity: o.quantity ?? 1 }] },
      auth,
    );
    const token = { authorization: `Bearer ${cart.body.token}` };
    await w.request('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: `${name.replace(/[^A-Za-z]/g, '').toLowerCase()}@example.com`, name } }, token);
    const done = await w.request('POST', `/api/v1/carts/${cart.body.id}/checkout`, {}, token);
    expect(done.status).toBe(201);
    const made = done.body.order as { id: string; number: string; tickets: { code: string }[] };
    if (o.paid !== false) expect((await owner('POST', `/orders/${made.id}/mark-paid`)).status).toBe(200);
    return { ...made, payloads: made.tickets.map((t) => qr(t.code)) };
  };
  const scan = (client: Client, payload: string, extra: Record<string, unknown> = {}) =>
    client('POST', '/check-in', { payload, performanceId: show.performance.id, ...extra });
  return { w, a, owner, key, show, secret, qr, order, scan };
}

test('every answer: valid, already used, not valid (reserved until paid, cancelled, refunded, expired), wrong performance, unknown', async () => {
  const { w, a, owner, show, qr, order, scan } = await door();
  const anna = await order('Anna Karenina', { quantity: 2 });

  const first = await scan(owner, anna.payloads[0]!, { deviceId: 'door-1' });
  expect(first.status).toBe(200);
  expect(first.body).toEqual({
    result: 'valid',
    ticket: { ticketType: 'Stalls', buyerName: 'Anna Karenina', orderNumber: anna.number },
    checkedInAt: w.clock.now().toISOString(),
  });
  // Typed by hand: lower case, spaces and dashes are the same ticket.
  w.clock.advance(2);
  const typed = anna.payloads[0]!.toLowerCase().replace(/(.{5})/g, '$1 ');
  expect((await scan(owner, typed, { deviceId: 'door-2' })).body).toMatchObject({
    result: 'already_used',
    checkedInAt: first.body.checkedInAt,
    by: a.email,
    deviceId: 'door-1',
  });
  // The order's other ticket is its own.
  expect((await scan(owner, anna.payloads[1]!)).body.result).toBe('valid');

  const reserved = await order('Boris Godunov', { paid: false });
  expect((await scan(owner, reserved.payloads[0]!)).body).toMatchObject({
    result: 'not_valid',
    reason: 'reserved',
    order: { id: reserved.id, number: reserved.number },
  });
  expect((await owner('POST', `/orders/${reserved.id}/mark-paid`)).status).toBe(200);
  expect((await scan(owner, reserved.payloads[0]!)).body.result).toBe('valid');

  const cancelled = await order('Chatsky', { paid: false });
  expect((await owner('POST', `/orders/${cancelled.id}/cancel`)).status).toBe(200);
  expect((await scan(owner, cancelled.payloads[0]!)).body).toMatchObject({ result: 'not_valid', reason: 'cancelled' });

  const refunded = await order('Dorian Gray');
  expect((await owner('POST', `/orders/${refunded.id}/refunds`, {})).status).toBe(201);
  expect((await scan(owner, refunded.payloads[0]!)).body).toMatchObject({ result: 'not_valid', reason: 'refunded' });

  // A reservation nobody paid for runs out (the expiry job's state; set directly here).
  const lapsed = await order('Eugene Onegin', { paid: false });
  await w.db.updateTable('orders').set({ status: 'expired' }).where('id', '=', lapsed.id).execute();
  expect((await scan(owner, lapsed.payloads[0]!)).body).toMatchObject({ result: 'not_valid', reason: 'expired' });

  const tomorrow = await owner('POST', `/events/${show.event.id}/performances`, {
    startsAt: new Date(w.clock.now().getTime() + 4 * 86_400_000).toISOString(),
  });
  const elsewhen = await order('Faust', { performanceId: tomorrow.body.id });
  expect((await scan(owner, elsewhen.payloads[0]!)).body).toMatchObject({
    result: 'wrong_performance',
    performance: { id: tomorrow.body.id, startsAt: tomorrow.body.startsAt, eventTitle: 'Title of hamlet' },
  });

  // Forged: a real code with a made-up check; an altered code; a well-formed payload of no ticket; garbage.
  const code = anna.tickets[0]!.code;
  const forged = `ENC1.${code}.${'A'.repeat(12)}`;
  const altered = qr(code).replace(`.${code}.`, `.${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}.`);
  const noSuch = qr('0'.repeat(26));
  for (const payload of [forged, altered, noSuch, 'hello', '']) expect((await scan(owner, payload)).body).toEqual({ result: 'unknown' });

  expect((await owner('POST', '/check-in', { payload: anna.payloads[0], performanceId: 'perf_nope' })).status).toBe(404);
  expect((await owner('POST', '/check-in', { performanceId: show.performance.id })).status).toBe(400);
});

test('undo: the ticket admits again; history says who; undoing what is not checked in is 404', async () => {
  const { w, a, owner, order, scan } = await door();
  const anna = await order('Anna Karenina');
  expect((await scan(owner, anna.payloads[0]!)).body.result).toBe('valid');
  expect((await owner('POST', '/check-in/undo', { payload: anna.payloads[0] })).body).toEqual({ result: 'undone' });
  expect((await owner('POST', '/check-in/undo', { payload: anna.payloads[0] })).status).toBe(404);
  w.clock.advance(1);
  expect((await scan(owner, anna.payloads[0]!)).body.result).toBe('valid');
  const history = (await owner('GET', `/orders/${anna.id}/history`)).body.history as { action: string; actor: string }[];
  expect(history.filter((e) => e.action.includes('check')).map((e) => [e.action, e.actor])).toEqual([
    ['checked_in', a.email],
    ['check_in_undone', a.email],
    ['checked_in', a.email],
  ]);
});

test('offline scans synced later: the first scan in time is kept, and a door that admitted a ticket another had already let in is told; a future time counts as now', async () => {
  const { w, owner, order, scan } = await door();
  const anna = await order('Anna Karenina');
  const offlineAt = w.clock.now().toISOString();
  w.clock.advance(1);
  // Door 2 is online and scans a minute after door 1 scanned offline.
  expect((await scan(owner, anna.payloads[0]!, { deviceId: 'door-2' })).body.result).toBe('valid');
  w.clock.advance(5);
  // Door 1 syncs its earlier scan: the record keeps the first time, and door 1 is told the ticket
  // was also let in at door 2 (two people on one ticket), not a plain "valid".
  const synced = await scan(owner, anna.payloads[0]!, { deviceId: 'door-1', scannedAt: offlineAt });
  expect(synced.body).toMatchObject({ result: 'already_used', deviceId: 'door-2' });
  const again = await scan(owner, anna.payloads[0]!, { deviceId: 'door-3', scannedAt: w.clock.now().toISOString() });
  expect(again.body).toMatchObject({ result: 'already_used', checkedInAt: offlineAt, deviceId: 'door-1' });

  const boris = await order('Boris Godunov');
  const future = new Date(w.clock.now().getTime() + 3_600_000).toISOString();
  expect((await scan(owner, boris.payloads[0]!, { scannedAt: future })).body.checkedInAt).toBe(w.clock.now().toISOString());
});

test('the preload list: a hash per ticket with its state, no buyer names; counts per type; CSV formula-safe', async () => {
  const { w, owner, key, show, order, scan } = await door();
  const anna = await order('=HYPERLINK("http://evil.example","Anna")', { quantity: 2 });
  const boris = await order('Boris Godunov', { paid: false });
  await scan(owner, anna.payloads[0]!, { deviceId: 'door-1' });

  const list = await owner('GET', `/performances/${show.performance.id}/check-in-list`);
  expect(list.status).toBe(200);
  const hash = (p: string) => createHash('sha256').update(p).digest().subarray(0, 16).toString('base64url');
  const state = (p: string) => list.body.tickets.find((t: { hash: string }) => t.hash === hash(p));
  expect(state(anna.payloads[0]!)).toMatchObject({ state: 'used', ticketTypeId: show.ticketType.id, usedAt: w.clock.now().toISOString() });
  expect(state(anna.payloads[1]!)).toMatchObject({ state: 'valid', usedAt: null });
  expect(state(boris.payloads[0]!)).toMatchObject({ state: 'reserved' });
  const text = JSON.stringify(list.body);
  for (const secretish of ['Anna', 'Boris', 'example.com', anna.tickets[0]!.code, boris.tickets[0]!.code]) expect(text).not.toContain(secretish);
  expect(list.body.counts).toEqual({ valid: 2, checkedIn: 1, byType: [{ id: show.ticketType.id, name: 'Stalls', valid: 2, checkedIn: 1 }] });
  expect((await owner('GET', `/performances/${show.performance.id}/check-in-counts`)).body).toEqual(list.body.counts);
  expect((await owner('GET', `/events/${show.event.id}/check-in-counts`)).body).toEqual({
    performances: [{ id: show.performance.id, valid: 2, checkedIn: 1 }],
  });

  const csv = await w.app.request(`/api/console/v1/performances/${show.performance.id}/check-ins.csv`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(csv.headers.get('content-type')).toContain('text/csv');
  const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
  expect(body.startsWith('\uFEFFscanned_at,recorded_at,ticket_code,ticket_type,order_number,order_status,buyer_name,checked_in_by,device\r\n')).toBe(true);
  const rows = body.slice(1).trim().split('\r\n');
  expect(rows).toHaveLength(2);
  expect(rows[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""Anna"")",`);
  expect(rows[1]).toContain(`${anna.tickets[0]!.code},Stalls,${anna.number},paid,`);
});

test('the box office checks in; another organizer sees none of it: their scan of our ticket is unknown, our lists 404', async () => {
  const { w, a, owner, show, order, scan } = await door();
  await createUser(
    w.db,
    a.organizerId,
    { email: 'cashier@theatre.example', password: 'cashier-password-1', name: 'Cashier', locale: 'en', role: 'box_office' },
    w.clock.now(),
  );
  const { client: cashier, cookie } = await w.signIn('cashier@theatre.example', 'cashier-password-1');
  const anna = await order('Anna Karenina');
  const boris = await order('Boris Godunov');
  expect((await scan(cashier, anna.payloads[0]!)).body).toMatchObject({ result: 'valid' });
  expect((await scan(cashier, anna.payloads[0]!)).body).toMatchObject({ result: 'already_used', by: 'cashier@theatre.example' });
  for (const path of ['check-in-list', 'check-in-counts', 'check-ins.csv']) {
    const res = await w.app.request(`/api/console/v1/performances/${show.performance.id}/${path}`, { headers: { cookie } });
    expect(res.status).toBe(200);
  }
  expect((await cashier('POST', '/check-in/undo', { payload: anna.payloads[0] })).status).toBe(200);
  expect((await cashier('GET', '/stats')).status).toBe(403);

  const b = await w.organizer('Other stage');
  const { client: other, cookie: otherCookie } = await w.signIn(b.email, b.password);
  const theirs = await eventThroughApi(other, w.clock, 'lear');
  expect((await other('POST', '/check-in', { payload: boris.payloads[0], performanceId: theirs.performance.id })).body).toEqual({ result: 'unknown' });
  expect((await other('POST', '/check-in', { payload: boris.payloads[0], performanceId: show.performance.id })).status).toBe(404);
  expect((await other('POST', '/check-in/undo', { payload: boris.payloads[0] })).status).toBe(404);
  for (const path of ['check-in-list', 'check-in-counts', 'check-ins.csv'])
    expect((await w.app.request(`/api/console/v1/performances/${show.performance.id}/${path}`, { headers: { cookie: otherCookie } })).status).toBe(404);
  expect((await other('GET', `/events/${show.event.id}/check-in-counts`)).body).toEqual({ performances: [] });
  // Ours is untouched: Boris is still admitted once.
  expect((await scan(owner, boris.payloads[0]!)).body.result).toBe('valid');
});

test('a runaway client is stopped: 600 scans a minute, then 429 until the minute has passed', async () => {
  const { w, owner, qr } = await door();
  const show = await w.db.selectFrom('performances').select('id').executeTakeFirstOrThrow();
  const junk = qr('1'.repeat(26));
  for (let i = 0; i < 600; i++) {
    const r = await owner('POST', '/check-in', { payload: junk, performanceId: show.id });
    if (r.status !== 200) throw new Error(`scan ${i}: ${r.status}`);
  }
  const refused = await owner('POST', '/check-in', { payload: junk, performanceId: show.id });
  expect(refused.status).toBe(429);
  expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS');
  w.clock.advance(1.01);
  expect((await owner('POST', '/check-in', { payload: junk, performanceId: show.id })).status).toBe(200);
});

/** Two instances on one database file, each with a door scanning the same tickets at once. */
async function twoDoors(w: World) {
  const second = openDatabase(w.path);
  const app2 = createApp({ db: second, now: w.clock.now, consoleOrigin: CONSOLE_ORIGIN, publicBaseUrl: CONSOLE_ORIGIN });
  return { second, app2 };
}

test('two devices scanning the same ticket at once, on two instances: exactly one valid per ticket', async () => {
  const { w, key, show, order } = await door();
  const tickets = (await order('Anna Karenina', { quantity: 6 })).payloads;
  const { second, app2 } = await twoDoors(w);
  const post = async (app: typeof w.app, payload: string, deviceId: string) => {
    const res = await app.request('/api/console/v1/check-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ payload, performanceId: show.performance.id, deviceId }),
    });
    return (await res.json()) as { result: string };
  };
  const answers = await Promise.all(tickets.flatMap((p) => [post(w.app, p, 'door-1'), post(app2, p, 'door-2'), post(w.app, p, 'door-3')]));
  for (let i = 0; i < tickets.length; i++) {
    const mine = answers.slice(i * 3, i * 3 + 3).map((a) => a.result);
    expect(mine.filter((r) => r === 'valid')).toHaveLength(1);
    expect(mine.filter((r) => r === 'already_used')).toHaveLength(2);
  }
  await second.destroy();
});

/** Scans every ticket from three doors at once through the domain, with the given claim. */
async function rush(db: Db, w: World, organizerId: string, performanceId: string, secret: string, payloads: string[], claim = claimCheckIn) {
  const store = { db, tx: writeTransactions(db), now: w.clock.now };
  const one = (payload: string, deviceId: string) => checkIn(store, { organizerId, actor: 'test', secret, payload, performanceId, deviceId }, claim);
  const answers = await Promise.all(payloads.flatMap((p) => [one(p, 'door-1'), one(p, 'door-2'), one(p, 'door-3')]));
  return payloads.map((_, i) => answers.slice(i * 3, i * 3 + 3).filter((a) => a.result === 'valid').length);
}

test('the same rush through the domain admits each ticket once; control: without the guard the same tickets are admitted more than once', async () => {
  const { w, a, show, secret, order } = await door();
  const guarded = (await order('Anna Karenina', { quantity: 5 })).payloads;
  const unguarded = (await order('Boris Godunov', { quantity: 5 })).payloads;
  expect(await rush(w.db, w, a.organizerId, show.performance.id, secret, guarded)).toEqual([1, 1, 1, 1, 1]);
  const valids = await rush(w.db, w, a.organizerId, show.performance.id, secret, unguarded, claimCheckInUnguarded);
  console.info(`without the guard, valid answers per ticket: ${valids.join(' ')}`);
  expect(Math.max(...valids)).toBeGreaterThan(1);
});

test('plans: the check-in lookups find the ticket by its code and a performance’s tickets and check-ins by index', async () => {
  const { w, key, show, order } = await door();
  const anna = await order('Anna Karenina', { quantity: 2 });
  const statements = new Map<string, readonly unknown[]>();
  const recording = openDatabase(w.path, {
    onQuery: (sql, p) => void (!/^\s*(begin|commit|rollback|pragma|savepoint|release)/i.test(sql) && statements.set(sql, p)),
  });
  const app = createApp({ db: recording, now: w.clock.now, consoleOrigin: CONSOLE_ORIGIN, publicBaseUrl: CONSOLE_ORIGIN });
  const call = (method: string, path: string, body?: unknown) =>
    app.request(`/api/console/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const perf = show.performance.id;
  for (const payload of [anna.payloads[0], anna.payloads[0], anna.payloads[1]]) await call('POST', '/check-in', { payload, performanceId: perf });
  await call('POST', '/check-in/undo', { payload: anna.payloads[1] });
  for (const path of [
    `/performances/${perf}/check-in-list`,
    `/performances/${perf}/check-in-counts`,
    `/performances/${perf}/check-ins.csv`,
    `/events/${show.event.id}/check-in-counts`,
  ])
    expect((await call('GET', path)).status).toBe(200);
  await recording.destroy();

  const plans = (await queryPlans(w.path, statements)).filter((p) => /tickets|checkins/.test(p.sql));
  expect(plans.length).toBeGreaterThanOrEqual(6);
  const byCode = plans.find((p) => /"tickets"\."code" = (\?|\$\d+)/.test(p.sql))!;
  expect(byCode.detail.join('\n')).toMatch(
    testEngine === 'sqlite' ? /SEARCH tickets USING INDEX sqlite_autoindex_tickets_\d \(code=\?\)/ : /Index Scan tickets using \w+ \(code = /,
  );
  const scanning = plans
    .filter((p) => p.scans.length > 0 || p.detail.some((d) => readsWhole('checkins').test(d)))
    .map((p) => `${p.sql}\n  ${p.detail.join('\n  ')}`);
  expect(scanning).toEqual([]);
});

test('stats count attendance: check-ins on the day of the scan, per performance, event and in total, and in the CSV', async () => {
  const { w, owner, key, show, order, scan } = await door();
  const anna = await order('Anna Karenina', { quantity: 2 });
  await scan(owner, anna.payloads[0]!);
  await scan(owner, anna.payloads[1]!);
  await scan(owner, anna.payloads[1]!);
  const stats = (await owner('GET', '/stats?from=2026-12-01&to=2026-12-02')).body;
  expect(stats.totals.attendance).toBe(2);
  expect(stats.byEvent[0].attendance).toBe(2);
  expect(stats.byPerformance).toMatchObject([{ performanceId: show.performance.id, attendance: 2 }]);
  expect(stats.daily.map((d: { attendance: number }) => d.attendance)).toEqual([2, 0]);
  const csv = await w.app.request('/api/console/v1/stats?from=2026-12-01&to=2026-12-02&format=csv', { headers: { authorization: `Bearer ${key}` } });
  const [header, total] = (await csv.text()).split('\r\n');
  expect(header!.endsWith(',attendance')).toBe(true);
  expect(total!.endsWith(',2')).toBe(true);
});
