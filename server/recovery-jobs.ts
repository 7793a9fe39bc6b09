// The recovery loop: notice abandoned carts, deliver due reminders and webhooks, erase old buyer
// details, release ended holds, expire unpaid orders whose time ran out (closing their checkouts
// at the providers), and ask providers about payments left pending (reconciliation).
// `npm start` runs it in the API process; server/worker.ts runs it alone for deployments that
// keep it apart. Every step is safe to run in several processes at once.
import type { Db, WriteTransaction } from './db/database.ts';
import { scanAbandonedCarts } from './domain/abandonment.ts';
import { prepareReminder, type ReminderLinks } from './domain/reminders.ts';
import { eraseExpiredBuyerDetails } from './domain/retention.ts';
import { releaseEndedHoldsRound } from './domain/holds.ts';
import type { Store } from './domain/store.ts';
import { createOutboxWorker } from './mail/outbox-worker.ts';
import type { MailTransport } from './mail/transport.ts';
import { createWebhookDeliveryWorker } from './webhooks/delivery-worker.ts';
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
}

export function createRecoveryJobs(deps: RecoveryJobsDeps) {
  const store: Store = { db: deps.db, tx: deps.tx, now: deps.now, giveWay: deps.giveWay };
  const worker = createOutboxWorker({
    db: deps.db,
    tx: deps.tx,
    now: deps.now,
    transport: deps.transport,
    from: deps.from,
    log: deps.log,
    prepare: (row) => prepareReminder(deps.db, row, deps.now(), deps.links),
  });
  const webhookWorker = createWebhookDeliveryWorker({ db: deps.db, tx: deps.tx, now: deps.now, fetch: deps.fetch, log: deps.log });

  /** One round; `moreMail` says the mail step stopped on its time budget with rows perhaps due. */
  async function round() {
    const scan = await scanAbandonedCarts(store);
    const { result: mail, more: moreMail } = await worker.drainOnce();
    const webhooks = await webhookWorker.runOnce();
    const erased = await eraseExpiredBuyerDetails(store);
    const released = await releaseEndedHoldsRound(store);
    const expired = await expireUnpaidOrders(store, 200, deps.payments);
    // After the expiry: a payment that raced it is asked about in this same round.
    const reconciled = deps.payments ? await reconcilePayments(store, deps.payments) : null;
    const refunds = deps.payments ? await runRefundJobs(store, deps.payments) : null;
    return { scan, mail, webhooks, erased, released, expired, reconciled, refunds, moreMail };
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;
  return {
    runOnce: round,
    /**
     * The next round starts `intervalMs` after one ends (never two at once in this process), or
     * at once while mail is still due, so a backlog drains at the transport's speed.
     */
    start(intervalMs: number) {
      stopped = false;
      const next = () => {
        running = round()
          .then((r) => (r.moreMail ? 0 : intervalMs))
          .catch((error) => {
            deps.log?.(`recovery round failed: ${error?.stack ?? error}`);
            return intervalMs;
          })
          .then((wait) => {
            running = null;
            if (!stopped) timer = setTimeout(next, wait);
          });
      };
      next();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
