// The recovery loop: notice abandoned carts, deliver due reminders and webhooks, erase old buyer
// details, release ended holds.
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

  async function runOnce() {
    const scan = await scanAbandonedCarts(store);
    const mail = await worker.runOnce();
    const webhooks = await webhookWorker.runOnce();
    const erased = await eraseExpiredBuyerDetails(store);
    const released = await releaseEndedHoldsRound(store);
    return { scan, mail, webhooks, erased, released };
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  return {
    runOnce,
    /** Runs every `intervalMs`, never two rounds at once in this process. */
    start(intervalMs: number) {
      const tick = () => {
        if (running) return;
        running = runOnce()
          .catch((error) => deps.log?.(`recovery round failed: ${error?.stack ?? error}`))
          .finally(() => (running = null));
      };
      timer = setInterval(tick, intervalMs);
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
