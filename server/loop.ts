// The recovery loop: notice abandoned carts, erase old buyer details, release ended holds, expire
// unpaid orders whose time ran out (closing their checkouts at the providers), and ask providers
// about payments left pending (reconciliation). Beside it, the job queue's runner sends what is
// queued — reminders, order mail, webhooks — each kind on its own loop (platform/jobs/runner.ts).
// `npm start` runs both in the API process; server/worker.ts runs them alone for deployments that
// keep them apart.
//
// Several processes may run the loop on one database. The job queue's claims let every worker
// send at once (FOR UPDATE SKIP LOCKED on PostgreSQL). The scan and housekeeping run in one
// process at a time: on PostgreSQL a round first takes a session advisory lock and a process
// that does not get it skips the round (another is doing it); on SQLite every step's write
// transaction is serialised by the database's write lock anyway.
import { sql } from 'kysely';
import type { Db, WriteTransaction } from './platform/db/database.ts';
import { isPostgres } from './platform/db/engine.ts';
import { deleteOldUses } from './platform/http/rate-events-db.ts';
import { scanAbandonedCarts } from './recovery/abandonment.ts';
import { prepareReminder, type ReminderLinks } from './recovery/reminders.ts';
import { eraseExpiredBuyerDetails } from './recovery/retention.ts';
import { releaseEndedHoldsRound } from './sales/holds.ts';
import type { Store } from './store.ts';
import type { JobKind } from './platform/jobs/jobs-db.ts';
import type { JobHandler } from './platform/jobs/queue.ts';
import { deleteOldJobs } from './platform/jobs/retention.ts';
import { createJobRunner } from './platform/jobs/runner.ts';
import { createReminderHandler } from './recovery/reminder-job.ts';
import type { MailTransport } from './platform/mail/transport.ts';
import { publicFetch } from './webhooks/address-guard.ts';
import { createWebhookHandler } from './webhooks/delivery-job.ts';
import { createOrderMailHandler } from './tickets/order-mail-job.ts';
import { expireUnpaidOrders } from './payments/lifecycle.ts';
import type { Payments } from './payments/provider.ts';
import { reconcilePayments } from './payments/reconciliation.ts';
import { runRefundJobs } from './payments/refunds.ts';

export interface RecoveryJobsDeps {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  transport: MailTransport;
  from: string;
  links: ReminderLinks;
  /** How webhooks are sent; tests may pass their own. Default: to public addresses only (webhooks/address-guard.ts). */
  fetch?: typeof fetch;
  /** Deliver to loopback too (WEBHOOKS_ALLOW_LOOPBACK; development and tests). */
  allowLoopbackWebhooks?: boolean;
  log?: (line: string) => void;
  /** The API process's request gate, when the loop runs beside the API (see platform/jobs/give-way.ts). */
  giveWay?: () => Promise<void>;
  /** The payment providers (payments/registry.ts), for the jobs that ask a provider about a payment or refund one. */
  payments?: Payments;
  /** Handlers of further job kinds (`order_mail`); a kind without one keeps its jobs queued. */
  handlers?: Partial<Record<JobKind, JobHandler>>;
}

export function createRecoveryJobs(deps: RecoveryJobsDeps) {
  const store: Store = { db: deps.db, tx: deps.tx, now: deps.now, giveWay: deps.giveWay };
  const runner = createJobRunner({ db: deps.db, tx: deps.tx, now: deps.now, log: deps.log });
  runner.register(
    'reminder',
    createReminderHandler({
      db: deps.db,
      now: deps.now,
      transport: deps.transport,
      from: deps.from,
      prepare: (row) => prepareReminder(deps.db, row, deps.now(), deps.links),
    }),
  );
  runner.register(
    'webhook',
    createWebhookHandler({ db: deps.db, now: deps.now, fetch: deps.fetch ?? publicFetch({ allowLoopback: deps.allowLoopbackWebhooks }), log: deps.log }),
  );
  runner.register(
    'order_mail',
    createOrderMailHandler({ db: deps.db, now: deps.now, transport: deps.transport, from: deps.from, publicBaseUrl: deps.links.publicBaseUrl }),
  );
  for (const [kind, handler] of Object.entries(deps.handlers ?? {})) if (handler) runner.register(kind as JobKind, handler);

  /** The housekeeping steps; the job queue runs beside them. */
  async function housekeeping() {
    const erased = await eraseExpiredBuyerDetails(store);
    const released = await releaseEndedHoldsRound(store);
    const expired = await expireUnpaidOrders(store, 200, deps.payments);
    // After the expiry: a payment that raced it is asked about in this same round.
    const reconciled = deps.payments ? await reconcilePayments(store, deps.payments) : null;
    const refunds = deps.payments ? await runRefundJobs(store, deps.payments) : null;
    const jobsDeleted = await deleteOldJobs(store);
    // Counted uses of the console's limits outlive every window (the longest is an hour) by then.
    const usesDeleted = await deleteOldUses(deps.db, new Date(deps.now().getTime() - 2 * 3_600_000).toISOString(), 5_000);
    return { erased, released, expired, reconciled, refunds, jobsDeleted, usesDeleted };
  }

  /** One round, as tests drive it: the scan, a drain of every job kind (side by side), housekeeping. */
  async function round() {
    const scan = await inTurn(deps.db, () => scanAbandonedCarts(store));
    const { results, more: moreJobs } = await runner.drainOnce();
    const rest = await inTurn(deps.db, housekeeping);
    return { scan, mail: results.reminder!, webhooks: results.webhook!, jobs: results, ...rest, moreJobs };
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;
  return {
    runOnce: round,
    /** The job queue, for registering further kinds' handlers (see `handlers`). */
    runner,
    /**
     * The job runner's loops start (each kind polls every `intervalMs`, straight on while a
     * backlog is due), and the scan and housekeeping run `intervalMs` after each round ends.
     */
    start(intervalMs: number) {
      stopped = false;
      runner.start(intervalMs);
      const next = () => {
        running = alone(deps.db, async () => {
          await scanAbandonedCarts(store);
          await housekeeping();
        })
          .catch((error) => deps.log?.(`recovery round failed: ${error?.stack ?? error}`))
          .then(() => {
            running = null;
            if (!stopped) timer = setTimeout(next, intervalMs);
          });
      };
      next();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([running, runner.stop()]);
    },
  };
}

/** The advisory lock key of the scan and housekeeping round (any constant; 'encore-recovery'). */
const ROUND_LOCK = 7_452_017_201;

/**
 * Runs `fn` unless another process is running a round (then null). PostgreSQL: a session
 * advisory lock, held by one pooled connection while `fn` works on others, released when it
 * ends — or by the server if the process dies. SQLite: runs it (see the top).
 */
export function alone<T>(db: Db, fn: () => Promise<T>): Promise<T | null> {
  return withRoundLock(db, fn, false);
}

/** As alone, but waits for another process's round to end instead of skipping (runOnce). */
export async function inTurn<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  return (await withRoundLock(db, fn, true)) as T;
}

async function withRoundLock<T>(db: Db, fn: () => Promise<T>, wait: boolean): Promise<T | null> {
  if (!isPostgres(db)) return fn();
  return db.connection().execute(async (conn) => {
    if (wait) await sql`select pg_advisory_lock(${ROUND_LOCK})`.execute(conn);
    else {
      const got = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${ROUND_LOCK}) as locked`.execute(conn);
      if (!got.rows[0]?.locked) return null;
    }
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${ROUND_LOCK})`.execute(conn);
    }
  });
}
