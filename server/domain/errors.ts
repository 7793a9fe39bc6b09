import type { ErrorCode } from '../contracts.ts';

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
  CSRF: 403,
  SLUG_TAKEN: 409,
  CAPACITY_BELOW_SOLD: 409,
  MAIL_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A rule said no. The API turns it into `{"error":{code,message,field}}` with its status. */
export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}
