// Signing organizers in and recognising them again: session cookies for people, API keys for
// scripts. Only hashes of cookie values and keys are stored.
import type { ConsoleSession } from '../contracts/console.ts';
import type { Locale } from '../contracts/widget.ts';
import { deleteSession, findActiveApiKey, findLiveSession, findOrganizer, findUser, findUserByEmail, insertSession, touchApiKey } from './access-db.ts';
import type { Db } from '../platform/db/database.ts';
import type { ConsoleRole } from '../platform/db/schema.ts';
import { DomainError } from '../platform/errors.ts';
import { hashSecret, newSecret } from '../platform/ids.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { assertHashingRoom, burnPasswordCheck, verifyPassword } from './passwords.ts';

export const SESSION_DAYS = 14;
const API_KEY_TOUCH_MS = 60_000;

export interface Principal {
  organizerId: string;
  userId: string | null;
  /** Present for cookie sessions: unsafe methods must echo it. */
  csrfToken: string | null;
  /** The user's; an API key, made by an owner, acts as one. */
  role: ConsoleRole;
  /** Who acts, as an order's history names them: the user's email, or `api key: <its name>`. */
  actor: string;
  /** An API key's scopes; null for a person. */
  scopes?: readonly string[] | null;
}

export async function signIn(
  db: Db,
  throttle: LoginThrottle,
  input: { email: string; password: string },
  now: Date,
  /** The client's address (platform/http/client-address.ts), for the throttle. */
  address: string,
): Promise<{ cookieValue: string; session: ConsoleSession }> {
  // An overloaded moment costs the refused nothing but this check (no reads, no writes).
  assertHashingRoom();
  const waitMs = await throttle.waitMs(input.email, address, now);
  if (waitMs > 0) {
    const minutes = Math.ceil(waitMs / 60_000);
    throw new DomainError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${minutes} min`);
  }
  // Counted as failed until proven right, so a burst of parallel guesses is capped too.
  await throttle.failed(input.email, address, now);
  const user = await findUserByEmail(db, input.email);
  if (!user) await burnPasswordCheck(input.password);
  if (!user || !(await verifyPassword(input.password, user.password_hash))) throw new DomainError('UNAUTHORIZED', 'Wrong email or password');
  await throttle.succeeded(input.email, address);
  const cookieValue = newSecret();
  const csrfToken = newSecret();
  await insertSession(db, {
    id_hash: hashSecret(cookieValue),
    user_id: user.id,
    organizer_id: user.organizer_id,
    csrf_token: csrfToken,
    expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    created_at: now.toISOString(),
  });
  return { cookieValue, session: await describeSession(db, { organizerId: user.organizer_id, userId: user.id, csrfToken }) };
}

export async function signOut(db: Db, cookieValue: string, now: Date): Promise<void> {
  await deleteSession(db, hashSecret(cookieValue), now.toISOString());
}

export async function sessionPrincipal(db: Db, cookieValue: string, now: Date): Promise<Principal | null> {
  const session = await findLiveSession(db, hashSecret(cookieValue), now.toISOString());
  if (!session) return null;
  const { role, email } = await findUser(db, session.user_id);
  return { organizerId: session.organizer_id, userId: session.user_id, csrfToken: session.csrf_token, role, actor: email };
}

export async function apiKeyPrincipal(db: Db, key: string, now: Date): Promise<Principal | null> {
  const row = await findActiveApiKey(db, hashSecret(key));
  if (!row) return null;
  // At most one write a minute per key: enough to show "last used", cheap for busy scripts.
  if (!row.last_used_at || Date.parse(row.last_used_at) <= now.getTime() - API_KEY_TOUCH_MS) {
    await touchApiKey(db, row.id, now.toISOString());
  }
  return {
    organizerId: row.organizer_id,
    userId: null,
    csrfToken: null,
    role: 'owner',
    actor: `api key: ${row.name}`,
    scopes: JSON.parse(row.scopes) as string[],
  };
}

export async function describeSession(db: Db, principal: Omit<Principal, 'role' | 'actor'>): Promise<ConsoleSession> {
  const organizer = await findOrganizer(db, principal.organizerId);
  const user = principal.userId ? await findUser(db, principal.userId) : null;
  return {
    user: user && { id: user.id, email: user.email, name: user.name, locale: user.locale as Locale, role: user.role },
    organizer: { id: organizer.id, name: organizer.name, slug: organizer.slug },
    csrfToken: principal.csrfToken,
  };
}
