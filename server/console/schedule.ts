// Performances and ticket types: when an event plays, what it sells, and the rules that keep
// what is already sold or held valid.
import type { ConsolePerformance, ConsoleTicketType, CreateTicketTypeInput, UpdatePerformanceInput, UpdateTicketTypeInput } from '../contracts/console.ts';
import { lockSeats } from '../sales/inventory.ts';
import {
  findOwnTicketType,
  insertPerformance,
  insertTicketType,
  listAllPerformances,
  updatePerformance as updatePerformanceRow,
  updateTicketType as updateTicketTypeRow,
} from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { archivePerformance, archiveTicketType } from './archive.ts';
import { performanceView, ticketTypeView } from './events.ts';
import { ownEvent, ownPerformance, ownTicketType } from './ownership.ts';
import type { FieldIssue } from '../contracts/widget.ts';
import { assertNoIssues } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { mergeTranslations } from '../platform/localized.ts';
import type { Store } from '../store.ts';

const DEFAULT_SALES_CLOSE_MS = 30 * 60_000;

function checkTimes(startsAt: string, salesCloseAt: string, now: Date, startsAtIsNew: boolean) {
  const issues: FieldIssue[] = [];
  if (startsAtIsNew && startsAt <= now.toISOString()) {
    issues.push({ code: 'VALIDATION', message: 'The performance must start in the future', field: 'startsAt' });
  }
  if (salesCloseAt > startsAt) {
    issues.push({ code: 'VALIDATION', message: 'Sales must close no later than the performance starts', field: 'salesCloseAt' });
  }
  assertNoIssues(issues);
}

async function view(db: Db, organizerId: string, performanceId: string, now: Date): Promise<ConsolePerformance> {
  const performance = await ownPerformance(db, organizerId, performanceId);
  return performanceView(performance, now, performance.event_archived_at !== null);
}

async function addPerformance(
  store: Store,
  trx: Db,
  organizerId: string,
  eventId: string,
  startsAt: string,
  salesCloseAt: string,
): Promise<ConsolePerformance> {
  const now = store.now();
  checkTimes(startsAt, salesCloseAt, now, true);
  const id = newId('prf');
  await insertPerformance(trx, {
    id,
    event_id: eventId,
    starts_at: startsAt,
    sales_close_at: salesCloseAt,
    sales_paused: 0,
    created_at: now.toISOString(),
  });
  return view(trx, organizerId, id, now);
}

export function createPerformance(
  store: Store,
  organizerId: string,
  eventId: string,
  input: { startsAt: string; salesCloseAt?: string },
): Promise<ConsolePerformance> {
  const salesCloseAt = input.salesCloseAt ?? new Date(Date.parse(input.startsAt) - DEFAULT_SALES_CLOSE_MS).toISOString();
  return store.tx(async (trx) => {
    await ownEvent(trx, organizerId, eventId);
    return addPerformance(store, trx, organizerId, eventId, input.startsAt, salesCloseAt);
  });
}

/** Another date for the same event; sales close as long before it as they do for the original. */
export function duplicatePerformance(store: Store, organizerId: string, performanceId: string, startsAt: string) {
  return store.tx(async (trx) => {
    const original = await ownPerformance(trx, organizerId, performanceId);
    const lead = Date.parse(original.starts_at) - Date.parse(original.sales_close_at);
    return addPerformance(store, trx, organizerId, original.event_id, startsAt, new Date(Date.parse(startsAt) - lead).toISOString());
  });
}

export function updatePerformance(store: Store, organizerId: string, performanceId: string, input: UpdatePerformanceInput) {
  return store.tx(async (trx) => {
    const current = await ownPerformance(trx, organizerId, performanceId);
    const startsAt = input.startsAt ?? current.starts_at;
    // Moving the start alone keeps sales closing as long before it as they did.
    const lead = Date.parse(current.starts_at) - Date.parse(current.sales_close_at);
    const salesCloseAt = input.salesCloseAt ?? new Date(Date.parse(startsAt) - lead).toISOString();
    checkTimes(startsAt, salesCloseAt, store.now(), startsAt !== current.starts_at);
    await updatePerformanceRow(trx, performanceId, {
      starts_at: startsAt,
      sales_close_at: salesCloseAt,
      sales_paused: input.salesPaused === undefined ? current.sales_paused : input.salesPaused ? 1 : 0,
    });
    if (input.archived !== undefined) await archivePerformance(trx, organizerId, performanceId, input.archived, store.now());
    return view(trx, organizerId, performanceId, store.now());
  });
}

export function createTicketType(store: Store, organizerId: string, eventId: string, input: CreateTicketTypeInput): Promise<ConsoleTicketType> {
  return store.tx(async (trx) => {
    await ownEvent(trx, organizerId, eventId);
    const id = newId('tt');
    await insertTicketType(trx, {
      id,
      event_id: eventId,
      name: input.name,
      price: input.price,
      capacity: input.capacity,
      min_per_order: input.minPerOrder,
      max_per_order: input.maxPerOrder,
      translations: mergeTranslations('{}', input.translations),
    });
    return ticketTypeView((await findOwnTicketType(trx, organizerId, id))!);
  });
}

/** Runs in the write transaction, so no hold can slip in between the count and the change. */
export function updateTicketType(store: Store, organizerId: string, ticketTypeId: string, input: UpdateTicketTypeInput) {
  return store.tx(async (trx) => {
    const current = await ownTicketType(trx, organizerId, ticketTypeId);
    const minPerOrder = input.minPerOrder ?? current.min_per_order;
    const maxPerOrder = input.maxPerOrder ?? current.max_per_order;
    const issues: FieldIssue[] = [];
    if (minPerOrder > maxPerOrder) {
      const field = input.minPerOrder !== undefined ? 'minPerOrder' : 'maxPerOrder';
      issues.push({ code: 'VALIDATION', message: 'minPerOrder is above maxPerOrder', field });
    }
    if (input.capacity !== undefined && input.capacity < current.capacity) {
      const performances = await listAllPerformances(trx, current.event_id);
      const taken = await lockSeats(
        trx,
        performances.map((p) => p.id),
        [ticketTypeId],
        store.now().toISOString(),
      );
      const most = Math.max(0, ...performances.map((p) => taken(p.id, ticketTypeId)));
      if (input.capacity < most) {
        issues.push({ code: 'CAPACITY_BELOW_SOLD', message: `${most} seats of this type are already sold or held in one performance`, field: 'capacity' });
      }
    }
    assertNoIssues(issues);
    await updateTicketTypeRow(trx, ticketTypeId, {
      name: input.name ?? current.name,
      price: input.price ?? current.price,
      capacity: input.capacity ?? current.capacity,
      min_per_order: minPerOrder,
      max_per_order: maxPerOrder,
      translations: mergeTranslations(current.translations, input.translations),
    });
    if (input.archived !== undefined) await archiveTicketType(trx, organizerId, ticketTypeId, input.archived, store.now());
    return ticketTypeView((await findOwnTicketType(trx, organizerId, ticketTypeId))!);
  });
}
