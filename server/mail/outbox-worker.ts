// Delivers the mail outbox. Rows are claimed under a lease in one write transaction; a few
// lanes (as many as the transport has connections) each take the next claimed row, send it and
// mark it right after its own send, so a crash re-sends at most the messages in flight (one per
// lane), and a row whose worker died is picked up again when its lease runs out.
//
// One run drains: it keeps claiming batches while rows are due, until its time budget is spent,
// so a backlog goes out at the speed of SMTP rather than one batch per polling tick, and the
// caller's other housekeeping still gets its turn.
//
// Several workers (processes) may share the database: the claim is atomic, and a mark only
// applies while the row still carries the claim's attempt number (see db/outbox.ts).
import type { Db, WriteTransaction } from '../db/database.ts';
import { claimDueOutbox, markOutboxCancelled, markOutboxFailed, markOutboxRetry, markOutboxSent, releaseOutboxClaim, type OutboxRow } from '../db/outbox.ts';
import { type Sender, senderFields } from './sender.ts';
import { isPermanentFailure, MAIL_CONNECTIONS, type MailTransport } from './transport.ts';

export type { OutboxRow };

/** What the domain makes of a claimed row: a reason not to send it (bought, unsubscribed,
 * performance over…) or the message. Called at claim time, right before the send. */
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

export interface OutboxWorkerDeps {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  transport: MailTransport;
  /** MAIL_FROM: the address reminders are sent from; the display name is the organizer's. */
  from: string;
  prepare: (row: OutboxRow) => Promise<Prepared>;
  /** Rows per claim (default 20). A claim is one write transaction; its rows wait under the
   * lease while the ones before them go out, and a run may overrun its budget by one claim. */
  batchSize?: number;
  /** Sends at once (default: the transport's MAIL_CONNECTIONS); also how many messages a crash
   * can send twice. */
  concurrency?: number;
  /** How long one run keeps claiming new batches, by `now()` (default 3 s, inside the recovery
   * loop's 5 s round). */
  drainSeconds?: number;
  /** Must exceed twice the longest single send (the transport's timeouts allow ~100 s): a send
   * starts only while half the lease is left, and a row still out when its lease ends may be
   * claimed again, by another worker or by this one's next claim, and sent twice. */
  leaseSeconds?: number;
  log?: (line: string) => void;
}

export interface RunResult {
  claimed: number;
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
}

/** Minutes to wait after the 1st, 2nd, … temporary failure; the 6th attempt's failure is final. */
export const RETRY_MINUTES = [1, 5, 15, 60, 240];
export const MAX_ATTEMPTS = RETRY_MINUTES.length + 1;

/** Temporary failures in a row (no send got through in between) after which a run stops and
 * hands its remaining claimed rows back: the server is likely down, and draining on would spend
 * an attempt of every due row on it. */
export const FAILURES_BEFORE_PAUSE = 5;

export const outboxMessageId = (rowId: string) => `<${rowId}@encore>`;

function describe(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const prefix = e?.responseCode ?? e?.code;
  return `${prefix ? `${prefix} ` : ''}${e?.message ?? String(error)}`.slice(0, 500);
}

type Outcome = 'sent' | 'skipped' | 'retried' | 'failed';

export function createOutboxWorker(deps: OutboxWorkerDeps) {
  const batchSize = deps.batchSize ?? 20;
  const concurrency = deps.concurrency ?? MAIL_CONNECTIONS;
  const leaseMs = (deps.leaseSeconds ?? 300) * 1000;
  const drainMs = (deps.drainSeconds ?? 3) * 1000;
  const log = deps.log ?? ((line: string) => console.log(line));
  const at = (ms: number) => new Date(deps.now().getTime() + ms).toISOString();

  async function deliver(row: OutboxRow, result: RunResult): Promise<Outcome> {
    let prepared: Prepared;
    try {
      prepared = await deps.prepare(row);
    } catch (error) {
      // Our own bug or a busy database: try again later rather than lose the reminder.
      return fail(row, error, result, false);
    }
    if ('skip' in prepared) {
      await markOutboxCancelled(deps.db, row, prepared.skip);
      result.skipped += 1;
      return 'skipped';
    }
    const messageId = outboxMessageId(row.id);
    const { sender, ...message } = prepared.message;
    try {
      await deps.transport.sendMail({ ...message, ...(sender ? senderFields(deps.from, sender) : { from: deps.from }), messageId, date: deps.now() });
    } catch (error) {
      return fail(row, error, result, isPermanentFailure(error));
    }
    await markOutboxSent(deps.db, row, { sentAt: deps.now().toISOString(), messageId });
    result.sent += 1;
    return 'sent';
  }

  async function fail(row: OutboxRow, error: unknown, result: RunResult, permanent: boolean): Promise<Outcome> {
    const reason = describe(error);
    if (permanent || row.attempts >= MAX_ATTEMPTS) {
      await markOutboxFailed(deps.db, row, reason);
      result.failed += 1;
      log(`outbox ${row.id}: failed after ${row.attempts} attempt(s): ${reason}`);
      return 'failed';
    }
    const wait = RETRY_MINUTES[row.attempts - 1]! * 60_000;
    await markOutboxRetry(deps.db, row, { dueAt: at(wait), error: reason });
    result.retried += 1;
    log(`outbox ${row.id}: attempt ${row.attempts} failed, retrying in ${wait / 60_000} min: ${reason}`);
    return 'retried';
  }

  /** One run: claims a batch whenever the claimed rows run out, while rows are due, the budget
   * lasts and `stopping()` says no. `more` says the budget ended it with rows perhaps still due. */
  async function drain(stopping: () => boolean): Promise<{ result: RunResult; more: boolean }> {
    const startedAt = deps.now().getTime();
    const result: RunResult = { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0 };
    const queue: { row: OutboxRow; leaseUntil: number }[] = [];
    let claiming: Promise<void> | null = null;
    let noMoreClaims = false;
    let handingBack = false;
    let broken = false;
    let more = false;
    let failuresInARow = 0;

    async function claim() {
      const now = deps.now();
      if (stopping() || now.getTime() - startedAt >= drainMs) {
        more = !stopping();
        noMoreClaims = true;
        return;
      }
      const leaseUntil = now.getTime() + leaseMs;
      const rows = await deps.tx((trx) => claimDueOutbox(trx, { now: now.toISOString(), leaseUntil: new Date(leaseUntil).toISOString(), limit: batchSize }));
      result.claimed += rows.length;
      queue.push(...rows.map((row) => ({ row, leaseUntil })));
      if (rows.length < batchSize) noMoreClaims = true;
    }

    /** Gives back the claimed rows not yet started (and those of a claim still under way), without
     * counting an attempt, and ends the run. */
    async function handBack() {
      noMoreClaims = true;
      handingBack = true;
      for (const { row } of queue.splice(0)) await releaseOutboxClaim(deps.db, row);
    }

    // Each lane sends one message at a time and marks it before taking the next row; the lane
    // that finds the queue empty claims the next batch while the others finish their sends.
    async function lane() {
      while (!broken) {
        const next = queue.shift();
        if (!next) {
          if (noMoreClaims) return;
          claiming ??= claim().finally(() => {
            claiming = null;
          });
          await claiming;
          continue;
        }
        // Past half the lease, another worker may soon take these rows: hand them back instead
        // of racing it into a duplicate send.
        if (handingBack || next.leaseUntil - deps.now().getTime() < leaseMs / 2) {
          queue.unshift(next);
          return handBack();
        }
        const outcome = await deliver(next.row, result);
        if (outcome === 'sent') failuresInARow = 0;
        if (outcome === 'retried') failuresInARow += 1;
        if (failuresInARow >= FAILURES_BEFORE_PAUSE) return handBack();
      }
    }

    const lanes = await Promise.allSettled(
      Array.from({ length: concurrency }, () =>
        lane().catch((error: unknown) => {
          // The database refused a claim or a mark (busy past its timeout): end the run once the
          // other lanes' sends are marked. Rows not started keep their claim until its lease runs out.
          broken = true;
          throw error;
        }),
      ),
    );
    const failure = lanes.find((l) => l.status === 'rejected');
    if (failure) throw failure.reason;
    return { result, more };
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  function loop(intervalMs: number) {
    running = drain(() => stopped)
      .then((r) => (r.more ? 0 : intervalMs))
      .catch((error) => {
        log(`outbox worker: ${describe(error)}`);
        return intervalMs;
      })
      .then((wait) => {
        running = null;
        if (!stopped) timer = setTimeout(() => loop(intervalMs), wait);
      });
  }

  return {
    /** Drains due rows (see drainSeconds) and returns what happened, summed over its batches. */
    runOnce: async (): Promise<RunResult> => (await drain(() => false)).result,
    /** runOnce, also saying whether the budget ended it with rows perhaps still due. */
    drainOnce: () => drain(() => false),
    /** Polls every `intervalMs`, and straight again when a run ran out of budget with rows due. */
    start(intervalMs: number) {
      if (!stopped) return;
      stopped = false;
      loop(intervalMs);
    },
    /** Claims nothing more, and resolves once the rows already claimed are sent and marked. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
