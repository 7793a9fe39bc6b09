// The console's HTTP client: JSON to /api/console/v1 with the session cookie, and the session's
// CSRF token on every request that changes something. Every failure is an ApiFailure carrying
// the API's code, message and every field at fault (the first also as `field`).
import { signal } from '@preact/signals';
import type { ApiErrorBody, FieldIssue } from '../server/contracts/widget.ts';

export const BASE = '/api/console/v1';

/** Set from sign-in and GET /me. */
export const csrfToken = signal<string | null>(null);
/** Called on a 401 (the session ended elsewhere): the app shows the sign-in form. */
export const onSignedOut = { current: () => {} };

export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken.value) headers['X-CSRF-Token'] = csrfToken.value;
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure('NETWORK', '', 0);
  }
  if (res.status === 204) return null as T;
  const data = (await res.json().catch(() => null)) as (T & Partial<ApiErrorBody>) | null;
  // 202 Accepted (a reset link asked for) has no body either.
  if (res.ok && (data || res.status === 202)) return data as T;
  const error = data?.error;
  if (res.status === 401 && path !== '/session' && path !== '/me') onSignedOut.current();
  throw new ApiFailure(error?.code ?? 'SERVER', error?.message ?? res.statusText, res.status, error?.field, data?.errors ?? []);
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = (path: string) => api<null>('DELETE', path);
