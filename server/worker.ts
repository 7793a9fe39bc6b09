// The recovery loop and the job runner alone, without the HTTP server: for deployments that run
// the API with WORKER=off and one or more of these beside it on the same database. Job claims
// exclude each other and are leased, so several workers never send the same reminder or webhook
// twice (barring a crash mid-send).
//   DATABASE_PATH=… SMTP_URL=smtp://user:pass@host:587 MAIL_FROM='"Theatre" <t@example.com>' tsx server/worker.ts
import { type Config, ConfigError, demoOrigins, loadConfig } from './platform/config.ts';
import { migrate, openDatabase } from './platform/db/database.ts';
import { databaseLabel } from './platform/db/engine.ts';
import { startRecovery } from './runtime.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const db = openDatabase(config.databasePath, { poolSize: config.databasePoolSize });
await migrate(db);
const recovery = await startRecovery({ db, config, extraOrigins: demoOrigins(config) });
console.log(
  `Encore worker on ${databaseLabel(config.databasePath)}, sending via ${config.smtpUrl ? 'SMTP_URL' : `the mail catcher on port ${config.mailCatcherPort}`}`,
);

function shutdown() {
  void recovery
    .stop()
    .then(() => db.destroy())
    .finally(() => process.exit(0));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
