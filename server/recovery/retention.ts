// Buyer details on carts that never became orders are kept only for the organizer's retention
// period. Counts stay: the carts, their abandonment, series, clicks and outbox rows remain.
import { eraseCartPii, listOrganizers } from './recovery-db.ts';
import { checkpoint } from '../platform/db/database.ts';
import { scrubAbandonedCartEmails } from '../webhooks/webhooks-db.ts';
import { giveWay } from '../platform/jobs/give-way.ts';
import { parseRecoverySettings } from '../contracts/recovery-settings.ts';
import type { Store } from '../store.ts';

/** Carts erased per transaction; a round erases at most `perRound` and leaves the rest to the next. */
export async function eraseExpiredBuyerDetails(store: Store, batch = 200, perRound = 5_000): Promise<number> {
  let erased = 0;
  for (const organizer of await listOrganizers(store.db)) {
    const days = parseRecoverySettings(organizer.settings).retentionDays;
    while (erased < perRound) {
      const now = store.now();
      const before = new Date(now.getTime() - days * 86_400_000).toISOString();
      const n = await store.tx(async (trx) => {
        const carts = await eraseCartPii(trx, organizer.id, before, now.toISOString(), batch);
        await scrubAbandonedCartEmails(trx, organizer.id, carts);
        return carts.length;
      });
      erased += n;
      await (store.giveWay ?? giveWay)();
      if (n < batch) break;
    }
  }
  // SQLite keeps old page versions in the WAL until a checkpoint (secure_delete zeroes what is
  // freed in the pages themselves): copy the erased pages back and empty the WAL.
  if (erased > 0) await checkpoint(store.db);
  return erased;
}
