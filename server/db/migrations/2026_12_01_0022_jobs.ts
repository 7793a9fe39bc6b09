// One leased job queue for everything sent in the background (reminders, order mail, webhook
// deliveries): see db/jobs.ts for the claim and the fence, jobs/runner.ts for the worker.
// Due rows are read from jobs_due, a partial index holding only pending jobs, and leases that ran
// out from jobs_leased (only running ones): a claim never walks the history of finished jobs.
// Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

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
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
