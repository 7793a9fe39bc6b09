// Who is asking, for the grab limits (sales/grab-limits.ts): the address a cart request comes
// from, and for a request without an Origin header (a script, not a browser) the organizer's
// API key it must carry.
import type { Context } from 'hono';
import type { EventRow } from './catalogue-db.ts';
import { apiKeyPrincipal } from '../console/auth.ts';
import { DomainError } from '../platform/errors.ts';
import type { GrabGuard } from '../platform/config.ts';
import { clientAddress } from '../platform/http/client-address.ts';
import { clientHash, type Client } from './grab-limits.ts';
import type { Store } from '../store.ts';
import { bearerToken } from '../platform/http/errors.ts';

export const clientOf = (c: Context, guard: GrabGuard, secret: string): Client => ({
  hash: clientHash(secret, clientAddress(c, guard.trustProxy)),
  limits: guard.limits,
});

/**
 * For a cart created without an Origin header: the organizer whose API key it carries, checked
 * against the event once it is known. Refused at once when there is no valid key.
 */
export async function keyedCaller(c: Context, store: Store): Promise<(event: EventRow) => void> {
  const key = bearerToken(c);
  const field = 'Authorization';
  if (!key) {
    throw new DomainError('API_KEY_REQUIRED', 'A cart request without an Origin header needs the organizer’s API key: Authorization: Bearer ek_…', field);
  }
  const principal = await apiKeyPrincipal(store.db, key, store.now());
  if (!principal) throw new DomainError('API_KEY_REQUIRED', 'This API key is not valid (revoked or mistyped)', field);
  return (event) => {
    if (event.organizer_id !== principal.organizerId) {
      throw new DomainError('API_KEY_NOT_ALLOWED', 'This API key belongs to another organizer than the event’s', field);
    }
  };
}
