// The HTTP client: one per API base, on plain fetch. (ky was the first choice but costs ~4.8 KB
// gzip, a quarter of the widget's budget; this does the little we used it for: JSON, a timeout,
// one retry for GETs.) Every failure becomes a Failure with a code the UI can explain.
import type {
  ApiError,
  CartView,
  CheckoutResponse,
  CreateCartInput,
  ErrorCode,
  EventBootstrap,
  Locale,
  OrderView,
  ResumeResponse,
  UpdateCartInput,
} from '../server/contracts/widget.ts';

/** NETWORK: no answer (offline, timeout, CORS); SERVER: a 5xx or an answer we cannot read. */
/** PAYMENT_EXPIRED: the visitor came back from paying after the order expired; PAYMENT_REFUNDED: and the money they paid goes back. */
export type FailureCode = ErrorCode | 'NETWORK' | 'SERVER' | 'PAYMENT_EXPIRED' | 'PAYMENT_REFUNDED';

export class Failure extends Error {
  constructor(
    readonly code: FailureCode,
    readonly field?: string,
  ) {
    super(code);
  }
  /** Worth a "try again" button: nothing was decided by the server. */
  get transient() {
    return this.code === 'NETWORK' || this.code === 'SERVER';
  }
}

/** Anything thrown, as a Failure the UI can explain (unknown errors read as SERVER). */
export const asFailure = (error: unknown) => (error instanceof Failure ? error : new Failure('SERVER'));

const TIMEOUT_MS = 10_000;
const GET_RETRY_DELAY_MS = 300;

export type Api = ReturnType<typeof createApi>;

/** `preview`: a console preview token (data-encore-preview), sent with every request. */
export function createApi(base: string, preview?: string | null) {
  /** Server clock minus client clock, from the Date header when the browser lets us read it. */
  let clockOffset = 0;

  async function request<T>(method: string, path: string, options: { json?: unknown; token?: string; key?: string } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.json) headers['Content-Type'] = 'application/json';
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.key) headers['Idempotency-Key'] = options.key;
    // The console's preview: the server rehearses cart calls and keeps nothing.
    if (preview) headers['X-Encore-Preview'] = preview;
    // Only reads are retried by us: a write is retried by the visitor's click (same idempotency key).
    for (let attempt = method === 'GET' ? 0 : 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${base}/api/v1/${path}`, {
          method,
          headers,
          body: options.json ? JSON.stringify(options.json) : undefined,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch {
        if (attempt === 0) continue;
        throw new Failure('NETWORK');
      }
      if (response.status >= 500) {
        if (attempt === 0) {
          await new Promise((resolve) => setTimeout(resolve, GET_RETRY_DELAY_MS));
          continue;
        }
        throw new Failure('SERVER');
      }
      // The header drops the milliseconds: take the latest time it allows, so the countdown
      // never shows more time than is left. Differences under two seconds are noise.
      const date = Date.parse(response.headers.get('date') ?? '') + 999 - Date.now();
      if (date) clockOffset = Math.abs(date) > 2000 ? date : 0;
      const body = await response.json().catch(() => null);
      if (response.ok && body) return body as T;
      const error = (body as ApiError | null)?.error;
      throw error?.code ? new Failure(error.code, error.field) : new Failure('SERVER');
    }
  }

  const cart = (id: string) => `carts/${encodeURIComponent(id)}`;
  const loading = new Map<string, Promise<EventBootstrap>>();

  return {
    base,
    now: () => Date.now() + clockOffset,
    /** Without a locale the texts come in the organizer's default one (and say which). */
    event: (slug: string, locale: Locale | null) => {
      const query = [locale && `locale=${locale}`, preview && `preview=${encodeURIComponent(preview)}`].filter(Boolean).join('&');
      const path = `events/${encodeURIComponent(slug)}${query && `?${query}`}`;
      // Widgets of one event on a page that load together share one request.
      let answer = loading.get(path);
      if (!answer) {
        answer = request<EventBootstrap>('GET', path).finally(() => loading.delete(path));
        loading.set(path, answer);
      }
      return answer;
    },
    createCart: (input: CreateCartInput) => request<CartView>('POST', 'carts', { json: input }),
    getCart: (id: string, token: string) => request<CartView>('GET', cart(id), { token }),
    patchCart: (id: string, token: string, input: UpdateCartInput) => request<CartView>('PATCH', cart(id), { json: input, token }),
    resume: (token: string, device?: string) => request<ResumeResponse>('POST', 'resume', { json: { token, device } }),
    checkout: (id: string, token: string, key: string) => request<CheckoutResponse>('POST', `${cart(id)}/checkout`, { json: {}, token, key }),
    /** The order a checked-out cart became (after paying elsewhere), and another try at paying it. */
    order: (id: string, token: string) => request<OrderView>('GET', `${cart(id)}/order`, { token }),
    pay: (id: string, token: string) => request<{ redirectUrl: string }>('POST', `${cart(id)}/order/payment`, { json: {}, token }),
  };
}
