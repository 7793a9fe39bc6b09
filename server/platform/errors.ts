import type { z } from 'zod';
import type { ErrorCode, FieldIssue } from '../contracts/widget.ts';

const STATUS: Record<ErrorCode, number> = {
  BAD_JSON: 400,
  VALIDATION: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  ORIGIN_NOT_ALLOWED: 403,
  SOLD_OUT: 409,
  SALES_CLOSED: 409,
  HOLD_EXPIRED: 409,
  QUANTITY_LIMIT: 422,
  CART_COMPLETED: 409,
  BUYER_REQUIRED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYLOAD_TOO_LARGE: 413,
  RESUME_INVALID: 400,
  RESUME_EXPIRED: 410,
  TOO_MANY_ATTEMPTS: 429,
  API_KEY_REQUIRED: 401,
  API_KEY_NOT_ALLOWED: 403,
  TOO_MANY_HOLDS: 429,
  RATE_LIMITED: 429,
  CSRF: 403,
  SLUG_TAKEN: 409,
  CAPACITY_BELOW_SOLD: 409,
  HAS_SALES: 409,
  MAIL_UNAVAILABLE: 503,
  PAYMENT_FAILED: 409,
  ORDER_STATE: 409,
  PROMO_CODE_INVALID: 422,
  PROMO_CODE_EXPIRED: 422,
  PROMO_CODE_USED_UP: 422,
  CODE_TAKEN: 409,
  LAST_OWNER: 409,
  FORBIDDEN: 403,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/**
 * A rule said no. The API turns it into `{"error":{code,message,field}}` with its status, plus
 * `"errors":[…]` listing every field at fault when `issues` names more than the first.
 */
export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly issues: readonly FieldIssue[] = field === undefined ? [] : [{ code, message, field }],
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

/**
 * Every field a form got wrong, as one error: the first issue is the error, all of them its
 * `errors`. Several issues with one field keep the first (the one to fix first).
 */
export function fieldErrors(issues: readonly FieldIssue[]): DomainError | null {
  const seen = new Set<string>();
  const unique = issues.filter((issue) => !seen.has(issue.field) && seen.add(issue.field));
  const first = unique[0];
  return first ? new DomainError(first.code, first.message, first.field, unique) : null;
}

/** For checks collected one by one and then raised together. */
export function assertNoIssues(issues: readonly FieldIssue[]): void {
  const error = fieldErrors(issues);
  if (error) throw error;
}

/** A zod failure as a VALIDATION error naming every field; `prefix` places it in a larger body. */
export function invalidInput(error: z.ZodError, prefix: string[] = []): DomainError {
  const issues = error.issues.map((issue) => {
    // An unknown key is reported at the key itself, not at the object holding it.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
    return { code: 'VALIDATION' as const, message: issue.message, field: [...prefix, ...issue.path.map(String), ...keys].join('.') };
  });
  // The body as a whole was wrong (not an object, say): there is no field to name.
  if (issues[0]!.field === '') return new DomainError('VALIDATION', issues[0]!.message);
  return fieldErrors(issues.filter((i) => i.field !== ''))!;
}
