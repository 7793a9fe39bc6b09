// Delivers the mail outbox. Rows are claimed under a lease in one write transaction, then sent
// one at a time, each marked right after its send — so a crash re-sends at most the message
// that was in flight, and a row whose worker died is picked up again when its lease runs out.
//
// Several workers (processes) may share the database: the claim is atomic, and a mark only
// applies while the row still carries the claim's attempt number (see db/outbox.ts).
import type { Db, WriteTransaction } from '../db/database.ts';
import {
  claimDueOutbox,
  markOutboxCancelled,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  releaseOutboxClaim,
  type OutboxRow,
} from '../db/outbox.ts';
import { isPermanentFailure, type MailTransport } from './transport.ts';

export type { OutboxRow };

/** What the domain makes of a claimed row: a reason not to send it (bought, unsubscribed,
 * performance over…) or the message. Called at claim time, right before the send. */
export type Prepared =
  | { skip: string }
  | { message: { to: string; subject: string; html: string; text: string; headers: Record<string, string> } };

export interface OutboxWorkerDeps {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  transport: MailTransport;
  from: string;
  prepare: (row: OutboxRow) => Promise<Prepared>;
  batchSize?: number;
  /** Must exceed twice the longest single send (the transport's timeouts add up to ~50 s). */
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

export const outboxMessageId = (rowId: string) => `<${rowId}@encore>`;

function describe(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const prefix = e?.responseCode ?? e?.code;
  return `${prefix ? `${prefix} ` : ''}${e?.message ?? String(error)}`.slice(0, 500);
}

export function createOutboxWorker(deps: OutboxWorkerDeps) {
  const batchSize = deps.batchSize ?? 10;
  const leaseMs = (deps.leaseSeconds ?? 300) * 1000;
  const log = deps.log ?? ((line: string) => console.log(line));
  const at = (ms: number) => new Date(deps.now().getTime() + ms).toISOString();

  async function deliver(row: OutboxRow, result: RunResult) {
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
      return;
    }
    const messageId = outboxMessageId(row.id);
    try {
      await deps.transport.sendMail({ ...prepared.message, from: deps.from, messageId, date: deps.now() });
    } catch (error) {
      return fail(row, error, result, isPermanentFailure(error));
    }
    await markOutboxSent(deps.db, row, { sentAt: deps.now().toISOString(), messageId });
    result.sent += 1;
  }

  async function fail(row: OutboxRow, error: unknown, result: RunResult, permanent: boolean) {
    const reason = describe(error);
    if (permanent || row.attempts >= MAX_ATTEMPTS) {
      await markOutboxFailed(deps.db, row, reason);
      result.failed += 1;
      log(`outbox ${row.id}: failed after ${row.attempts} attempt(s): ${reason}`);
    } else {
      const wait = RETRY_MINUTES[row.attempts - 1]! * 60_000;
      await markOutboxRetry(deps.db, row, { dueAt: at(wait), error: reason });
      result.retried += 1;
      log(`outbox ${row.id}: attempt ${row.attempts} failed, retrying in ${wait / 60_000} min: ${reason}`);
    }
  }

  async function runOnce(): Promise<RunResult> {
    const startedAt = deps.now();
    const leaseUntil = new Date(startedAt.getTime() + leaseMs);
    const rows = await deps.tx((trx) =>
      claimDueOutbox(trx, { now: startedAt.toISOString(), leaseUntil: leaseUntil.toISOString(), limit: batchSize }),
    );
    const result: RunResult = { claimed: rows.length, sent: 0, skipped: 0, retried: 0, failed: 0 };
    for (const [i, row] of rows.entries()) {
      // Past half the lease, another worker may soon take these rows: hand them back instead
      // of racing it into a duplicate send.
      if (leaseUntil.getTime() - deps.now().getTime() < leaseMs / 2) {
        for (const rest of rows.slice(i)) await releaseOutboxClaim(deps.db, rest);
        break;
      }
      await deliver(row, result);
    }
    return result;
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  function loop(intervalMs: number) {
    running = runOnce()
      .then((r) => (r.claimed === batchSize ? 0 : intervalMs))
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
    runOnce,
    /** Polls every `intervalMs`, and straight again while batches come back full. */
    start(intervalMs: number) {
      if (!stopped) return;
      stopped = false;
      loop(intervalMs);
    },
    /** Resolves once the batch in progress (if any) is finished and marked. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
