// A database from before the job queue (migrations up to 0021, rows written as that code wrote
// them) upgrades with its unsent reminders and webhook deliveries queued as jobs: due when they
// were (a row a worker held, when its lease ends), with their attempts so far — and the runner
// then sends them. What was already sent or delivered gets no job.
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { writeTransactions, migrate, migrations, openDatabase } from '../../server/platform/db/database.ts';
import { createJobRunner } from '../../server/platform/jobs/runner.ts';
import { createReminderHandler } from '../../server/recovery/reminder-job.ts';
import { createWebhookHandler } from '../../server/webhooks/delivery-job.ts';
import { Clock, makeEvent } from '../support/world.ts';

const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= '2026_12_01_0021_expiry_reconciliation'));

test('unsent reminders and webhook deliveries of an existing database become jobs and go out', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'encore-jobs-upgrade-')), 'old.sqlite');
  const old = new Kysely<never>({ dialect: new SqliteDialect({ database: new SQLite(path) }) });
  await new Migrator({ db: old, provider: { getMigrations: async () => before } }).migrateToLatest();
  await old.destroy();

  const clock = new Clock();
  const db = openDatabase(path);
  const fx = await makeEvent(db as never, clock.now());
  const raw = new SQLite(path);
  const at = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();
  const outbox = raw.prepare(`insert into outbox (id, kind, dedupe_key, organizer_id, step, due_at, status, attempts, lease_until, sent_at, created_at)
    values (?, 'reminder', ?, ?, 0, ?, ?, ?, ?, ?, ?)`);
  outbox.run('msg_due', 'k1', fx.organizerId, at(-5), 'pending', 0, null, null, at(-60));
  outbox.run('msg_retrying', 'k2', fx.organizerId, at(10), 'pending', 2, null, null, at(-60));
  outbox.run('msg_held', 'k3', fx.organizerId, at(-5), 'sending', 1, at(3), null, at(-60));
  outbox.run('msg_sent', 'k4', fx.organizerId, at(-30), 'sent', 1, null, at(-30), at(-60));
  raw
    .prepare(
      `insert into webhook_endpoints (id, organizer_id, url, secret, events, active, created_at) values ('whe_1', ?, 'https://crm.example/hook', 'whsec_x', '["order.completed"]', 1, ?)`,
    )
    .run(fx.organizerId, at(-60));
  const delivery =
    raw.prepare(`insert into webhook_deliveries (id, endpoint_id, organizer_id, event_type, event_id, payload, dedupe_key, status, attempts, due_at, created_at)
    values (?, 'whe_1', ?, 'order.completed', 'evt_1', '{}', ?, ?, ?, ?, ?)`);
  delivery.run('whd_pending', fx.organizerId, 'd1', 'pending', 1, at(-1), at(-60));
  delivery.run('whd_done', fx.organizerId, 'd2', 'delivered', 1, at(-30), at(-60));
  raw.close();

  await migrate(db);
  const jobs = await db.selectFrom('jobs').select(['kind', 'dedupe_key', 'payload', 'status', 'run_at', 'attempts']).orderBy('dedupe_key').execute();
  expect(jobs).toEqual([
    { kind: 'reminder', dedupe_key: 'msg_due', payload: '{"outboxId":"msg_due"}', status: 'pending', run_at: at(-5), attempts: 0 },
    { kind: 'reminder', dedupe_key: 'msg_held', payload: '{"outboxId":"msg_held"}', status: 'pending', run_at: at(3), attempts: 1 },
    { kind: 'reminder', dedupe_key: 'msg_retrying', payload: '{"outboxId":"msg_retrying"}', status: 'pending', run_at: at(10), attempts: 2 },
    { kind: 'webhook', dedupe_key: 'whd_pending', payload: '{"deliveryId":"whd_pending"}', status: 'pending', run_at: at(-1), attempts: 1 },
  ]);
  expect((await db.selectFrom('outbox').select('status').where('id', '=', 'msg_held').executeTakeFirstOrThrow()).status).toBe('pending');

  const sent: string[] = [];
  const posted: string[] = [];
  const runner = createJobRunner({ db, tx: writeTransactions(db), now: clock.now, log: () => {} });
  runner.register(
    'reminder',
    createReminderHandler({
      db,
      now: clock.now,
      from: 'tickets@localhost',
      transport: {
        async sendMail(m) {
          sent.push(m.messageId);
          return { messageId: m.messageId };
        },
      },
      prepare: async (row) => ({ message: { to: `${row.id}@example.com`, subject: 'Reminder', html: '', text: '', headers: {} } }),
    }),
  );
  runner.register(
    'webhook',
    createWebhookHandler({
      db,
      now: clock.now,
      fetch: async (_url, init) => {
        posted.push(String((init!.headers as Record<string, string>)['Encore-Delivery']));
        return new Response('ok');
      },
    }),
  );
  await runner.drainOnce();
  expect(sent).toEqual(['<msg_due@encore>']);
  expect(posted).toEqual(['whd_pending']);
  clock.advance(10);
  await runner.drainOnce();
  expect(sent.sort()).toEqual(['<msg_due@encore>', '<msg_held@encore>', '<msg_retrying@encore>']);
  const outboxRows = await db.selectFrom('outbox').select(['id', 'status', 'attempts']).orderBy('id').execute();
  expect(outboxRows).toEqual([
    { id: 'msg_due', status: 'sent', attempts: 1 },
    { id: 'msg_held', status: 'sent', attempts: 2 },
    { id: 'msg_retrying', status: 'sent', attempts: 3 },
    { id: 'msg_sent', status: 'sent', attempts: 1 },
  ]);
  expect(await db.selectFrom('webhook_deliveries').select(['id', 'status', 'attempts']).orderBy('id').execute()).toEqual([
    { id: 'whd_done', status: 'delivered', attempts: 1 },
    { id: 'whd_pending', status: 'delivered', attempts: 2 },
  ]);
  await db.destroy();
});
