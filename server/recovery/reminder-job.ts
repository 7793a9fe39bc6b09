// Reminder emails as jobs of the queue (platform/jobs/runner.ts): each outbox row has a `reminder` job;
// its handler asks the domain what to send (or why not, right before sending: a purchase, an
// unsubscribe or a closed sale since the series began stops it), sends it with a deterministic
// Message-ID, and records the outcome on the outbox row in the marking transaction.
//
// Lanes: as many as the transport has connections, so a crash re-sends at most that many
// messages. After FAILURES_BEFORE_PAUSE temporary failures in a row the drain hands its other
// claimed rows back untried: the server is likely down.
import type { Db, Trx } from '../platform/db/database.ts';
import { findOutboxRow, recordOutboxOutcome, type OutboxRow } from './outbox-db.ts';
import { insertOutboxRows } from './recovery-db.ts';
import type { OutboxTable } from '../platform/db/schema.ts';
import type { Insertable } from 'kysely';
import { backoffMinutes, enqueueMany, type JobHandler } from '../platform/jobs/queue.ts';
import { type Sender, senderFields } from '../platform/mail/sender.ts';
import { isPermanentFailure, MAIL_CONNECTIONS, type MailTransport } from '../platform/mail/transport.ts';

export type { OutboxRow };

/** What the domain makes of a due row: a reason not to send it (bought, unsubscribed,
 * performance over…) or the message. Called right before the send. */
export type Prepared =
  | { skip: string }
  | {
      message: {
        to: string;
        subject: string;
        html: string;
        text: string;
        headers: Record<string, string>;
        /** The organizer the reminder is from (see sender.ts); absent, `from` as it is. */
        sender?: Sender;
      };
    };

/** Minutes to wait after the 1st, 2nd, … temporary failure; the 6th attempt's failure is final. */
export const RETRY_MINUTES = [1, 5, 15, 60, 240];
export const MAX_ATTEMPTS = RETRY_MINUTES.length + 1;
export const FAILURES_BEFORE_PAUSE = 5;

export const outboxMessageId = (rowId: string) => `<${rowId}@encore>`;

export interface ReminderPayload {
  outboxId: string;
}

/** Adds reminder rows and a job for each row added, in the caller's transaction. */
export async function queueReminders(trx: Trx, rows: Insertable<OutboxTable>[], now: Date) {
  const added = await insertOutboxRows(trx, rows);
  await enqueueMany(
    trx,
    added.map((r) => ({ kind: 'reminder' as const, dedupeKey: r.id, payload: { outboxId: r.id } satisfies ReminderPayload, runAt: r.due_at, now })),
  );
}

export interface ReminderHandlerDeps {
  db: Db;
  now: () => Date;
  transport: MailTransport;
  /** MAIL_FROM: the address reminders are sent from; the display name is the organizer's. */
  from: string;
  prepare: (row: OutboxRow) => Promise<Prepared>;
  /** Sends at once (default: the transport's MAIL_CONNECTIONS). */
  concurrency?: number;
  batchSize?: number;
  /** Must exceed twice the longest send (the transport's timeouts allow ~100 s; default 300). */
  leaseSeconds?: number;
  drainSeconds?: number;
}

export function createReminderHandler(deps: ReminderHandlerDeps): JobHandler<ReminderPayload> {
  return {
    concurrency: deps.concurrency ?? MAIL_CONNECTIONS,
    batchSize: deps.batchSize ?? 20,
    leaseSeconds: deps.leaseSeconds ?? 300,
    drainSeconds: deps.drainSeconds,
    pauseAfterFailures: FAILURES_BEFORE_PAUSE,
    backoff: backoffMinutes(RETRY_MINUTES),
    maxAttempts: MAX_ATTEMPTS,
    isPermanent: isPermanentFailure,

    async run(job) {
      const row = await findOutboxRow(deps.db, job.payload.outboxId);
      if (!row) return { cancel: 'reminder gone' };
      if (row.status !== 'pending') return { cancel: `reminder ${row.status}` };
      // A throw here (our bug, a busy database) is a temporary failure: tried again later.
      const prepared = await deps.prepare(row);
      if ('skip' in prepared) return { cancel: prepared.skip };
      const messageId = outboxMessageId(row.id);
      const { sender, ...message } = prepared.message;
      const at = deps.now();
      await deps.transport.sendMail({ ...message, ...(sender ? senderFields(deps.from, sender) : { from: deps.from }), messageId, date: at });
      return { detail: { messageId, at: at.toISOString() } };
    },

    async record(trx, job, outcome) {
      const id = job.payload.outboxId;
      if (outcome.status === 'done') {
        const sent = outcome.detail as { messageId: string; at: string };
        await recordOutboxOutcome(trx, id, job.attempt, { status: 'sent', at: sent.at, messageId: sent.messageId });
      } else if (outcome.status === 'retry') {
        await recordOutboxOutcome(trx, id, job.attempt, { status: 'pending', dueAt: outcome.runAt, error: outcome.error });
      } else if (outcome.status === 'failed') {
        await recordOutboxOutcome(trx, id, job.attempt, { status: 'failed', error: outcome.error });
      } else {
        await recordOutboxOutcome(trx, id, job.attempt, { status: 'cancelled', error: outcome.reason });
      }
    },
  };
}
