// One error shape for every failure, and the request parsing that produces the 4xx ones.
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import type { ApiErrorBody, ErrorCode, FieldIssue } from '../../contracts/widget.ts';
import { isUnavailable, RETRY_AFTER_SECONDS } from '../db/health.ts';
import { DomainError, invalidInput } from '../errors.ts';

export function errorBody(code: ErrorCode, message: string, field?: string, issues: readonly FieldIssue[] = []): ApiErrorBody {
  const error = field === undefined ? { code, message } : { code, message, field };
  return issues.length === 0 ? { error } : { error, errors: [...issues] };
}

export function onError(log: (line: string) => void) {
  return (err: Error, c: Context) => {
    if (err instanceof DomainError) {
      return c.json(errorBody(err.code, err.message, err.field, err.issues), err.status as 400);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json(errorBody('VALIDATION', err.message || 'Bad request'), err.status);
    }
    const requestId = crypto.randomUUID();
    log(`[${requestId}] ${c.req.method} ${c.req.path} failed: ${err.stack ?? err}`);
    if (isUnavailable(err)) {
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return c.json(
        errorBody('UNAVAILABLE', `The service is busy just now; nothing was changed. Try again in ${RETRY_AFTER_SECONDS} seconds (request ${requestId})`),
        503,
      );
    }
    return c.json(errorBody('INTERNAL', `Something went wrong on our side (request ${requestId})`), 500);
  };
}

export function notFound(c: Context) {
  return c.json(errorBody('NOT_FOUND', `Nothing at ${c.req.method} ${c.req.path}`), 404);
}

/** The largest request body any endpoint reads. */
export const MAX_BODY_BYTES = 64 * 1024;
const tooLarge = () => new DomainError('PAYLOAD_TOO_LARGE', 'The request body is larger than 64 KB');

/** Refuses a body that says it is too large before anything reads it. */
export const declaredBodyLimit: MiddlewareHandler = (c, next) => {
  const length = Number(c.req.header('content-length'));
  if (length > MAX_BODY_BYTES) throw tooLarge();
  return next();
};

/**
 * The body as text, at most MAX_BODY_BYTES. Under @hono/node-server it is read straight from the
 * Node request (building a web Request just to read a small JSON body costs a tenth of a cart
 * request); elsewhere (app.request in tests, other runtimes) through the web Request.
 */
async function bodyText(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || typeof incoming.on !== 'function') {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
    return text;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON body and validates it; malformed JSON and schema misses are 400s naming every field at fault. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, { optional = false } = {}): Promise<z.infer<S>> {
  const text = await bodyText(c);
  let value: unknown;
  if (text.trim() === '' && optional) {
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      throw new DomainError('BAD_JSON', 'The request body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

export function bearerToken(c: Context): string | null {
  const header = c.req.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match ? match[1]! : null;
}
