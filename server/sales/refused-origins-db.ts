// Sites refused for an organizer (migration 0011): bumped in batches by sales/refused-origins.ts,
// read by the console.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/** How many sites are kept per organizer: the most recently seen. */
export const REFUSED_ORIGINS_KEPT = 10;

export interface RefusedOriginRow {
  organizer_id: string;
  origin: string;
  count: number;
  last_seen_at: string;
}

/** Adds the counts, then keeps each touched organizer's most recent REFUSED_ORIGINS_KEPT. */
export async function addRefusedOrigins(db: Db, rows: RefusedOriginRow[]): Promise<void> {
  await db
    .insertInto('refused_origins')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['organizer_id', 'origin']).doUpdateSet({
        count: sql`refused_origins.count + excluded.count`,
        last_seen_at: sql`case when excluded.last_seen_at > refused_origins.last_seen_at then excluded.last_seen_at else refused_origins.last_seen_at end`,
      }),
    )
    .execute();
  for (const organizerId of new Set(rows.map((r) => r.organizer_id))) {
    await db
      .deleteFrom('refused_origins')
      .where('organizer_id', '=', organizerId)
      .where(
        'origin',
        'not in',
        db.selectFrom('refused_origins').select('origin').where('organizer_id', '=', organizerId).orderBy('last_seen_at', 'desc').limit(REFUSED_ORIGINS_KEPT),
      )
      .execute();
  }
}

export function listRefusedOrigins(db: Db, organizerId: string) {
  return db
    .selectFrom('refused_origins')
    .select(['origin', 'count', 'last_seen_at'])
    .where('organizer_id', '=', organizerId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}
