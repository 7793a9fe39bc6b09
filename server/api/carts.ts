import { Hono } from 'hono';
import { checkoutInput, createCartInput, updateCartInput } from '../contracts.ts';
import { createCart, readCart, updateCartFor } from '../domain/cart-service.ts';
import { checkout } from '../domain/checkout.ts';
import { DomainError } from '../domain/errors.ts';
import type { Store } from '../domain/store.ts';
import { originCheck } from './cors.ts';
import { bearerToken, readJson } from './errors.ts';

export function cartsApi(store: Store, extraOrigins: string[]) {
  const app = new Hono();

  app.post('/', async (c) => {
    const input = await readJson(c, createCartInput);
    const cart = await createCart(store, input, originCheck(c, extraOrigins));
    return c.json(cart, 201);
  });

  app.get('/:id', async (c) => {
    const cart = await readCart(store, c.req.param('id'), bearerToken(c), originCheck(c, extraOrigins));
    c.header('Cache-Control', 'no-store');
    return c.json(cart);
  });

  app.patch('/:id', async (c) => {
    const input = await readJson(c, updateCartInput);
    const cart = await updateCartFor(store, c.req.param('id'), bearerToken(c), input, originCheck(c, extraOrigins));
    return c.json(cart);
  });

  app.post('/:id/checkout', async (c) => {
    const key = c.req.header('idempotency-key') ?? null;
    if (key !== null && (key.length < 1 || key.length > 255)) {
      throw new DomainError('VALIDATION', 'Idempotency-Key must be 1 to 255 characters', 'Idempotency-Key');
    }
    const input = await readJson(c, checkoutInput, { optional: true });
    const result = await checkout(store, c.req.param('id'), bearerToken(c), input, key, originCheck(c, extraOrigins));
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(result.body, result.status as 201);
  });

  return app;
}
