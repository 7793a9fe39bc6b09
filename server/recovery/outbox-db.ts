// The reminder outbox: one row per reminder email, the record the stats and the series read
// (sent_at, status). When a reminder goes out is the job queue's business (platform/jobs/jobs-db.ts: a
// `reminder` job per row, payload { outboxId }); the job's handler (recovery/reminder-job.ts) writes
// each outcome here in the transaction that marks the job, so only the worker holding the claim
// writes it. Queueing lives with the reminder series (recovery/recovery-db.ts).
import type { Selectable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { OutboxTable } from '../platform/db/schema.ts';

export type OutboxRow = Selectable<OutboxTable>;

export function findOutboxRow(db: Db, id: string) {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

type Outcome =
  | { status: 'sent'; at: string; messageId: string }
  | { status: 'pending'; dueAt: string; error: string }
  | { status: 'failed' | 'cancelled'; error: string };

/** Records a try of a reminder. A cancellation applies only to a row still pending: one the
 * series already cancelled keeps its own reason. */
export function recordOutboxOutcome(trx: Db, id: string, attempts: number, o: Outcome) {
  const changes =
    o.status === 'sent'
      ? { status: o.status, sent_at: o.at, message_id: o.messageId, last_error: null }
      : o.status === 'pending'
        ? { status: o.status, due_at: o.dueAt, last_error: o.error }
        : { status: o.status, last_error: o.error };
  let q = trx
    .updateTable('outbox')
    .set({ ...changes, attempts })
    .where('id', '=', id);
  if (o.status === 'cancelled') q = q.where('status', '=', 'pending');
  return q.execute();
}
