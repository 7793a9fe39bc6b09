// Who may use the console: organizer users, their sessions and API keys.
import type { Db } from '../platform/db/database.ts';
import type { ApiKeysTable, ConsoleRole, OrganizersTable, OrganizerUsersTable, SessionsTable } from '../platform/db/schema.ts';

export function insertOrganizer(db: Db, row: OrganizersTable) {
  return db.insertInto('organizers').values(row).execute();
}

export async function organizerSlugTaken(db: Db, slug: string): Promise<boolean> {
  return (await db.selectFrom('organizers').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

export function findOrganizer(db: Db, id: string) {
  return db.selectFrom('organizers').select(['id', 'name', 'slug']).where('id', '=', id).executeTakeFirstOrThrow();
}

export function findOrganizerBySlug(db: Db, slug: string) {
  return db.selectFrom('organizers').select(['id', 'name', 'slug']).where('slug', '=', slug).executeTakeFirst();
}

export function insertUser(db: Db, row: OrganizerUsersTable) {
  return db.insertInto('organizer_users').values(row).execute();
}

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('organizer_users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUser(db: Db, id: string) {
  return db.selectFrom('organizer_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The organizer's people, oldest first. */
export function listUsers(db: Db, organizerId: string) {
  return db
    .selectFrom('organizer_users')
    .select(['id', 'email', 'name', 'role', 'created_at'])
    .where('organizer_id', '=', organizerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findOwnUser(db: Db, organizerId: string, id: string) {
  return db.selectFrom('organizer_users').selectAll().where('id', '=', id).where('organizer_id', '=', organizerId).executeTakeFirst();
}

export async function countOwners(db: Db, organizerId: string): Promise<number> {
  const row = await db
    .selectFrom('organizer_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organizer_id', '=', organizerId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function setUserRole(db: Db, organizerId: string, id: string, role: ConsoleRole) {
  return db.updateTable('organizer_users').set({ role }).where('id', '=', id).where('organizer_id', '=', organizerId).execute();
}

/** A person leaves: their sessions end with them (by the sessions_user index). */
export async function deleteUser(db: Db, organizerId: string, id: string) {
  await db.deleteFrom('sessions').where('user_id', '=', id).execute();
  await db.deleteFrom('organizer_users').where('id', '=', id).where('organizer_id', '=', organizerId).execute();
}

export function insertSession(db: Db, row: SessionsTable) {
  return db.insertInto('sessions').values(row).execute();
}

export function findLiveSession(db: Db, idHash: string, now: string) {
  return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
}

export async function deleteSession(db: Db, idHash: string, now: string) {
  // Expired rows go too: nothing else reads them.
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('id_hash', '=', idHash), eb('expires_at', '<=', now)]))
    .execute();
}

export function insertApiKey(db: Db, row: ApiKeysTable) {
  return db.insertInto('api_keys').values(row).execute();
}

export function findActiveApiKey(db: Db, keyHash: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'organizer_id', 'name', 'last_used_at', 'scopes'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function touchApiKey(db: Db, id: string, now: string) {
  return db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

export function listApiKeys(db: Db, organizerId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at', 'scopes'])
    .where('organizer_id', '=', organizerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Returns whether a key of this organizer was revoked now (false when absent or already revoked). */
export async function revokeApiKey(db: Db, organizerId: string, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('organizer_id', '=', organizerId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function apiKeyExists(db: Db, organizerId: string, id: string): Promise<boolean> {
  const row = await db.selectFrom('api_keys').select('id').where('id', '=', id).where('organizer_id', '=', organizerId).executeTakeFirst();
  return row !== undefined;
}
