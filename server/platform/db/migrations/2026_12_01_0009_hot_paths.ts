// Hot paths that must not grow with history. Each index here serves one query that used to walk
// old rows (EXPLAIN QUERY PLAN for all of them: bench/hot-paths.ts):
// - a checkout's attribution and the series it stops read one buyer's series, then those
//   series' outbox rows, instead of every sent or pending reminder;
// - an abandonment round reads carts whose idle time or hold has run out and are not yet marked
//   (partial indexes: only open, unmarked carts with items are in them), not every open cart;
// - retention reads open carts whose buyer details are still there, not every old cart;
// - three carts indexes nothing reads are dropped: each cart written changed them all.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('outbox_series_status').on('outbox').columns(['series_id', 'status', 'sent_at']).execute();
  await db.schema.dropIndex('outbox_series').execute();
  await db.schema.createIndex('reminder_series_email').on('reminder_series').columns(['email_hash', 'performance_id']).execute();
  await db.schema.createIndex('reminder_series_cart').on('reminder_series').column('cart_id').execute();

  // A cart with items always has a hold time (lapsed or not); an emptied cart has none and can
  // never be abandoned, so it stays out of both indexes however long it sits open.
  const waiting = sql<boolean>`status = 'open' and abandoned_at is null and hold_expires_at is not null`;
  await db.schema.createIndex('carts_abandon_idle').on('carts').columns(['organizer_id', 'last_activity_at']).where(waiting).execute();
  await db.schema.createIndex('carts_abandon_hold').on('carts').columns(['organizer_id', 'hold_expires_at']).where(waiting).execute();
  await db.schema.dropIndex('carts_abandonment_scan').execute();
  await db.schema
    .createIndex('carts_retention')
    .on('carts')
    .columns(['organizer_id', 'created_at'])
    .where(sql<boolean>`status = 'open' and pii_erased_at is null`)
    .execute();

  // Indexes no query reads any more, each one more page to change on every cart written:
  // holds are counted in inventory (0010), reminders find buyers by email hash, retention and
  // the stats read the indexes above and the per-performance ones.
  for (const name of ['carts_active_holds', 'carts_buyer_email', 'carts_stats_created']) {
    await db.schema.dropIndex(name).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('The hot-paths migration is not reversible');
}
