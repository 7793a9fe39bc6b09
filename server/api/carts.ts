import { Hono, type Context } from 'hono';
import type { EventRow } from '../db/catalogue.ts';
import type { BootstrapCache } from '../domain/bootstrap-cache.ts';
import { checkoutInput, createCartInput, updateCartInput } from '../contracts.ts';
import { createCart, readCart, updateCartFor } from '../domain/cart-service.ts';
import { checkout } from '../domain/checkout.ts';
import { DomainError } from '../domain/errors.ts';
import type { Store } from '../domain/store.ts';
import { previewCarts } from '../domain/preview-carts.ts';
import { originCheck, touchingEvent } from './cors.ts';
import { bearerToken, readJson } from './errors.ts';

/** `secret` checks the console preview's token: a cart call carrying X-Encore-Preview is rehearsed, never kept. */
export function cartsApi(store: Store, extraOrigins: string[], bootstraps: BootstrapCache, secret: string) {
  const touching = <T>(c: Context, handle: (origin: (event: EventRow) => void) => Promise<T>) => touchingEvent(c, extraOrigins, bootstraps, handle);
  const previews = previewCarts(store, secret);
  const previewOf = (c: Context) => c.req.header('x-encore-preview');
  const app = new Hono();

  app.post('/', async (c) => {
    const input = await readJson(c, createCartInput);
    const preview = previewOf(c);
    if (preview) return c.json(await previews.create(preview, input), 201);
    const cart = await touching(c, (origin) => createCart(store, input, origin));
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
    const cart = await touching(c, (origin) => updateCartFor(store, c.req.param('id'), bearerToken(c), input, origin));
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
    const result = await touching(c, (origin) => checkout(store, c.req.param('id'), bearerToken(c), input, key, origin));
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.body, result.status as 201);
  });

  return app;
}
