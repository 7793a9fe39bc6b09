// Finished jobs (done, cancelled, failed) are deleted after a while (jobs/retention.ts): their
// record lives on where it matters (the outbox row, the webhook delivery, the order's history).
// This index holds only finished jobs, by when they finished, so the sweep reads the oldest few
// without walking the queue. Frozen once released: later changes go into new migrations.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('jobs_finished').on('jobs').column('finished_at').where(sql.ref('finished_at'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_finished').execute();
}
