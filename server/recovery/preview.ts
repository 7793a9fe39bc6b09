// What an organizer's reminder email looks like, before any buyer gets one: rendered with their
// saved (or draft) recovery and widget settings and a sample cart from their next performance.
// The links in it go nowhere useful on purpose: a preview has no cart to resume.
import type { Locale } from '../contracts/widget.ts';
import { findOrganizer } from '../console/access-db.ts';
import type { Db } from '../platform/db/database.ts';
import { findNextPerformance, listSampleTicketTypes } from './preview-db.ts';
import { renderReminderEmail, type RenderedEmail } from './templates.ts';
import { readSettings } from '../console/settings.ts';
import { discountLabel } from '../sales/discounts.ts';
import { DomainError } from '../platform/errors.ts';
import { localized } from '../platform/localized.ts';
import { recoverySchema, type RecoverySettings } from '../contracts/recovery-settings.ts';

const SAMPLE = {
  ru: { buyer: 'Анна', event: 'Ваш спектакль', venue: 'Основная сцена', ticket: 'Партер' },
  en: { buyer: 'Anna', event: 'Your show', venue: 'Main stage', ticket: 'Stalls' },
} as const;

export interface PreviewRequest {
  step: number;
  locale: Locale;
  /** Unsaved recovery settings, merged over the saved ones key by key (as PATCH /settings does). */
  recovery?: Record<string, unknown>;
}

export async function renderRecoveryPreview(db: Db, organizerId: string, req: PreviewRequest, now: Date, publicBaseUrl: string): Promise<RenderedEmail> {
  const saved = await readSettings(db, organizerId);
  const recovery = req.recovery ? draftRecovery(saved.recovery, req.recovery) : saved.recovery;
  const step = recovery.steps[req.step];
  if (!step) throw new DomainError('VALIDATION', `There is no reminder step ${req.step + 1}`, 'step');

  const organizer = await findOrganizer(db, organizerId);
  const next = await findNextPerformance(db, organizerId, now.toISOString());
  const types = next ? await listSampleTicketTypes(db, next.event_id) : [];
  const sample = SAMPLE[req.locale];
  // Names in the preview's locale, as a buyer in it would read them.
  const shown = next && localized(next, req.locale);
  const event = shown
    ? { title: shown.title, venue: shown.venue, timeZone: shown.time_zone, currency: shown.currency }
    : { title: sample.event, venue: sample.venue, timeZone: 'Europe/Moscow', currency: 'RUB' };
  const lines = (types.length ? types.map((t) => localized(t, req.locale)) : [{ name: sample.ticket, price: 250000 }]).map((t, i) => ({
    name: t.name,
    quantity: i === 0 ? 2 : 1,
    lineTotal: t.price * (i === 0 ? 2 : 1),
  }));
  const { widget } = saved;
  return renderReminderEmail({
    locale: req.locale,
    step: req.step,
    organizer: { name: organizer.name, accentColor: widget.accentColor, supportEmail: widget.supportEmail, supportPhone: widget.supportPhone },
    event,
    performance: { startsAt: next?.starts_at ?? new Date(now.getTime() + 7 * 86_400_000).toISOString() },
    buyerName: sample.buyer,
    items: lines,
    total: lines.reduce((sum, l) => sum + l.lineTotal, 0),
    hold: req.step === 0 ? 'held' : 'released',
    resumeUrl: `${saved.allowedOrigins[0] ?? publicBaseUrl}/?encore_resume=preview`,
    unsubscribeUrl: `${publicBaseUrl}/u/preview`,
    discount: step.discount
      ? {
          code: 'RPREVIEW01',
          label: discountLabel(step.discount, event.currency, req.locale),
          expiresAt: new Date(now.getTime() + step.discount.validDays * 86_400_000).toISOString(),
        }
      : null,
    custom: { subject: step.subject[req.locale], body: step.body[req.locale] },
  });
}

function draftRecovery(saved: RecoverySettings, draft: Record<string, unknown>): RecoverySettings {
  const parsed = recoverySchema.safeParse({ ...saved, ...draft });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new DomainError('VALIDATION', issue.message, ['recovery', ...issue.path.map(String)].join('.'));
}
