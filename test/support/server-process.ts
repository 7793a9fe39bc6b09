// One API server process on an existing database (a SQLite file or a PostgreSQL URL in
// DATABASE_PATH), for tests that need several processes sharing it (as several instances of a
// deployment would). It listens twice over the same database: once as the real app and once with
// the seat guard switched off, so one start serves both the concurrency test and its control (a
// start is most of that test's time on a loaded machine). Prints "ready <guarded port>
// <unguarded port>" when listening.
//
// The guard switched off: on SQLite, the write transactions (BEGIN IMMEDIATE is the guard); on
// PostgreSQL, only lockSeats — the same READ COMMITTED transactions with every other lock, so
// the control shows what lockSeats alone prevents.
//
// SLOW_QUERIES=1 makes every query give way to other requests before its result is used, as a
// networked database would (better-sqlite3 answers synchronously, which by luck hides races
// inside one process). Both listeners run this way, so the write guard is the only difference
// between them.
//
// GRAB=on gives the guarded listener the grab limits read from the environment as `npm start`
// does (CLIENT_RATE_LIMIT and the rest), keyed with the secret every process on the file shares.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { KyselyPlugin, PluginTransformResultArgs, QueryResult, UnknownRow } from 'kysely';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { engineOf, openDatabase, unguardedWrites, writeTransactions, type WriteTransaction } from '../../server/platform/db/database.ts';
import { withoutSeatLocks } from '../../server/sales/inventory.ts';
import { linkSecret } from '../../server/runtime.ts';

class YieldAfterEveryQuery implements KyselyPlugin {
  transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await new Promise((resolve) => setImmediate(resolve));
    return args.result;
  }
}

/** Write transactions in which lockSeats locks nothing. */
const withoutSeatLocking =
  (tx: WriteTransaction): WriteTransaction =>
  (fn) =>
    tx((trx) => fn(withoutSeatLocks(trx)));

const opened = openDatabase(process.env.DATABASE_PATH!);
const db = process.env.SLOW_QUERIES === '1' ? opened.withPlugin(new YieldAfterEveryQuery()) : opened;
const listen = (app: ReturnType<typeof createApp>) =>
  new Promise<ServerType>((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server));
  });
const grab = process.env.GRAB === 'on' ? { grab: loadConfig(process.env).grab, secret: await linkSecret(opened) } : {};
const guarded = await listen(createApp({ db, ...grab }));
const unguarded = await listen(createApp({ db, tx: engineOf(db) === 'postgres' ? withoutSeatLocking(writeTransactions(db)) : unguardedWrites(db) }));
const port = (server: ServerType) => (server.address() as AddressInfo).port;
console.log(`ready ${port(guarded)} ${port(unguarded)}`);
process.on('SIGTERM', () => {
  guarded.close();
  unguarded.close();
  process.exit(0);
});
