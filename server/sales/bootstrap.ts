// Everything the widget needs to draw an event, in one response.
import type { EventBootstrap, Locale, WidgetSettings } from '../contracts/widget.ts';
import { findEventBySlug, listTicketTypes, listUpcomingPerformances, takenSeats } from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { withConsentTexts } from './consent-text.ts';
import { DomainError } from '../platform/errors.ts';
import { localized } from '../platform/localized.ts';
import { parseRecoverySettings } from '../contracts/recovery-settings.ts';
import { offersPromoCodes } from './promo-codes-db.ts';
import { asSold } from './holds.ts';
import { parseSettings } from './settings.ts';
import { widgetTexts } from '../contracts/widget-texts.ts';

/**
 * `locale`: the visitor's, when the widget knows it; otherwise the organizer's default.
 * `preview`: a console preview's unsaved settings, used only for the organizer's own events.
 */
export async function eventBootstrap(
  db: Db,
  slug: string,
  now: Date,
  locale?: Locale,
  preview?: { organizerId: string; settings: WidgetSettings } | null,
): Promise<{ body: Omit<EventBootstrap, 'originAllowed'>; eventId: string; organizerId: string; origins: string[] }> {
  const found = await findEventBySlug(db, slug);
  if (!found) throw new DomainError('NOT_FOUND', `No event "${slug}"`);
  const nowIso = now.toISOString();
  const [performances, ticketTypeRows, ownCodes] = await Promise.all([
    listUpcomingPerformances(db, found.id, nowIso),
    listTicketTypes(db, found.id),
    offersPromoCodes(db, found.organizer_id, found.id, nowIso),
  ]);
  const taken = await takenSeats(
    db,
    performances.map((p) => p.id),
    nowIso,
  );
  const saved = preview?.organizerId === found.organizer_id ? preview.settings : parseSettings(found.organizer_settings);
  // The consent line as the buyer will see it, counting the reminders this organizer sends.
  const recovery = parseRecoverySettings(found.organizer_settings);
  const settings = withConsentTexts(saved, recovery);
  const textLocale = locale ?? settings.defaultLocale;
  // Names in the same locale as the texts, each falling back to the default locale's.
  const event = localized(found, textLocale);
  const ticketTypes = ticketTypeRows.map((t) => localized(t, textLocale));
  const body: Omit<EventBootstrap, 'originAllowed'> = {
    event: {
      slug: event.slug,
      title: event.title,
      description: event.description,
      venue: event.venue,
      timeZone: event.time_zone,
      currency: event.currency,
      organizer: { name: event.organizer_name },
    },
    performances: performances
      .map((row) => asSold(row, found.organizer_settings))
      .map((p) => ({
        id: p.id,
        startsAt: p.starts_at,
        salesCloseAt: p.sales_close_at,
        onSale: !p.sales_paused && p.sales_close_at > nowIso,
        ticketTypes: ticketTypes.map((t) => ({
          id: t.id,
          name: t.name,
          price: t.price,
          available: Math.max(0, t.capacity - taken(p.id, t.id)),
          minPerOrder: t.min_per_order,
          maxPerOrder: t.max_per_order,
        })),
      })),
    settings,
    promoCodes: ownCodes || recovery.steps.some((s) => s.enabled && s.discount !== null),
    locale: textLocale,
    texts: widgetTexts(textLocale),
  };
  // Which sites may sell is decided per request (sales/events-routes.ts), so it stays out of the cached body.
  return { body, eventId: event.id, organizerId: event.organizer_id, origins: JSON.parse(event.organizer_origins) as string[] };
}
