// POST /preview {widget settings draft} → {token, expiresAt}: the draft merged over the saved
// settings and validated like PATCH /settings, signed for 30 minutes. The console's preview page
// hands the token to the widget, whose bootstrap request then draws with the draft
// (see sales/preview-token.ts and GET /api/v1/events/{slug}?preview=).
import { Hono } from 'hono';
import { z } from 'zod';
import { draftWidgetSettings } from '../settings.ts';
import { signPreview } from '../../sales/preview-token.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import type { Store } from '../../store.ts';
import type { ConsoleEnv } from '../env.ts';
import { readJson } from '../../platform/http/errors.ts';

const draftInput = z.record(z.string(), z.unknown());

export function consolePreviewApi(store: Store, secret: string) {
  const app = new Hono<ConsoleEnv>();
  // The console asks at most every ~400 ms while someone types.
  const limit = rateLimit(store, { max: 600, windowMs: 10 * 60_000, what: 'previews' });

  app.post('/', async (c) => {
    const draft = await readJson(c, draftInput, { optional: true });
    await limit.take(c.var.organizerId, store.now());
    const settings = await draftWidgetSettings(store.db, c.var.organizerId, draft);
    return c.json(signPreview(secret, c.var.organizerId, settings, store.now()));
  });

  return app;
}
