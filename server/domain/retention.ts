// Buyer details on carts that never became orders are kept only for the organizer's retention
// period. Counts stay: the carts, their abandonment, series, clicks and outbox rows remain.
import { eraseCartPii, listOrganizers } from '../db/recovery.ts';
import { parseRecoverySettings } from './recovery-settings.ts';
import type { Store } from './store.ts';

export async function eraseExpiredBuyerDetails(store: Store): Promise<number> {
  let erased = 0;
  for (const organizer of await listOrganizers(store.db)) {
    const days = parseRecoverySettings(organizer.settings).retentionDays;
    const now = store.now();
    const before = new Date(now.getTime() - days * 86_400_000).toISOString();
    erased += await store.tx((trx) => eraseCartPii(trx, organizer.id, before, now.toISOString()));
  }
  return erased;
}
