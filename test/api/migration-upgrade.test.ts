// A database from before the inventory counters (migrations up to 0008, written by that code:
// tickets sold and carts holding seats) upgrades to counters that say the same as the old sums.
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { migrate, migrations, openDatabase } from '../../server/platform/db/database.ts';
import { takenSeats } from '../../server/sales/inventory.ts';
import { makeEvent } from '../support/world.ts';

// Every migration released before the counters.
const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= '2026_11_27_0008_stats_speed'));

test('upgrading an existing database backfills sold and live holds into the counters', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'encore-upgrade-')), 'old.sqlite');
  const old = new Kysely<never>({ dialect: new SqliteDialect({ database: new SQLite(path) }) });
  await new Migrator({ db: old, provider: { getMigrations: async () => before } }).migrateToLatest();
  await old.destroy();

  const db = openDatabase(path);
  const now = new Date();
  // makeEvent writes organizer, event, performance and ticket types the way every version did.
  const fx = await makeEvent(db as never, now, { capacity: 50 });
  const raw = new SQLite(path);
  const cart = raw.prepare(`insert into carts (id, token_hash, organizer_id, event_id, performance_id, status, hold_started_at, hold_expires_at,
    consent, consent_mode, locale, created_at, last_activity_at) values (?, 'x', ?, ?, ?, ?, ?, ?, 0, 'opt-in', 'ru', ?, ?)`);
  const item = raw.prepare('insert into cart_items (cart_id, ticket_type_id, quantity, unit_price) values (?, ?, ?, 0)');
  const iso = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
  cart.run('crt_live', fx.organizerId, fx.eventId, fx.performanceId, 'open', iso(-5), iso(10), iso(-5), iso(-5));
  item.run('crt_live', fx.standard, 3);
  cart.run('crt_lapsed', fx.organizerId, fx.eventId, fx.performanceId, 'open', iso(-30), iso(-15), iso(-30), iso(-30));
  item.run('crt_lapsed', fx.standard, 4);
  cart.run('crt_done', fx.organizerId, fx.eventId, fx.performanceId, 'completed', null, null, iso(-60), iso(-60));
  raw
    .prepare(`insert into orders (id, number, organizer_id, event_id, performance_id, cart_id, buyer_email, buyer_name, total, currency, status,
      payment_method, created_at) values ('ord_1', 'E-1', ?, ?, ?, 'crt_done', 'a@example.com', 'A', 0, 'RUB', 'confirmed', 'free', ?)`)
    .run(fx.organizerId, fx.eventId, fx.performanceId, iso(-60));
  const ticket = raw.prepare(`insert into tickets (id, order_id, performance_id, ticket_type_id, code, price, created_at) values (?, 'ord_1', ?, ?, ?, 0, ?)`);
  for (const n of [1, 2]) ticket.run(`tkt_${n}`, fx.performanceId, fx.standard, `CODE${n}`, iso(-60));
  raw.close();

  await migrate(db);
  const taken = await takenSeats(db, [fx.performanceId], now.toISOString());
  expect(taken(fx.performanceId, fx.standard)).toBe(2 + 3);
  expect(await db.selectFrom('inventory').selectAll().execute()).toEqual([{ performance_id: fx.performanceId, ticket_type_id: fx.standard, sold: 2, held: 3 }]);
  // A confirmed free order needed no payment: it is paid (migration 0015).
  expect(await db.selectFrom('orders').select(['status', 'expires_at']).execute()).toEqual([{ status: 'paid', expires_at: null }]);
  await db.destroy();
});
