import { Hono, type Context } from 'hono';
import type { EventRow } from './catalogue-db.ts';
import type { BootstrapCache } from './bootstrap-cache.ts';
import { checkoutInput, createCartInput, updateCartInput } from '../contracts/widget.ts';
import { createCart, readCart, updateCartFor } from './cart-service.ts';
import { checkout } from './checkout.ts';
import { DomainError } from '../platform/errors.ts';
import type { Store } from '../store.ts';
import { previewCarts } from '../console/preview-carts.ts';
import { RateLimited, takeCheckoutRate } from './grab-limits.ts';
import type { GrabGuard } from '../platform/config.ts';
import { clientOf, keyedCaller } from './client.ts';
import { originCheck, touchingEvent } from './cors.ts';
import { bearerToken, readJson } from '../platform/http/errors.ts';

/** A rate-limited answer says when to come back. */
async function retryAfter<T>(c: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RateLimited) c.header('Retry-After', String(error.retryAfterSeconds));
    throw error;
  }
}

/**
 * `secret` checks the console preview's token: a cart call carrying X-Encore-Preview is rehearsed,
 * never kept; it also keys client hashes. With `guard`, a cart is created only from an allowed
 * Origin or with the organizer's API key, and browser clients are held to their share (grab-limits.ts).
 */
export function cartsApi(store: Store, extraOrigins: string[], bootstraps: BootstrapCache, secret: string, guard: GrabGuard | null = null) {
  const touching = <T>(c: Context, handle: (origin: (event: EventRow) => void) => Promise<T>) => touchingEvent(c, extraOrigins, bootstraps, handle);
  const previews = previewCarts(store, secret);
  const previewOf = (c: Context) => c.req.header('x-encore-preview');
  const app = new Hono();

  app.post('/', async (c) => {
    const input = await readJson(c, createCartInput);
    const preview = previewOf(c);
    if (preview) return c.json(await previews.create(preview, input), 201);
    if (!guard) return c.json(await touching(c, (origin) => createCart(store, input, origin)), 201);
    // No Origin: not a browser, so no allowed site vouches for it; the organizer's key must.
    const keyed = c.req.header('origin') === undefined ? await keyedCaller(c, store) : null;
    const client = keyed ? null : clientOf(c, guard, secret);
    const cart = await retryAfter(c, () =>
      touching(c, (origin) =>
        createCart(
          store,
          input,
          (event) => {
            origin(event);
            keyed?.(event);
          },
          client,
        ),
      ),
    );
    return c.json(cart, 201);
  });

  app.get('/:id', async (c) => {
    const preview = previewOf(c);
    const cart = preview
      ? await previews.read(preview, c.req.param('id'), bearerToken(c))
      : await readCart(store, c.req.param('id'), bearerToken(c), originCheck(c, extraOrigins));
    c.header('Cache-Control', 'no-store');
    return c.json(cart);
  });

  app.patch('/:id', async (c) => {
    const input = await readJson(c, updateCartInput);
    const preview = previewOf(c);
    if (preview) return c.json(await previews.update(preview, c.req.param('id'), bearerToken(c), input));
    const cart = await touching(c, (origin) => updateCartFor(store, c.req.param('id'), bearerToken(c), input, origin, guard?.limits));
    return c.json(cart);
  });

  app.post('/:id/checkout', async (c) => {
    const key = c.req.header('idempotency-key') ?? null;
    if (key !== null && (key.length < 1 || key.length > 255)) {
      throw new DomainError('VALIDATION', 'Idempotency-Key must be 1 to 255 characters', 'Idempotency-Key');
    }
    const input = await readJson(c, checkoutInput, { optional: true });
    const preview = previewOf(c);
    if (preview) return c.json(await previews.checkout(preview, c.req.param('id'), bearerToken(c), input), 201);
    if (guard) await retryAfter(c, () => takeCheckoutRate(store, c.req.param('id'), clientOf(c, guard, secret)));
    const result = await touching(c, (origin) => checkout(store, c.req.param('id'), bearerToken(c), input, key, origin));
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.body, result.status as 201);
  });

  return app;
}
