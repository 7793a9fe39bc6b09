// The HTTP client: one per API base. Every failure becomes a Failure with a code the UI can
// explain; the bundle never shows raw server or network errors.
import ky, { isHTTPError } from 'ky';
import type {
  ApiError,
  CartView,
  CheckoutResponse,
  CreateCartInput,
  ErrorCode,
  EventBootstrap,
  UpdateCartInput,
} from '../server/contracts.ts';

/** NETWORK: no answer (offline, timeout, CORS); SERVER: a 5xx or an answer we cannot read. */
export type FailureCode = ErrorCode | 'NETWORK' | 'SERVER';

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

async function toFailure(error: unknown): Promise<Failure> {
  if (error instanceof Failure) return error;
  if (!isHTTPError(error)) return new Failure('NETWORK');
  if (error.response.status >= 500) return new Failure('SERVER');
  try {
    const body = (await error.response.json()) as ApiError;
    return new Failure(body.error.code, body.error.field);
  } catch {
    return new Failure('SERVER');
  }
}

export type Api = ReturnType<typeof createApi>;

export function createApi(base: string) {
  /** Server clock minus client clock, from the Date header when the browser lets us read it. */
  let clockOffset = 0;
  const http = ky.create({
    prefixUrl: `${base}/api/v1/`,
    timeout: 10_000,
    retry: { limit: 1, methods: ['get'] },
    hooks: {
      afterResponse: [
        (_request, _options, response) => {
          const date = Date.parse(response.headers.get('date') ?? '');
          // The header has one-second resolution: ignore differences smaller than that noise.
          if (date && Math.abs(date - Date.now()) > 2000) clockOffset = date - Date.now();
        },
      ],
    },
  });

  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw await toFailure(error);
    }
  };
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  return {
    now: () => Date.now() + clockOffset,
    event: (slug: string) => call(() => http.get(`events/${encodeURIComponent(slug)}`).json<EventBootstrap>()),
    createCart: (input: CreateCartInput) => call(() => http.post('carts', { json: input }).json<CartView>()),
    getCart: (id: string, token: string) =>
      call(() => http.get(`carts/${encodeURIComponent(id)}`, { headers: auth(token) }).json<CartView>()),
    patchCart: (id: string, token: string, input: UpdateCartInput) =>
      call(() => http.patch(`carts/${encodeURIComponent(id)}`, { json: input, headers: auth(token) }).json<CartView>()),
    checkout: (id: string, token: string, key: string) =>
      call(() =>
        http
          .post(`carts/${encodeURIComponent(id)}/checkout`, { json: {}, headers: { ...auth(token), 'Idempotency-Key': key } })
          .json<CheckoutResponse>(),
      ),
  };
}
