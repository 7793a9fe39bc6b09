// The one worker of the job queue. Each registered kind drains on its own: its own claims, its
// own lanes (the handler's concurrency), its own polling loop — so a slow kind (a webhook
// endpoint taking seconds to answer) never holds up another (mail).
//
// A drain claims a batch under a lease in one write transaction (platform/jobs/jobs-db.ts says how the claim
// excludes other workers); lanes each take the next claimed job, run it and mark it right after,
// so a crash redoes at most the jobs in flight (one per lane), and a job whose worker died is
// claimed again once its lease runs out. A drain keeps claiming while jobs are due, until its
// time budget is spent, so a backlog goes out at the handler's speed, not a batch per tick.
import { randomBytes } from 'node:crypto';
import type { Db, WriteTransaction } from '../db/database.ts';
import { claimJobs, markJob, releaseJob, type JobKind, type JobRow } from './jobs-db.ts';
import { type Job, JobError, type JobHandler, type JobOutcome } from './queue.ts';

export interface JobRunnerDeps {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  log?: (line: string) => void;
}

export interface DrainResult {
  claimed: number;
  done: number;
  cancelled: number;
  retried: number;
  failed: number;
}

function describe(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const prefix = error instanceof JobError ? undefined : (e?.responseCode ?? e?.code);
  return `${prefix ? `${prefix} ` : ''}${e?.message ?? String(error)}`.slice(0, 500);
}

const asJob = (row: JobRow): Job => ({
  id: row.id,
  kind: row.kind,
  dedupeKey: row.dedupe_key,
  payload: JSON.parse(row.payload),
  attempt: row.attempts,
  runAt: row.run_at,
});

export function createJobRunner(deps: JobRunnerDeps) {
  const handlers = new Map<JobKind, JobHandler>();
  const log = deps.log ?? ((line: string) => console.log(line));
  const iso = (ms: number) => new Date(ms).toISOString();

  async function mark(handler: JobHandler, row: JobRow, job: Job, outcome: JobOutcome): Promise<boolean> {
    const at = deps.now().toISOString();
    return deps.tx(async (trx) => {
      const mine = await markJob(
        trx,
        row,
        outcome.status === 'retry'
          ? { status: 'pending', error: outcome.error, runAt: outcome.runAt, at }
          : { status: outcome.status, error: outcome.status === 'done' ? null : outcome.status === 'cancelled' ? outcome.reason : outcome.error, at },
      );
      if (mine && handler.record) await handler.record(trx, job, outcome);
      return mine;
    });
  }

  async function runJob(handler: JobHandler, row: JobRow, result: DrainResult): Promise<JobOutcome['status']> {
    const job = asJob(row);
    let outcome: JobOutcome;
    try {
      const r = await handler.run(job);
      outcome = r && 'cancel' in r ? { status: 'cancelled', reason: r.cancel } : { status: 'done', detail: r?.detail };
    } catch (error) {
      const reason = describe(error);
      const detail = error instanceof JobError ? error.detail : undefined;
      const permanent = error instanceof JobError ? error.permanent : (handler.isPermanent?.(error) ?? false);
      if (permanent || job.attempt >= handler.maxAttempts) {
        outcome = { status: 'failed', error: reason, detail };
        log(`job ${job.kind} ${job.id}: failed after ${job.attempt} attempt(s): ${reason}`);
      } else {
        const wait = handler.backoff(job.attempt);
        outcome = { status: 'retry', error: reason, runAt: iso(deps.now().getTime() + wait), detail };
        log(`job ${job.kind} ${job.id}: attempt ${job.attempt} failed, retrying in ${wait / 60_000} min: ${reason}`);
      }
    }
    if (await mark(handler, row, job, outcome)) {
      const key = ({ done: 'done', cancelled: 'cancelled', retry: 'retried', failed: 'failed' } as const)[outcome.status];
      result[key] += 1;
    }
    return outcome.status;
  }

  /** One drain of one kind: claims a batch whenever the claimed jobs run out, while jobs are
   * due, the budget lasts and `stopping()` says no. `more`: the budget ended it, jobs perhaps still due. */
  async function drainKind(kind: JobKind, stopping: () => boolean = () => false): Promise<{ result: DrainResult; more: boolean }> {
    const handler = handlers.get(kind);
    if (!handler) throw new Error(`no handler registered for job kind ${kind}`);
    const batchSize = handler.batchSize ?? 20;
    const leaseMs = (handler.leaseSeconds ?? 300) * 1000;
    const drainMs = (handler.drainSeconds ?? 3) * 1000;
    const startedAt = deps.now().getTime();
    const result: DrainResult = { claimed: 0, done: 0, cancelled: 0, retried: 0, failed: 0 };
    const queue: { row: JobRow; leaseUntil: number }[] = [];
    let claiming: Promise<void> | null = null;
    let noMoreClaims = false;
    let handingBack = false;
    let broken = false;
    let more = false;
    let failuresInARow = 0;

    async function claim() {
      const now = deps.now().getTime();
      if (stopping() || now - startedAt >= drainMs) {
        more = !stopping();
        noMoreClaims = true;
        return;
      }
      const leaseUntil = now + leaseMs;
      const token = randomBytes(12).toString('base64url');
      const rows = await deps.tx((trx) => claimJobs(trx, { kind, now: iso(now), leaseUntil: iso(leaseUntil), token, limit: batchSize }));
      result.claimed += rows.length;
      queue.push(...rows.map((row) => ({ row, leaseUntil })));
      if (rows.length < batchSize) noMoreClaims = true;
    }

    /** Gives back the claimed jobs not yet started, without counting an attempt, and ends the drain. */
    async function handBack() {
      noMoreClaims = true;
      handingBack = true;
      const at = deps.now().toISOString();
      for (const { row } of queue.splice(0)) await releaseJob(deps.db, row, at);
    }

    // The lane that finds the queue empty claims the next batch while the others finish theirs.
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
        // Past half the lease, another worker may soon take these jobs: hand them back instead
        // of racing it into doing one twice.
        if (handingBack || next.leaseUntil - deps.now().getTime() < leaseMs / 2) {
          queue.unshift(next);
          return handBack();
        }
        const status = await runJob(handler!, next.row, result);
        if (status === 'done') failuresInARow = 0;
        if (status === 'retry') failuresInARow += 1;
        if (handler!.pauseAfterFailures && failuresInARow >= handler!.pauseAfterFailures) return handBack();
      }
    }

    const lanes = await Promise.allSettled(
      Array.from({ length: handler.concurrency ?? 1 }, () =>
        lane().catch((error: unknown) => {
          // The database refused a claim or a mark (busy past its timeout): end the drain once the
          // other lanes' jobs are marked. Jobs not started keep their claim until its lease runs out.
          broken = true;
          throw error;
        }),
      ),
    );
    const failure = lanes.find((l) => l.status === 'rejected');
    if (failure) throw failure.reason;
    return { result, more };
  }

  let stopped = true;
  let intervalMs = 5_000;
  const timers = new Map<JobKind, ReturnType<typeof setTimeout>>();
  const running = new Map<JobKind, Promise<unknown>>();

  /** A kind's own polling loop: straight on while its drain ran out of budget, else after the interval. */
  function loop(kind: JobKind) {
    const run = drainKind(kind, () => stopped)
      .then((r) => (r.more ? 0 : intervalMs))
      .catch((error) => {
        log(`job runner ${kind}: ${describe(error)}`);
        return intervalMs;
      })
      .then((wait) => {
        running.delete(kind);
        if (!stopped)
          timers.set(
            kind,
            setTimeout(() => loop(kind), wait),
          );
      });
    running.set(kind, run);
  }

  return {
    /** The handler of a kind; jobs of a kind without one stay queued until one is registered. */
    register(kind: JobKind, handler: JobHandler) {
      if (handlers.has(kind)) throw new Error(`job kind ${kind} already has a handler`);
      handlers.set(kind, handler);
      if (!stopped) loop(kind);
    },
    kinds: () => [...handlers.keys()],
    drainKind,
    /** Drains every registered kind once, side by side; per kind, what happened. */
    async drainOnce(): Promise<{ results: Partial<Record<JobKind, DrainResult>>; more: boolean }> {
      const kinds = [...handlers.keys()];
      const drained = await Promise.all(kinds.map((kind) => drainKind(kind)));
      return { results: Object.fromEntries(kinds.map((kind, i) => [kind, drained[i]!.result])), more: drained.some((d) => d.more) };
    },
    /** Each kind polls every `everyMs` on its own loop, and straight again when a drain ran out of budget. */
    start(everyMs: number) {
      if (!stopped) return;
      stopped = false;
      intervalMs = everyMs;
      for (const kind of handlers.keys()) loop(kind);
    },
    /** Claims nothing more, and resolves once the jobs already claimed are done and marked. */
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all(running.values());
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
