// The job runner with the reminder kind alone in its process, for the crash test to SIGKILL
// mid-run. It runs the production runner and handler (claims, leases, concurrent sends, fenced
// marks) against a real SMTP server through the production pooled transport; only `prepare` is a
// stand-in that builds a fixed message per row. That is deliberate: the crash test is about the
// queue's delivery guarantee (nothing lost,
// at most one duplicate per send in flight per kill); whether a reminder should still go out at
// claim time is the domain's `prepareReminder`, tested on its own.
import { writeTransactions, openDatabase } from '../../server/platform/db/database.ts';
import { createJobRunner } from '../../server/platform/jobs/runner.ts';
import { createReminderHandler } from '../../server/recovery/reminder-job.ts';
import { createMailTransport } from '../../server/platform/mail/transport.ts';

const db = openDatabase(process.env.DATABASE_PATH!);
const worker = createJobRunner({ db, tx: writeTransactions(db), now: () => new Date(), log: (line) => console.error(line) });
worker.register(
  'reminder',
  createReminderHandler({
    db,
    now: () => new Date(),
    transport: createMailTransport(process.env.SMTP_URL!),
    from: '"Encore" <tickets@localhost>',
    batchSize: Number(process.env.BATCH_SIZE ?? 10),
    concurrency: Number(process.env.CONCURRENCY ?? 4),
    leaseSeconds: Number(process.env.LEASE_SECONDS ?? 8),
    prepare: async (row) => ({
      message: {
        to: `guest-${row.id}@example.com`,
        subject: `Reminder ${row.id}`,
        html: `<p>Reminder ${row.id}</p>`,
        text: `Reminder ${row.id}`,
        headers: { 'List-Unsubscribe': '<https://tickets.example/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      },
    }),
  }),
);
// Loaded and ready, it waits for a line on stdin before it claims anything, so the crash test can
// start its processes ahead of time and not pay for each start between two kills.
console.log('ready');
process.stdin.once('data', () => worker.start(Number(process.env.INTERVAL_MS ?? 20)));
process.on(
  'SIGTERM',
  () =>
    void worker
      .stop()
      .then(() => db.destroy())
      .then(() => process.exit(0)),
);
