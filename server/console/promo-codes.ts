// /api/console/v1/promo-codes — the organizer's promo codes: listed newest first with how often
// each was used, created (percent or amount, for all events, one event or one performance, with
// a use limit and dates), switched off or changed. What a code takes off never changes once made
// (buyers may have seen it): make a new code instead. Reminders' single-use codes are not listed.
import { Hono } from 'hono';
import { createPromoCodeInput, updatePromoCodeInput, type ConsolePromoCode, type CreatePromoCodeInput } from '../contracts/console.ts';
import { findOwnEvent, findOwnPerformance } from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { newId, readableCode } from '../platform/ids.ts';
import type { Store } from '../store.ts';
import type { ConsoleEnv } from './env.ts';
import { readJson } from '../platform/http/errors.ts';
import { findCode, findPromoCode, insertCode, listPromoCodes, updatePromoCode, type CodeRow } from '../sales/promo-codes-db.ts';

const view = (r: CodeRow): ConsolePromoCode => ({
  id: r.id,
  code: r.code,
  kind: r.kind,
  value: r.value,
  currency: r.currency,
  eventId: r.event_id,
  performanceId: r.performance_id,
  maxUses: r.max_uses,
  usedCount: r.used_count,
  startsAt: r.starts_at,
  expiresAt: r.expires_at,
  active: r.active === 1,
  note: r.note,
  createdAt: r.created_at,
});

/** The event and performance a code is for (each the organizer's own), and an amount's currency. */
async function scopeOf(db: Db, organizerId: string, input: CreatePromoCodeInput) {
  let eventId = input.eventId ?? null;
  const performanceId = input.performanceId ?? null;
  if (performanceId) {
    const performance = await findOwnPerformance(db, organizerId, performanceId);
    if (!performance) throw new DomainError('NOT_FOUND', 'No such performance', 'performanceId');
    if (eventId && eventId !== performance.event_id) throw new DomainError('VALIDATION', 'This performance is of another event', 'performanceId');
    eventId = performance.event_id;
  }
  const event = eventId ? await findOwnEvent(db, organizerId, eventId) : undefined;
  if (eventId && !event) throw new DomainError('NOT_FOUND', 'No such event', 'eventId');
  if (input.kind === 'percent') return { eventId, performanceId, currency: null };
  if (event) {
    if (input.currency && input.currency !== event.currency) throw new DomainError('VALIDATION', `The event is priced in ${event.currency}`, 'currency');
    return { eventId, performanceId, currency: event.currency };
  }
  if (input.currency) return { eventId, performanceId, currency: input.currency };
  // For all events: the organizer's one currency, or the organizer says which.
  const currencies = await db.selectFrom('events').select('currency').distinct().where('organizer_id', '=', organizerId).limit(2).execute();
  if (currencies.length !== 1) throw new DomainError('VALIDATION', 'Say which currency the amount is in', 'currency');
  return { eventId, performanceId, currency: currencies[0]!.currency };
}

const encodeCursor = (r: CodeRow) => Buffer.from(`${r.created_at}|${r.id}`).toString('base64url');
function decodeCursor(s: string) {
  const [createdAt, id] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id) throw new DomainError('VALIDATION', 'Not a cursor from this list', 'cursor');
  return { createdAt, id };
}

export function consolePromoCodesApi(store: Store) {
  const app = new Hono<ConsoleEnv>();

  app.get('/', async (c) => {
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 100) || 100, 1), 500);
    const cursor = c.req.query('cursor');
    const rows = await listPromoCodes(store.db, c.var.organizerId, cursor ? decodeCursor(cursor) : null, limit + 1);
    const page = rows.slice(0, limit);
    return c.json({ promoCodes: page.map(view), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null });
  });

  app.post('/', async (c) => {
    const input = await readJson(c, createPromoCodeInput);
    const organizerId = c.var.organizerId;
    const row = await store.tx(async (trx) => {
      const scope = await scopeOf(trx, organizerId, input);
      let code = input.code;
      if (code && (await findCode(trx, organizerId, code))) throw new DomainError('CODE_TAKEN', `You already have a code ${code}`, 'code');
      while (!code || (await findCode(trx, organizerId, code))) code = readableCode(8);
      const id = newId('pc');
      await insertCode(trx, {
        id,
        organizer_id: organizerId,
        code,
        kind: input.kind,
        value: input.value,
        currency: scope.currency,
        event_id: scope.eventId,
        performance_id: scope.performanceId,
        max_uses: input.maxUses ?? null,
        starts_at: input.startsAt ?? null,
        expires_at: input.expiresAt ?? null,
        note: input.note || null,
        series_id: null,
        step: null,
        created_at: store.now().toISOString(),
      });
      return (await findPromoCode(trx, organizerId, id))!;
    });
    return c.json(view(row), 201);
  });

  app.patch('/:id', async (c) => {
    const input = await readJson(c, updatePromoCodeInput);
    const organizerId = c.var.organizerId;
    const row = await store.tx(async (trx) => {
      const found = await findPromoCode(trx, organizerId, c.req.param('id'));
      if (!found) throw new DomainError('NOT_FOUND', 'No such promo code');
      const startsAt = input.startsAt === undefined ? found.starts_at : input.startsAt;
      const expiresAt = input.expiresAt === undefined ? found.expires_at : input.expiresAt;
      if (startsAt && expiresAt && startsAt >= expiresAt) throw new DomainError('VALIDATION', 'Must be after the start', 'expiresAt');
      await updatePromoCode(trx, organizerId, found.id, {
        ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
        ...(input.maxUses !== undefined && { max_uses: input.maxUses }),
        ...(input.startsAt !== undefined && { starts_at: input.startsAt }),
        ...(input.expiresAt !== undefined && { expires_at: input.expiresAt }),
        ...(input.note !== undefined && { note: input.note || null }),
      });
      return (await findPromoCode(trx, organizerId, found.id))!;
    });
    return c.json(view(row));
  });

  return app;
}
