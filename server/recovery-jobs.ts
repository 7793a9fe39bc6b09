// The recovery loop: notice abandoned carts, erase old buyer details, release ended holds, expire
// unpaid orders whose time ran out (closing their checkouts at the providers), and ask providers
// about payments left pending (reconciliation). Beside it, the job queue's runner sends what is
// queued — reminders, order mail, webhooks — each kind on its own loop (jobs/runner.ts).
// `npm start` runs both in the API process; server/worker.ts runs them alone for deployments that
// keep them apart. Every step is safe to run in several processes at once.
import type { Db, WriteTransaction } from './db/database.ts';
import { scanAbandonedCarts } from './domain/abandonment.ts';
import { prepareReminder, type ReminderLinks } from './domain/reminders.ts';
import { eraseExpiredBuyerDetails } from './domain/retention.ts';
import { releaseEndedHoldsRound } from './domain/holds.ts';
import type { Store } from './domain/store.ts';
import type { JobKind } from './db/jobs.ts';
import type { JobHandler } from './jobs/queue.ts';
import { deleteOldJobs } from './jobs/retention.ts';
import { createJobRunner } from './jobs/runner.ts';
import { createReminderHandler } from './mail/reminder-job.ts';
import type { MailTransport } from './mail/transport.ts';
import { createWebhookHandler } from './webhooks/delivery-job.ts';
import { createOrderMailHandler } from './tickets/order-mail-job.ts';
import { expireUnpaidOrders, type Payments } from './payments/lifecycle.ts';
import { reconcilePayments } from './payments/reconciliation.ts';
import { runRefundJobs } from './payments/refunds.ts';

export interface RecoveryJobsDeps {
  db: Db;
  tx: WriteTransaction;
  now: () => Date;
  transport: MailTransport;
  from: string;
  links: ReminderLinks;
  /** How webhooks are sent; tests may pass their own. */
  fetch?: typeof fetch;
  log?: (line: string) => void;
  /** The API process's request gate, when the loop runs beside the API (see jobs/give-way.ts). */
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
  runner.register('webhook', createWebhookHandler({ db: deps.db, now: deps.now, fetch: deps.fetch, log: deps.log }));
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
    return { erased, released, expired, reconciled, refunds, jobsDeleted };
  }

  /** One round, as tests drive it: the scan, a drain of every job kind (side by side), housekeeping. */
  async function round() {
    const scan = await scanAbandonedCarts(store);
    const { results, more: moreJobs } = await runner.drainOnce();
    const rest = await housekeeping();
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
        running = (async () => {
          await scanAbandonedCarts(store);
          await housekeeping();
        })()
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
