// Starts the recovery loop (abandonment scan, reminder delivery, retention) for a process: the
// API process under `npm start` (WORKER=on) or a standalone server/worker.ts. Mail goes to
// SMTP_URL, or without it to the built-in catcher on MAIL_CATCHER_PORT.
import type { Config } from './platform/config.ts';
import { writeTransactions, type Db } from './platform/db/database.ts';
import { instanceSecret } from './platform/db/secrets.ts';
import { createMailTransport } from './platform/mail/transport.ts';
import { createPayments } from './payments/registry.ts';
import { createRecoveryJobs } from './loop.ts';

/** How often a process looks for abandoned carts and due reminders. */
export const RECOVERY_INTERVAL_MS = 5_000;

/** One signing key for every instance on the database, so a link signed by one verifies on another. */
export const linkSecret = (db: Db) => instanceSecret(db, 'reminder-links');

/** Where this deployment's mail goes: SMTP_URL, or the built-in catcher; DKIM-signed when configured. */
export const configuredMailTransport = (config: Config) =>
  createMailTransport(config.smtpUrl ?? `smtp://127.0.0.1:${config.mailCatcherPort}`, { dkim: config.dkim });

export async function startRecovery(o: { db: Db; config: Config; extraOrigins: string[]; log?: (line: string) => void; giveWay?: () => Promise<void> }) {
  const { db, config } = o;
  const transport = configuredMailTransport(config);
  const log = o.log ?? ((line: string) => console.error(line));
  const secret = await linkSecret(db);
  const jobs = createRecoveryJobs({
    db,
    tx: writeTransactions(db),
    now: () => new Date(),
    transport,
    from: config.mailFrom,
    links: { secret, publicBaseUrl: config.publicBaseUrl, extraOrigins: o.extraOrigins },
    log,
    // The same providers as the API's (index.ts): the demo one where the demo site runs.
    payments: createPayments({ secret, baseUrl: config.publicBaseUrl, demo: config.demoPort !== null, yookassa: { apiUrl: config.yookassaApiUrl }, log }),
    giveWay: o.giveWay,
    allowLoopbackWebhooks: config.allowLoopbackWebhooks,
  });
  jobs.start(RECOVERY_INTERVAL_MS);
  return {
    async stop() {
      await jobs.stop();
      transport.close();
    },
  };
}
