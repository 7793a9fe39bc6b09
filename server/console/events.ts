// Events as the organizer manages them: list, create, read with seat counts, change, archive.
import type { Selectable } from 'kysely';
import type { ConsoleEvent, ConsoleEventDetail, ConsolePerformance, ConsoleTicketType, CreateEventInput, UpdateEventInput } from '../contracts/console.ts';
import { takenSeats } from '../sales/catalogue-db.ts';
import {
  type ArchivedFilter,
  eventSlugTaken,
  insertEvent,
  listAllPerformances,
  listAllTicketTypes,
  listOwnEvents,
  soldSeats,
  updateEvent as updateEventRow,
  type OwnEventRow,
} from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import type { PerformancesTable, TicketTypesTable } from '../platform/db/schema.ts';
import { archiveEvent } from './archive.ts';
import { ownEvent } from './ownership.ts';
import { DomainError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { mergeTranslations, parseTranslations } from '../platform/localized.ts';
import type { Store } from '../store.ts';

export function eventView(e: OwnEventRow): ConsoleEvent {
  return {
    id: e.id,
    slug: e.slug,
    title: e.title,
    description: e.description,
    venue: e.venue,
    timeZone: e.time_zone,
    currency: e.currency,
    translations: parseTranslations(e.translations),
    createdAt: e.created_at,
    archivedAt: e.archived_at,
  };
}

export function ticketTypeView(t: Selectable<TicketTypesTable>): ConsoleTicketType {
  return {
    id: t.id,
    name: t.name,
    price: t.price,
    capacity: t.capacity,
    minPerOrder: t.min_per_order,
    maxPerOrder: t.max_per_order,
    translations: parseTranslations(t.translations),
    archivedAt: t.archived_at,
  };
}

/** `eventArchived`: what the widget does not show, the console does not call on sale. */
export function performanceView(p: Selectable<PerformancesTable>, now: Date, eventArchived = false): ConsolePerformance {
  return {
    id: p.id,
    eventId: p.event_id,
    startsAt: p.starts_at,
    salesCloseAt: p.sales_close_at,
    salesPaused: p.sales_paused === 1,
    onSale: p.sales_paused === 0 && p.archived_at === null && !eventArchived && p.sales_close_at > now.toISOString(),
    archivedAt: p.archived_at,
  };
}

export async function listEvents(db: Db, organizerId: string, archived: ArchivedFilter = 'exclude') {
  const rows = await listOwnEvents(db, organizerId, archived);
  return rows.map(({ performance_count, ...e }) => ({ ...eventView(e), performanceCount: Number(performance_count ?? 0) }));
}

async function ensureSlugFree(db: Db, slug: string, exceptEventId?: string) {
  // Slugs are global: they name the event in every embed snippet.
  if (await eventSlugTaken(db, slug, exceptEventId)) throw new DomainError('SLUG_TAKEN', `The slug "${slug}" is already in use`, 'slug');
}

export async function createEvent(store: Store, organizerId: string, input: CreateEventInput): Promise<ConsoleEvent> {
  return store.tx(async (trx) => {
    await ensureSlugFree(trx, input.slug);
    const id = newId('evt');
    await insertEvent(trx, {
      id,
      organizer_id: organizerId,
      slug: input.slug,
      title: input.title,
      description: input.description,
      venue: input.venue,
      time_zone: input.timeZone,
      currency: input.currency,
      translations: mergeTranslations('{}', input.translations),
      created_at: store.now().toISOString(),
    });
    return eventView(await ownEvent(trx, organizerId, id));
  });
}

export async function updateEvent(store: Store, organizerId: string, eventId: string, input: UpdateEventInput): Promise<ConsoleEvent> {
  return store.tx(async (trx) => {
    const current = await ownEvent(trx, organizerId, eventId);
    if (input.slug !== undefined) await ensureSlugFree(trx, input.slug, eventId);
    const changes = {
      slug: input.slug,
      title: input.title,
      description: input.description,
      venue: input.venue,
      time_zone: input.timeZone,
      currency: input.currency,
      translations: input.translations && mergeTranslations(current.translations, input.translations),
    };
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) await updateEventRow(trx, organizerId, eventId, set);
    if (input.archived !== undefined) await archiveEvent(trx, organizerId, eventId, input.archived, store.now());
    return eventView(await ownEvent(trx, organizerId, eventId));
  });
}

export async function eventDetail(store: Store, organizerId: string, eventId: string): Promise<ConsoleEventDetail> {
  const event = await ownEvent(store.db, organizerId, eventId);
  const [performances, ticketTypes] = await Promise.all([listAllPerformances(store.db, eventId), listAllTicketTypes(store.db, eventId)]);
  const now = store.now();
  const ids = performances.map((p) => p.id);
  const [taken, sold] = await Promise.all([takenSeats(store.db, ids, now.toISOString()), soldSeats(store.db, ids)]);
  const views = performances.map((p) => {
    const seats = ticketTypes.map((t) => {
      const s = sold(p.id, t.id);
      const all = taken(p.id, t.id);
      return { ticketTypeId: t.id, capacity: t.capacity, sold: s, held: all - s, available: Math.max(0, t.capacity - all) };
    });
    return { ...performanceView(p, now, event.archived_at !== null), hasSales: seats.some((s) => s.sold > 0), seats };
  });
  // Every order has tickets, so what sold shows in the seat counts.
  const typeSold = (id: string) => views.some((p) => p.seats.some((s) => s.ticketTypeId === id && s.sold > 0));
  return {
    event: { ...eventView(event), hasSales: views.some((p) => p.hasSales) },
    ticketTypes: ticketTypes.map((t) => ({ ...ticketTypeView(t), hasSales: typeSold(t.id) })),
    performances: views,
  };
}
