// The mail outbox as the worker sees it: claim due rows under a lease, then record what
// happened to each. Enqueueing lives with the reminder series (db/recovery.ts).
//
// A claim bumps `attempts`; every later mark requires the row to still be 'sending' with that
// same attempt number. If a slow worker's lease ran out and another worker re-claimed the row,
// the slow one's mark is then a no-op instead of overwriting the newer outcome.
import type { Selectable } from 'kysely';
import type { Db } from './database.ts';
import type { OutboxTable } from './schema.ts';

export type OutboxRow = Selectable<OutboxTable>;

const byDue = (a: Pick<OutboxRow, 'due_at' | 'id'>, b: Pick<OutboxRow, 'due_at' | 'id'>) => a.due_at.localeCompare(b.due_at) || a.id.localeCompare(b.id);

/** Run inside a write transaction, so two workers cannot claim the same row.
 *
 * Two walks of the outbox_due index, each stopping after `limit` rows: pending rows that are due,
 * in due order, and rows whose worker's lease ran out (only rows in flight are 'sending', so that
 * range is small). One OR query over both would gather and sort the whole due backlog on every
 * claim. */
export async function claimDueOutbox(trx: Db, o: { now: string; leaseUntil: string; limit: number }): Promise<OutboxRow[]> {
  const pending = await trx
    .selectFrom('outbox')
    .select(['id', 'due_at'])
    .where('status', '=', 'pending')
    .where('due_at', '<=', o.now)
    .orderBy('due_at') // ties in index order: sorting them by id would read every row due at that instant
    .limit(o.limit)
    .execute();
  const abandoned = await trx
    .selectFrom('outbox')
    .select(['id', 'due_at'])
    .where('status', '=', 'sending')
    .where('lease_until', '<=', o.now)
    .orderBy('due_at')
    .orderBy('id')
    .limit(o.limit)
    .execute();
  const due = [...pending, ...abandoned].sort(byDue).slice(0, o.limit);
  if (due.length === 0) return [];
  const claimed = await trx
    .updateTable('outbox')
    .set((eb) => ({ status: 'sending', lease_until: o.leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where(
      'id',
      'in',
      due.map((r) => r.id),
    )
    .returningAll()
    .execute();
  return claimed.sort(byDue);
}

type Claim = Pick<OutboxRow, 'id' | 'attempts'>;

function markClaimed(db: Db, claim: Claim, changes: Partial<OutboxRow>) {
  return db
    .updateTable('outbox')
    .set({ ...changes, lease_until: null })
    .where('id', '=', claim.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claim.attempts)
    .execute();
}

export function markOutboxSent(db: Db, claim: Claim, o: { sentAt: string; messageId: string }) {
  return markClaimed(db, claim, { status: 'sent', sent_at: o.sentAt, message_id: o.messageId, last_error: null });
}

export function markOutboxRetry(db: Db, claim: Claim, o: { dueAt: string; error: string }) {
  return markClaimed(db, claim, { status: 'pending', due_at: o.dueAt, last_error: o.error });
}

export function markOutboxFailed(db: Db, claim: Claim, error: string) {
  return markClaimed(db, claim, { status: 'failed', last_error: error });
}

export function markOutboxCancelled(db: Db, claim: Claim, reason: string) {
  return markClaimed(db, claim, { status: 'cancelled', last_error: reason });
}

/** Gives back a claimed row that was not tried, without counting the claim as an attempt. */
export function releaseOutboxClaim(db: Db, claim: Claim) {
  return db
    .updateTable('outbox')
    .set((eb) => ({ status: 'pending', lease_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', '=', claim.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', claim.attempts)
    .execute();
}
