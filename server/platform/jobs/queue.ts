// The job queue as the rest of the server sees it: queue a job in your own transaction, and
// write a handler for its kind (registered on the runner, platform/jobs/runner.ts; loop.ts wires
// the handlers of a running process).
//
//   await enqueue(trx, { kind: 'order_mail', dedupeKey: `confirmation:${order.id}`, payload: { orderId }, now });
//   runner.register('order_mail', { run: async (job) => { …send… }, backoff: backoffMinutes([1, 5, 15]), maxAttempts: 6 });
import type { Db, Trx } from '../db/database.ts';
import { enqueueJobs, type JobKind, type NewJob } from './jobs-db.ts';
import { newId } from '../ids.ts';

export type { JobKind, NewJob };

/** A claimed job as its handler sees it. */
export interface Job<P = unknown> {
  id: string;
  kind: JobKind;
  dedupeKey: string | null;
  payload: P;
  /** This claim's number: 1 on the first try. */
  attempt: number;
  /** When it was due. */
  runAt: string;
}

/** Queues a job in the caller's transaction. Returns its id, or null when its dedupe key was
 * already queued for the kind (then nothing changes). */
export async function enqueue(trx: Trx, job: NewJob): Promise<string | null> {
  const [id] = await enqueueJobs(trx, [{ ...job, id: newId('job') }]);
  return id ?? null;
}

/** Several at once (one insert); returns the ids queued. */
export function enqueueMany(trx: Trx, jobs: NewJob[]): Promise<string[]> {
  return enqueueJobs(
    trx,
    jobs.map((j) => ({ ...j, id: newId('job') })),
  );
}

/**
 * What a handler throws to say how a failure goes on: `permanent` ends the job at once (an
 * address the server refuses); otherwise it is retried after the kind's backoff until its
 * attempts run out. `detail` reaches the handler's `record` (an HTTP status, say).
 */
export class JobError extends Error {
  readonly permanent: boolean;
  readonly detail: unknown;
  constructor(message: string, o: { permanent?: boolean; detail?: unknown } = {}) {
    super(message);
    this.name = 'JobError';
    this.permanent = o.permanent ?? false;
    this.detail = o.detail;
  }
}

/** What became of a claimed job; the handler's `record` gets it in the marking transaction. */
export type JobOutcome =
  | { status: 'done'; detail?: unknown }
  | { status: 'cancelled'; reason: string }
  | { status: 'retry'; error: string; runAt: string; detail?: unknown }
  | { status: 'failed'; error: string; detail?: unknown };

export interface JobHandler<P = unknown> {
  /** Does the job. Resolves: done (with `detail` for `record`), or `{ cancel }` with why it is not
   * to be done any more. Throws: a failure (see JobError; anything else is a temporary one). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler with nothing to say just returns
  run(job: Job<P>): Promise<void | { detail?: unknown } | { cancel: string }>;
  /**
   * Writes the outcome into the kind's own records (the reminder's outbox row, the webhook's
   * delivery log) in the transaction that marks the job — only when this worker still holds the
   * claim, so a worker whose lease ran out changes nothing.
   */
  record?(trx: Db, job: Job<P>, outcome: JobOutcome): Promise<void>;
  /** Milliseconds to wait after the `attempt`-th failure. */
  backoff(attempt: number): number;
  /** The failure of this attempt is final. */
  maxAttempts: number;
  /** Whether an error (not a JobError) is permanent; default: none is. */
  isPermanent?(error: unknown): boolean;
  /** Jobs of this kind run at once in this process (default 1). */
  concurrency?: number;
  /** Jobs per claim (default 20). */
  batchSize?: number;
  /** Must exceed twice the longest single run: a job starts only while half its lease is left,
   * and one still running when its lease ends may be taken over and done twice (default 300). */
  leaseSeconds?: number;
  /** How long one drain keeps claiming new batches, by `now()` (default 3). */
  drainSeconds?: number;
  /** Temporary failures in a row after which a drain hands its other claimed jobs back untried:
   * the other side is likely down, and going on would spend an attempt of every due job on it. */
  pauseAfterFailures?: number;
}

/** `minutes[n-1]` after the n-th failure; past the list, its last value. */
export const backoffMinutes =
  (minutes: number[]) =>
  (attempt: number): number =>
    minutes[Math.min(attempt, minutes.length) - 1]! * 60_000;
