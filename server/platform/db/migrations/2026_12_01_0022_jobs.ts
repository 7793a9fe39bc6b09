// One leased job queue for everything sent in the background (reminders, order mail, webhook
// deliveries): see db/jobs.ts for the claim and the fence, jobs/runner.ts for the worker.
// Due rows are read from jobs_due, a partial index holding only pending jobs, and leases that ran
// out from jobs_leased (only running ones): a claim never walks the history of finished jobs.
//
// The reminder outbox and the webhook delivery log stay as the records the stats and the console
// read; their own claims go. Every reminder and delivery not yet settled gets its job, due when
// it was (a row a worker held at the upgrade, when its lease ends), with its attempts so far.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';
import { jsonObject } from '../engine.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // Unique per kind; jobs without a key (null) never collide.
  await db.schema.createIndex('jobs_dedupe').on('jobs').columns(['kind', 'dedupe_key']).unique().execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['kind', 'run_at']).where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('jobs_leased').on('jobs').columns(['kind', 'lease_until']).where(sql.ref('status'), '=', 'running').execute();

  await sql`insert into jobs (id, kind, dedupe_key, payload, status, run_at, attempts, created_at, updated_at)
    select 'job_' || id, 'reminder', id, ${jsonObject(db, [['outboxId', sql.ref('id')]])}, 'pending',
      case when status = 'sending' then coalesce(lease_until, due_at) else due_at end, attempts, created_at, created_at
    from outbox where status in ('pending', 'sending')`.execute(db);
  await sql`insert into jobs (id, kind, dedupe_key, payload, status, run_at, attempts, created_at, updated_at)
    select 'job_' || id, 'webhook', id, ${jsonObject(db, [['deliveryId', sql.ref('id')]])}, 'pending',
      case when status = 'sending' then coalesce(lease_until, due_at) else due_at end, attempts, created_at, created_at
    from webhook_deliveries where status in ('pending', 'sending')`.execute(db);
  for (const table of ['outbox', 'webhook_deliveries']) {
    await sql`update ${sql.table(table)} set status = 'pending' where status = 'sending'`.execute(db);
    await db.schema.alterTable(table).dropColumn('lease_until').execute();
  }
  await db.schema.dropIndex('outbox_due').execute();
  await db.schema.dropIndex('webhook_deliveries_due').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['outbox', 'webhook_deliveries']) await db.schema.alterTable(table).addColumn('lease_until', 'text').execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'due_at']).execute();
  // Due times as the queue last set them (a retry moves run_at, not the record's due_at).
  await sql`update outbox set due_at = (select j.run_at from jobs j where j.kind = 'reminder' and j.dedupe_key = outbox.id)
    where status = 'pending' and exists (select 1 from jobs j where j.kind = 'reminder' and j.dedupe_key = outbox.id)`.execute(db);
  await db.schema.dropTable('jobs').execute();
}
