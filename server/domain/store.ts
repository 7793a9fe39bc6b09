import type { Db, WriteTransaction } from '../db/database.ts';
import type { Payments } from '../payments/lifecycle.ts';

/** What domain code is given instead of reaching for globals: the database, how to write
 * atomically, and the clock (tests move it instead of sleeping). */
export interface Store {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  /** Between units of housekeeping (see jobs/give-way.ts); default: let ready I/O run. */
  giveWay?: () => Promise<void>;
  /** The payment providers this instance offers; without them every paid order is for the box office. */
  payments?: Payments;
}
