import type { Payments } from './payments/provider.ts';
import type { DataStore } from './platform/data-store.ts';

/** What feature code is given instead of reaching for globals: the platform's DataStore (the
 * database, atomic writes, the clock) and the payment providers this instance offers. */
export interface Store extends DataStore {
  /** Without them every paid order is for the box office. */
  payments?: Payments;
}
