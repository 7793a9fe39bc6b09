// The job queue's storage: queueing in the caller's transaction, the claim, and the fenced marks.
// platform/jobs/runner.ts is the worker that uses them; it is the only claimer.
//
// How a claim excludes other workers: on SQLite the claim runs inside BEGIN IMMEDIATE (the
// runner's `tx`), so no other writer runs between its read and its update. On PostgreSQL the
// read is SELECT … FOR UPDATE SKIP LOCKED: each worker locks the rows it reads and passes over
// rows another worker's claim holds, so two workers claim different jobs at once instead of
// queueing behind each other. The update is also conditional — it takes a row only if it is
// still pending and due, or running with its lease run out — so a row that changed between the
// read and the update is never claimed twice. Each claim writes a fresh `lease_token`; every later mark requires it, so a worker whose
// lease ran out and whose job another worker took over cannot overwrite the newer outcome.
import { sql, type Selectable } from 'kysely';
import type { Db, Trx } from '../db/database.ts';
import { isPostgres } from '../db/engine.ts';
import type { JobKind, JobsTable } from '../db/schema.ts';

export type JobRow = Selectable<JobsTable>;
export type { JobKind };

export interface NewJob {
  kind: JobKind;
  /** Unique per kind: a job already queued under this key (in any status) keeps it, nothing new is queued. */
  dedupeKey?: string;
  /** Stored as JSON; what the kind's handler reads. */
  payload: unknown;
  /** When the job is due (default: `now`). */
  runAt?: string;
  now: Date;
}

/** Queues jobs in the caller's transaction (they commit with what caused them, or not at all).
 * Returns the ids queued; a job whose dedupe key is already there is left out. */
export async function enqueueJobs(trx: Trx, jobs: (NewJob & { id: string })[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const rows = jobs.map((j) => {
    const now = j.now.toISOString();
    return {
      id: j.id,
      kind: j.kind,
      dedupe_key: j.dedupeKey ?? null,
      payload: JSON.stringify(j.payload ?? null),
      status: 'pending' as const,
      run_at: j.runAt ?? now,
      attempts: 0,
      created_at: now,
      updated_at: now,
    };
  });
  const inserted = await trx
    .insertInto('jobs')
    .values(rows)
    .onConflict((oc) => oc.columns(['kind', 'dedupe_key']).doNothing())
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

/**
 * Claims up to `limit` jobs of one kind: pending ones that are due, and running ones whose
 * worker's lease ran out, oldest due first. Run inside a write transaction (see the top).
 *
 * Two walks, each stopping after `limit` rows: jobs_due holds only pending jobs and jobs_leased
 * only running ones, so neither reads a finished job.
 */
export async function claimJobs(trx: Trx, o: { kind: JobKind; now: string; leaseUntil: string; token: string; limit: number }): Promise<JobRow[]> {
  const pending = await trx
    .selectFrom('jobs')
    .select(['id', 'run_at'])
    .where('kind', '=', o.kind)
    .where('status', '=', 'pending')
    .where('run_at', '<=', o.now)
    .orderBy('run_at')
    .limit(o.limit)
    .$if(isPostgres(trx), skipLocked)
    .execute();
  const abandoned = await trx
    .selectFrom('jobs')
    .select(['id', 'run_at'])
    .where('kind', '=', o.kind)
    .where('status', '=', 'running')
    .where('lease_until', '<=', o.now)
    .orderBy('lease_until')
    .limit(o.limit)
    .$if(isPostgres(trx), skipLocked)
    .execute();
  const due = [...pending, ...abandoned].sort(byDue).slice(0, o.limit);
  if (due.length === 0) return [];
  const claimed = await trx
    .updateTable('jobs')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), lease_token: o.token, lease_until: o.leaseUntil, updated_at: o.now }))
    .where(
      'id',
      'in',
      due.map((r) => r.id),
    )
    .where((eb) =>
      eb.or([eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', o.now)]), eb.and([eb('status', '=', 'running'), eb('lease_until', '<=', o.now)])]),
    )
    .returningAll()
    .execute();
  return claimed.sort(byDue);
}

/** PostgreSQL: lock the rows read, passing over those another transaction holds (see the top). */
// biome-ignore lint/suspicious/noExplicitAny: any select query.
const skipLocked = <Q extends { forUpdate(): any }>(q: Q): Q => q.forUpdate().skipLocked();

const byDue = (a: Pick<JobRow, 'run_at' | 'id'>, b: Pick<JobRow, 'run_at' | 'id'>) => a.run_at.localeCompare(b.run_at) || a.id.localeCompare(b.id);

export type JobClaim = Pick<JobRow, 'id' | 'lease_token'>;

export type JobMark =
  | { status: 'done' | 'failed' | 'cancelled'; error: string | null; at: string }
  | { status: 'pending'; error: string; runAt: string; at: string };

/** Records a claimed job's outcome — only while the claim still holds (same token, still
 * running). Returns whether it did: false means another worker took the job over. */
export async function markJob(db: Db, claim: JobClaim, mark: JobMark): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: mark.status,
      last_error: mark.error,
      lease_token: null,
      lease_until: null,
      updated_at: mark.at,
      ...(mark.status === 'pending' ? { run_at: mark.runAt } : { finished_at: mark.at }),
    })
    .where('id', '=', claim.id)
    .where('status', '=', 'running')
    .where('lease_token', '=', claim.lease_token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives back a claimed job that was not tried, without counting the claim as an attempt. */
export function releaseJob(db: Db, claim: JobClaim, at: string) {
  return db
    .updateTable('jobs')
    .set((eb) => ({ status: 'pending', attempts: eb('attempts', '-', 1), lease_token: null, lease_until: null, updated_at: at }))
    .where('id', '=', claim.id)
    .where('status', '=', 'running')
    .where('lease_token', '=', claim.lease_token)
    .execute();
}

/** Cancels the pending jobs of a kind under these dedupe keys (what they were for is gone). */
export function cancelPendingJobs(trx: Db, kind: JobKind, dedupeKeys: string[], o: { reason: string; at: string }) {
  if (dedupeKeys.length === 0) return Promise.resolve();
  return trx
    .updateTable('jobs')
    .set({ status: 'cancelled', last_error: o.reason, updated_at: o.at, finished_at: o.at })
    .where('kind', '=', kind)
    .where('dedupe_key', 'in', dedupeKeys)
    .where('status', '=', 'pending')
    .execute();
}

export function findJob(db: Db, id: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes up to `limit` jobs that finished before `before`, oldest first (jobs_finished); returns how many. */
export async function deleteFinishedJobs(db: Db, before: string, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('jobs')
    .where(
      'id',
      'in',
      db
        .selectFrom('jobs')
        .select('id')
        // A literal null test: SQLite uses a partial index only when it can see the query implies its WHERE.
        .where('finished_at', 'is not', sql.lit(null))
        .where('finished_at', '<', before)
        .orderBy('finished_at')
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
