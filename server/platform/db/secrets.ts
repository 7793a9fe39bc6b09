import { randomBytes } from 'node:crypto';
import type { Db } from './database.ts';

/** The named secret, created on first use; every instance on the database shares it. */
export async function instanceSecret(db: Db, name: string): Promise<string> {
  await db
    .insertInto('instance_secrets')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('instance_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
