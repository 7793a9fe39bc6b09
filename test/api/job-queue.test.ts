// The job queue on a real SQLite file: dedupe per kind, per-kind backoff, the fence (a worker
// whose lease ran out cannot overwrite the outcome of the one that took over), take-over after a
// lease, kinds draining side by side, and claims read only the partial indexes of live jobs.
// Handlers here are stand-ins; the reminder and webhook handlers have their own tests.
import { beforeEach, expect, test } from 'vitest';
import { writeTransactions, type Db } from '../../server/platform/db/database.ts';
import { claimJobs, deleteFinishedJobs, markJob } from '../../server/platform/jobs/jobs-db.ts';
import { backoffMinutes, enqueue, type Job, JobError, type JobHandler } from '../../server/platform/jobs/queue.ts';
import { deleteOldJobs } from '../../server/platform/jobs/retention.ts';
import { createJobRunner } from '../../server/platform/jobs/runner.ts';
import { queryPlans, readsIndex, readsWhole, recordingDatabase } from '../support/query-plans.ts';
import { testEngine } from '../support/databases.ts';
import { Clock, freshDatabase } from '../support/world.ts';

let db: Db;
let clock: Clock;
beforeEach(async () => {
  ({ db } = await freshDatabase());
  clock = new Clock();
});

const tx = () => writeTransactions(db);
const jobs = () => db.selectFrom('jobs').selectAll().orderBy('created_at').orderBy('id').execute();
const runner = () => createJobRunner({ db, tx: tx(), now: clock.now, log: () => {} });
const handler = (run: JobHandler['run'], o: Partial<JobHandler> = {}): JobHandler => ({ run, backoff: backoffMinutes([1]), maxAttempts: 3, ...o });

test('enqueue commits with the caller’s transaction, and a dedupe key queues once per kind', async () => {
  const t = tx();
  await expect(
    t(async (trx) => {
      await enqueue(trx, { kind: 'webhook', dedupeKey: 'a', payload: { n: 1 }, now: clock.now() });
      throw new Error('the order failed');
    }),
  ).rejects.toThrow('the order failed');
  expect(await jobs()).toEqual([]);

  const first = await t((trx) => enqueue(trx, { kind: 'webhook', dedupeKey: 'a', payload: { n: 1 }, now: clock.now() }));
  const again = await t((trx) => enqueue(trx, { kind: 'webhook', dedupeKey: 'a', payload: { n: 2 }, now: clock.now() }));
  const otherKind = await t((trx) => enqueue(trx, { kind: 'order_mail', dedupeKey: 'a', payload: { n: 3 }, now: clock.now() }));
  const noKey = await t((trx) => enqueue(trx, { kind: 'webhook', payload: { n: 4 }, now: clock.now() }));
  expect(first).toMatch(/^job_/);
  expect(again).toBeNull();
  expect(otherKind).toMatch(/^job_/);
  expect(noKey).toMatch(/^job_/);
  const queued = (await jobs()).map((j) => [JSON.parse(j.payload).n, j.kind, j.dedupe_key, j.status, j.run_at]);
  expect(queued.sort((a, b) => a[0] - b[0])).toEqual([
    [1, 'webhook', 'a', 'pending', '2026-12-01T09:00:00.000Z'],
    [3, 'order_mail', 'a', 'pending', '2026-12-01T09:00:00.000Z'],
    [4, 'webhook', null, 'pending', '2026-12-01T09:00:00.000Z'],
  ]);
});

test('each kind retries on its own backoff until its attempts run out; a permanent error ends at once', async () => {
  await tx()((trx) => enqueue(trx, { kind: 'reminder', payload: {}, now: clock.now() }));
  await tx()((trx) => enqueue(trx, { kind: 'webhook', payload: {}, now: clock.now() }));
  await tx()((trx) => enqueue(trx, { kind: 'order_mail', payload: { permanent: true }, now: clock.now() }));
  const r = runner();
  const failing = async () => {
    throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' });
  };
  r.register('reminder', handler(failing, { backoff: backoffMinutes([1, 5, 15]), maxAttempts: 4 }));
  r.register('webhook', handler(failing, { backoff: backoffMinutes([2, 30]), maxAttempts: 4 }));
  r.register(
    'order_mail',
    handler(async () => {
      throw new JobError('550 no such mailbox', { permanent: true });
    }),
  );
  const gaps: Record<string, number[]> = { reminder: [], webhook: [] };
  for (let i = 0; i < 80; i++) {
    await r.drainOnce();
    for (const j of await jobs()) {
      if (j.status !== 'pending' || !(j.kind in gaps)) continue;
      const gap = (Date.parse(j.run_at) - clock.now().getTime()) / 60_000;
      if (gap > 0 && gaps[j.kind]!.length < j.attempts) gaps[j.kind]!.push(gap);
    }
    clock.advance(1);
  }
  expect(gaps).toEqual({ reminder: [1, 5, 15], webhook: [2, 30, 30] });
  const byKind = Object.fromEntries((await jobs()).map((j) => [j.kind, j]));
  expect(byKind.reminder).toMatchObject({ status: 'failed', attempts: 4, last_error: 'ESOCKET connect ECONNREFUSED', lease_token: null });
  expect(byKind.webhook).toMatchObject({ status: 'failed', attempts: 4 });
  expect(byKind.order_mail).toMatchObject({ status: 'failed', attempts: 1, last_error: '550 no such mailbox' });
});

test('fencing: a worker whose lease ran out cannot mark the job another worker took over', async () => {
  await tx()((trx) => enqueue(trx, { kind: 'webhook', payload: {}, now: clock.now() }));
  const claim = (token: string) =>
    tx()((trx) =>
      claimJobs(trx, { kind: 'webhook', now: clock.now().toISOString(), leaseUntil: new Date(clock.now().getTime() + 60_000).toISOString(), token, limit: 10 }),
    );
  const [stale] = await claim('worker-a');
  expect(await claim('worker-b')).toEqual([]); // leased: nobody else gets it
  clock.advance(1);
  const [current] = await claim('worker-b');
  expect(current).toMatchObject({ id: stale!.id, attempts: 2, lease_token: 'worker-b' });

  const at = clock.now().toISOString();
  expect(await markJob(db, stale!, { status: 'done', error: null, at })).toBe(false);
  expect((await jobs())[0]).toMatchObject({ status: 'running', lease_token: 'worker-b', finished_at: null });
  expect(await markJob(db, current!, { status: 'pending', error: 'HTTP 500', runAt: at, at })).toBe(true);
  expect((await jobs())[0]).toMatchObject({ status: 'pending', attempts: 2, last_error: 'HTTP 500', lease_token: null });
  // The stale worker's mark after the job is back in the queue changes nothing either.
  expect(await markJob(db, stale!, { status: 'failed', error: 'late', at })).toBe(false);
  expect((await jobs())[0]).toMatchObject({ status: 'pending' });
});

test("fencing through the runner: a stalled run's late outcome is not recorded, the take-over's is", async () => {
  await tx()((trx) => enqueue(trx, { kind: 'webhook', payload: {}, now: clock.now() }));
  const recorded: string[] = [];
  let releaseA: () => void = () => {};
  const a = runner();
  a.register(
    'webhook',
    handler(() => new Promise((resolve) => (releaseA = () => resolve())), {
      leaseSeconds: 60,
      record: async (_t, _j, o) => void recorded.push(`a ${o.status}`),
    }),
  );
  const stalled = a.drainKind('webhook');
  for (let i = 0; i < 500 && (await jobs())[0]!.status !== 'running'; i++) await new Promise((r) => setTimeout(r, 10));
  clock.advance(2);
  const b = runner();
  b.register(
    'webhook',
    handler(async () => ({ detail: 200 }), { record: async (_t, _j, o) => void recorded.push(`b ${o.status}`) }),
  );
  expect((await b.drainKind('webhook')).result).toMatchObject({ claimed: 1, done: 1 });
  releaseA();
  expect((await stalled).result).toMatchObject({ claimed: 1, done: 0 });
  expect(recorded).toEqual(['b done']);
  expect((await jobs())[0]).toMatchObject({ status: 'done', attempts: 2 });
});

test('a handler cancels what is no longer to be done; jobs of a kind without a handler wait', async () => {
  await tx()((trx) => enqueue(trx, { kind: 'reminder', payload: { gone: true }, now: clock.now() }));
  await tx()((trx) => enqueue(trx, { kind: 'order_mail', payload: {}, now: clock.now() }));
  const r = runner();
  r.register(
    'reminder',
    handler(async (job: Job<{ gone: boolean }>) => (job.payload.gone ? { cancel: 'purchased' } : undefined)),
  );
  expect((await r.drainOnce()).results).toEqual({ reminder: { claimed: 1, done: 0, cancelled: 1, retried: 0, failed: 0 } });
  // (Both queued in the same instant: compared in kind order, not creation order.)
  expect((await jobs()).map((j) => [j.kind, j.status, j.last_error]).sort()).toEqual([
    ['order_mail', 'pending', null],
    ['reminder', 'cancelled', 'purchased'],
  ]);
});

test('kinds drain side by side: a kind whose every job takes long does not hold up another', async () => {
  for (let i = 0; i < 3; i++) await tx()((trx) => enqueue(trx, { kind: 'webhook', payload: { i }, now: clock.now() }));
  for (let i = 0; i < 20; i++) await tx()((trx) => enqueue(trx, { kind: 'reminder', payload: { i }, now: clock.now() }));
  const order: string[] = [];
  const gates: (() => void)[] = [];
  const r = runner();
  r.register(
    'webhook',
    handler(async () => {
      await new Promise<void>((open) => gates.push(open)); // an endpoint that does not answer until told
      order.push('webhook');
    }),
  );
  r.register(
    'reminder',
    handler(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        order.push('reminder');
      },
      { concurrency: 2 },
    ),
  );
  r.start(10);
  for (let i = 0; i < 500 && order.length < 20; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  // Every reminder went while the first webhook was still waiting for its endpoint.
  expect(order).toEqual(Array(20).fill('reminder'));
  const stopping = r.stop();
  for (let i = 0; i < 500 && order.length < 23; i++) {
    for (const open of gates.splice(0)) open();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await stopping;
  expect(order.filter((o) => o === 'webhook')).toHaveLength(3);
});

test('a claim reads only the partial indexes of pending and running jobs, never finished ones', async () => {
  const fresh = await freshDatabase();
  await fresh.db.destroy();
  const { db: recorded, statements } = recordingDatabase(fresh.path);
  const t = writeTransactions(recorded);
  for (let i = 0; i < 5; i++) await t((trx) => enqueue(trx, { kind: 'reminder', payload: { i }, now: clock.now() }));
  const r = createJobRunner({ db: recorded, tx: t, now: clock.now, log: () => {} });
  r.register(
    'reminder',
    handler(async (job: Job<{ i: number }>) => {
      if (job.payload.i === 0) throw new Error('temporary');
    }),
  );
  await r.drainOnce();
  await recorded.destroy();
  const plans = (await queryPlans(fresh.path, statements))
    .filter((p) => /from "jobs"|update "jobs"/.test(p.sql))
    .map((p) => `${p.sql}\n  ${p.detail.join('\n  ')}`)
    .join('\n');
  expect(plans).toMatch(readsIndex('jobs', 'jobs_due'));
  expect(plans).toMatch(readsIndex('jobs', 'jobs_leased'));
  expect(plans).not.toMatch(readsWhole('jobs'));
  if (testEngine === 'sqlite') {
    expect(plans).toMatch(/SEARCH jobs USING INDEX jobs_due \(kind=\? AND run_at<\?\)/);
    expect(plans).toMatch(/SEARCH jobs USING INDEX jobs_leased \(kind=\? AND lease_until<\?\)/);
  }
});

test('finished jobs are deleted after 30 days, oldest first, by their own index; pending and running ones stay', async () => {
  const t = tx();
  for (let i = 0; i < 4; i++) await t((trx) => enqueue(trx, { kind: 'reminder', payload: { i }, now: clock.now() }));
  const r = runner();
  r.register(
    'reminder',
    handler(async (job: Job<{ i: number }>) => {
      if (job.payload.i === 3) throw new Error('temporary');
    }),
  );
  await r.drainOnce();
  expect((await jobs()).map((j) => j.status).sort()).toEqual(['done', 'done', 'done', 'pending']);
  const store = { db, tx: t, now: clock.now };
  clock.advance(29 * 24 * 60);
  expect(await deleteOldJobs(store)).toBe(0);
  clock.advance(2 * 24 * 60);
  expect(await deleteOldJobs(store, 2)).toBe(3);
  expect((await jobs()).map((j) => j.status)).toEqual(['pending']);

  const fresh = await freshDatabase();
  await fresh.db.destroy();
  const { db: recorded, statements } = recordingDatabase(fresh.path);
  await deleteFinishedJobs(recorded, clock.now().toISOString(), 10);
  await recorded.destroy();
  const plans = (await queryPlans(fresh.path, statements)).map((p) => p.detail.join(' ')).join('\n');
  expect(plans).toMatch(readsIndex('jobs', 'jobs_finished'));
  expect(plans).not.toMatch(readsWhole('jobs'));
});
