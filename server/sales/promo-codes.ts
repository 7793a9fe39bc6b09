// Whether a discount code applies to a cart, and what it takes off. The same rules for the
// organizer's promo codes and reminders' codes: active, started, not ended, a use left, for the
// cart's event and performance, and (an amount) in the event's currency. The price is always
// computed here, on the server, from the stored code.
import { DomainError } from '../platform/errors.ts';
import type { Db } from '../platform/db/database.ts';
import { findCode, type CodeRow } from './promo-codes-db.ts';

/** What buyers type and what is stored: upper case, no spaces ("spring 25" is SPRING25). */
export const normalizeCode = (code: string) => code.replace(/\s+/g, '').toUpperCase();

export interface CodeScope {
  organizerId: string;
  eventId: string;
  performanceId: string;
  currency: string;
}

/** Why the code does not apply, or null when it does. */
export function codeProblem(row: CodeRow | undefined, scope: CodeScope, now: string): DomainError | null {
  const field = 'discountCode';
  if (
    !row ||
    row.active !== 1 ||
    row.organizer_id !== scope.organizerId ||
    (row.event_id !== null && row.event_id !== scope.eventId) ||
    (row.performance_id !== null && row.performance_id !== scope.performanceId) ||
    (row.kind === 'amount' && row.currency !== null && row.currency !== scope.currency)
  ) {
    return new DomainError('PROMO_CODE_INVALID', 'This code is not valid for this performance', field);
  }
  if ((row.starts_at !== null && row.starts_at > now) || (row.expires_at !== null && row.expires_at <= now)) {
    return new DomainError('PROMO_CODE_EXPIRED', row.starts_at !== null && row.starts_at > now ? 'This code is not valid yet' : 'This code has expired', field);
  }
  if (row.max_uses !== null && row.used_count >= row.max_uses) return new DomainError('PROMO_CODE_USED_UP', 'This code has been used up', field);
  return null;
}

/** The code if it applies to the cart now; throws the reason (422, field discountCode) if not. */
export async function applicableCode(db: Db, code: string, scope: CodeScope, now: Date): Promise<CodeRow> {
  const row = await findCode(db, scope.organizerId, normalizeCode(code));
  const problem = codeProblem(row, scope, now.toISOString());
  if (problem) throw problem;
  return row!;
}

/** The code if it applies to the cart now, else null (a cart's view shows no discount for it). */
export async function usableCode(db: Db, code: string | null, scope: CodeScope, now: Date): Promise<CodeRow | null> {
  if (!code) return null;
  const row = await findCode(db, scope.organizerId, code);
  return codeProblem(row, scope, now.toISOString()) ? null : row!;
}
