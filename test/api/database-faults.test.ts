// When the database cannot take a write — another process holds SQLite's lock past the wait, or
// the disk is full — a request that must write is answered 503 UNAVAILABLE with Retry-After
// (not a 500), reads go on, /health says writes fail and why until one succeeds, and the error
// that broke a shared transaction is the one every job of it sees.
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { immediateTransactions, writeTransactions, type Db, type WriteTransaction } from '../../server/platform/db/database.ts';
import { testEngine } from '../support/databases.ts';
import { bearer, SITE, world } from '../support/world.ts';

/** Fails every write with SQLite's "disk full" while `full.on`. */
function diskFull(db: Db, full: { on: boolean }): WriteTransaction {
  const tx = writeTransactions(db);
  const failing =
    <T>(run: (fn: Parameters<WriteTransaction>[0]) => Promise<T>) =>
    (fn: Parameters<WriteTransaction>[0]) => {
      if (!full.on) return run(fn);
      return Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    };
  return Object.assign(failing(tx) as WriteTransaction, { rehearse: tx.rehearse });
}

test('a full disk: writes are 503 with Retry-After, reads go on, /health reports it until a write succeeds', async () => {
  const full = { on: false };
  const w = await world({ tx: (db) => diskFull(db, full) });
  const cart = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] }, { origin: SITE });
  const auth = { ...bearer(cart.body.token), origin: SITE };
  expect((await w.call('GET', '/health')).body).toEqual({ ok: true });

  full.on = true;
  const refused = await w.call('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(refused.body.error.code).toBe('UNAVAILABLE');
  // The log names the cause.
  expect(w.logs.at(-1)).toContain('database or disk is full');
  expect((await w.call('GET', `/api/v1/events/${w.slug}`, undefined, { origin: SITE })).status).toBe(200);
  expect((await w.call('GET', `/api/v1/carts/${cart.body.id}`, undefined, auth)).status).toBe(200);
  const health = await w.call('GET', '/health');
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ ok: false, writes: { lastError: 'SQLITE_FULL: database or disk is full' } });

  full.on = false;
  expect((await w.call('PATCH', `/api/v1/carts/${cart.body.id}`, { buyer: { email: 'anna@example.com', name: 'Anna' } }, auth)).status).toBe(200);
  expect((await w.call('GET', '/health')).body).toEqual({ ok: true });
});

test.skipIf(testEngine === 'postgres')(
  "another process holding SQLite's write lock past the wait: 503 with Retry-After, the API keeps answering meanwhile",
  async () => {
    const w = await world({ capacity: 50 });
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const d = new (require('better-sqlite3'))(${JSON.stringify(w.path)}); d.exec('begin immediate'); console.log('locked'); setTimeout(() => d.exec('commit'), 7000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise((resolve) => holder.stdout!.once('data', resolve));
      const create = w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] }, { origin: SITE });
      // While that request waits for the lock, the process answers others at once.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const started = performance.now();
      expect((await w.call('GET', '/health')).status).toBe(200);
      expect((await w.call('GET', `/api/v1/events/${w.slug}`, undefined, { origin: SITE })).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(1000);
      const refused = await create;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body.error.code).toBe('UNAVAILABLE');
      expect((await w.call('GET', '/health')).body).toMatchObject({ ok: false, writes: { lastError: 'SQLITE_BUSY: database is locked' } });
    } finally {
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    const after = await w.call(
      'POST',
      '/api/v1/carts',
      { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }] },
      { origin: SITE },
    );
    expect(after.status).toBe(201);
    expect((await w.call('GET', '/health')).body).toEqual({ ok: true });
  },
  30_000,
);

test.skipIf(testEngine === 'postgres')('a job that breaks the shared transaction: the others see its error, not the failed rollback', async () => {
  const w = await world();
  const tx = immediateTransactions(w.db);
  const first = tx((trx) => trx.insertInto('rate_events').values({ scope: 'x', key: 'first', at: new Date().toISOString() }).execute());
  const breaking = tx(async (trx) => {
    // What SQLite does by itself on a full disk: the whole transaction is gone.
    await sql`rollback`.execute(trx);
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  });
  await expect(breaking).rejects.toThrow('database or disk is full');
  await expect(first).rejects.toThrow('database or disk is full');
  expect(await w.db.selectFrom('rate_events').select('key').execute()).toEqual([]);
});
