// Creating organizers, their people and their API keys (CLI, demo seed, console).
import { randomBytes } from 'node:crypto';
import type { ApiKeyScope } from '../contracts/console.ts';
import type { Locale } from '../contracts/widget.ts';
import {
  apiKeyExists,
  countOwners,
  deleteUser,
  findOwnUser,
  findUserByEmail,
  insertApiKey,
  insertOrganizer,
  insertUser,
  listApiKeys,
  listUsers,
  organizerSlugTaken,
  setUserRole,
  revokeApiKey,
} from './access-db.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { lockName } from '../platform/db/locks.ts';
import type { ConsoleRole, OrganizerUsersTable } from '../platform/db/schema.ts';
import { DomainError } from '../platform/errors.ts';
import { hashSecret, newId } from '../platform/ids.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';

export interface NewUser {
  email: string;
  password: string;
  name: string;
  locale: Locale;
  /** Default `owner`. */
  role?: ConsoleRole;
}

/** Checks and hashes before anything is written, so a bad password leaves nothing half-made. */
async function userRow(db: Db, organizerId: string, user: NewUser, now: Date): Promise<OrganizerUsersTable> {
  if (user.password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('VALIDATION', `The password must be at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  }
  const email = user.email.trim().toLowerCase();
  if (await findUserByEmail(db, email)) throw new DomainError('VALIDATION', `${email} already has an account`, 'email');
  return {
    id: newId('usr'),
    organizer_id: organizerId,
    email,
    password_hash: await hashPassword(user.password),
    name: user.name,
    locale: user.locale,
    created_at: now.toISOString(),
    role: user.role ?? 'owner',
  };
}

export async function createUser(db: Db, organizerId: string, user: NewUser, now: Date): Promise<string> {
  const row = await userRow(db, organizerId, user, now);
  await insertUser(db, row);
  return row.id;
}

/** A URL-safe slug from a name; names in other scripts fall back to `theatre`. */
function slugFrom(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return ascii || 'theatre';
}

async function freeSlug(db: Db, wanted: string): Promise<string> {
  if (!(await organizerSlugTaken(db, wanted))) return wanted;
  for (;;) {
    const candidate = `${wanted}-${randomBytes(3).toString('hex')}`;
    if (!(await organizerSlugTaken(db, candidate))) return candidate;
  }
}

export async function createOrganizer(
  db: Db,
  input: { name: string; allowedOrigins: string[]; user: NewUser },
  now: Date,
): Promise<{ organizerId: string; slug: string; userId: string }> {
  const organizerId = newId('org');
  const user = await userRow(db, organizerId, input.user, now);
  const slug = await freeSlug(db, slugFrom(input.name));
  await db.transaction().execute(async (trx) => {
    await insertOrganizer(trx, {
      id: organizerId,
      slug,
      name: input.name,
      email: user.email,
      allowed_origins: JSON.stringify(input.allowedOrigins),
      settings: '{}',
      created_at: now.toISOString(),
    });
    await insertUser(trx, user);
  });
  return { organizerId, slug, userId: user.id };
}

/** The key itself is returned once and never stored; only its hash and first characters are. */
export async function createApiKey(
  db: Db,
  organizerId: string,
  name: string,
  now: Date,
  scopes: readonly ApiKeyScope[] = ['stats', 'events', 'orders', 'webhooks'],
) {
  const key = `ek_${randomBytes(32).toString('base64url')}`;
  const id = newId('key');
  const prefix = key.slice(0, 10);
  await insertApiKey(db, {
    id,
    organizer_id: organizerId,
    name,
    prefix,
    key_hash: hashSecret(key),
    created_at: now.toISOString(),
    last_used_at: null,
    revoked_at: null,
    scopes: JSON.stringify([...new Set(scopes)]),
  });
  return { id, name, prefix, key, createdAt: now.toISOString(), scopes: [...new Set(scopes)] };
}

export async function listKeys(db: Db, organizerId: string) {
  const rows = await listApiKeys(db, organizerId);
  return rows.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.created_at,
    lastUsedAt: k.last_used_at,
    revokedAt: k.revoked_at,
    scopes: JSON.parse(k.scopes) as ApiKeyScope[],
  }));
}

/** Revoking twice is fine; another organizer's key is NOT_FOUND like a missing one. */
export async function revokeKey(db: Db, organizerId: string, id: string, now: Date): Promise<void> {
  if (await revokeApiKey(db, organizerId, id, now.toISOString())) return;
  if (!(await apiKeyExists(db, organizerId, id))) throw new DomainError('NOT_FOUND', 'No such API key');
}

/** For the CLI: a key for the organizer of the person with this email. */
/** Another console user for the organizer of an existing user (`of`), e.g. a box office cashier. */
export async function createUserBeside(db: Db, of: string, user: NewUser, now: Date) {
  const existing = await findUserByEmail(db, of.trim().toLowerCase());
  if (!existing) throw new DomainError('VALIDATION', `No console user has the email ${of}`, 'organizer-email');
  return createUser(db, existing.organizer_id, user, now);
}

export async function createApiKeyForUser(db: Db, email: string, name: string, now: Date) {
  const user = await findUserByEmail(db, email.trim().toLowerCase());
  if (!user) throw new DomainError('VALIDATION', `No console user has the email ${email}`, 'email');
  return createApiKey(db, user.organizer_id, name, now);
}

// The organizer's people, managed by its owners in the console (console/routes/users.ts). An
// organizer always keeps an owner: the last one can be neither demoted nor removed, and nobody
// removes themselves (another owner does). A removed person's sessions end at once; a changed
// role applies from their next request (the role is read per request).

export async function teamMembers(db: Db, organizerId: string, me: string | null) {
  return (await listUsers(db, organizerId)).map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.created_at, you: u.id === me }));
}

export async function addMember(db: Db, organizerId: string, user: NewUser, now: Date) {
  const id = await createUser(db, organizerId, user, now);
  return (await teamMembers(db, organizerId, null)).find((u) => u.id === id)!;
}

async function member(db: Db, organizerId: string, id: string) {
  const user = await findOwnUser(db, organizerId, id);
  if (!user) throw new DomainError('NOT_FOUND', 'No such person');
  return user;
}

/** Under the organizer's team lock, so two owners demoting or removing each other at once cannot leave none. */
export async function changeRole(trx: Trx, organizerId: string, id: string, role: ConsoleRole) {
  await lockName(trx, 'team', organizerId);
  const user = await member(trx, organizerId, id);
  if (user.role === 'owner' && role !== 'owner' && (await countOwners(trx, organizerId)) <= 1) {
    throw new DomainError('LAST_OWNER', 'This is the only owner: make someone else an owner first', 'role');
  }
  await setUserRole(trx, organizerId, id, role);
}

/** Under the organizer's team lock (see changeRole). */
export async function removeMember(trx: Trx, organizerId: string, id: string, me: string | null) {
  await lockName(trx, 'team', organizerId);
  const user = await member(trx, organizerId, id);
  if (id === me) throw new DomainError('LAST_OWNER', 'You cannot remove yourself: ask another owner');
  if (user.role === 'owner' && (await countOwners(trx, organizerId)) <= 1) {
    throw new DomainError('LAST_OWNER', 'This is the only owner: make someone else an owner first');
  }
  await deleteUser(trx, organizerId, id);
}
