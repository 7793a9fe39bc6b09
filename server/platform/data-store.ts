import type { Db, WriteTransaction } from './db/database.ts';

/** What code is given instead of reaching for globals: the database, how to write atomically,
 * and the clock (tests move it instead of sleeping). Features get a Store (server/store.ts),
 * which adds what the features share. */
export interface DataStore {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  /** Between units of housekeeping (see jobs/give-way.ts); default: let ready I/O run. */
  giveWay?: () => Promise<void>;
}
