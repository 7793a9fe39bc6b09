// Finished jobs are kept JOB_RETENTION_DAYS (for looking into what was sent and why) and then
// deleted, a bounded batch per round: the queue table stays the size of its recent past, not of
// its whole history.
import { deleteFinishedJobs } from './jobs-db.ts';
import type { DataStore } from '../data-store.ts';

export const JOB_RETENTION_DAYS = 30;

export async function deleteOldJobs(store: DataStore, batch = 500, perRound = 5_000): Promise<number> {
  let deleted = 0;
  while (deleted < perRound) {
    const before = new Date(store.now().getTime() - JOB_RETENTION_DAYS * 86_400_000).toISOString();
    const n = await store.tx((trx) => deleteFinishedJobs(trx, before, batch));
    deleted += n;
    if (n < batch) break;
    await store.giveWay?.();
  }
  return deleted;
}
