// Turning a due outbox row into a reminder email, or into a reason not to send one. Runs when
// its job runs, so a purchase, an unsubscribe or a closed sale since the series
// began stops the email.
import type { Locale } from '../contracts/widget.ts';
import { findEventById, findPerformance } from '../sales/catalogue-db.ts';
import { findCart, listCartItems } from '../sales/carts-db.ts';
import type { Db } from '../platform/db/database.ts';
import { ensureDiscount, findDiscountForStep, findSeries, stopSeries } from './recovery-db.ts';
import type { OutboxTable } from '../platform/db/schema.ts';
import { renderReminderEmail } from './templates.ts';
import type { Prepared } from './reminder-job.ts';
import { whyNotRemind } from './abandonment.ts';
import { abandonmentKind } from './payment-abandonment.ts';
import { findOrder } from '../payments/payments-db.ts';
import { readableCode } from '../platform/ids.ts';
import { parseRecoverySettings, type Discount } from '../contracts/recovery-settings.ts';
import { parseSettings } from '../sales/settings.ts';
import { discountLabel } from '../sales/discounts.ts';
import { localized } from '../platform/localized.ts';
import { resumeToken, unsubscribeToken } from '../platform/signed-links.ts';

export interface ReminderLinks {
  secret: string;
  publicBaseUrl: string;
  /** Origins every organizer may be sent back to besides their own (the demo site). */
  extraOrigins: string[];
}

/** Stop reasons that end the series rather than just skip one email. */
const FINAL = new Set(['purchased', 'unsubscribed', 'performance started', 'sales closed', 'no email', 'no consent']);

export async function prepareReminder(db: Db, row: Pick<OutboxTable, 'series_id' | 'step'>, now: Date, links: ReminderLinks): Promise<Prepared> {
  const series = row.series_id ? await findSeries(db, row.series_id) : undefined;
  if (!series || row.step === null) return { skip: 'no series' };
  if (series.status !== 'active') return { skip: `series ${series.status}: ${series.stop_reason ?? ''}`.trim() };
  const cart = (await findCart(db, series.cart_id))!;
  if (cart.status === 'completed') {
    // Checked out but its payment still pending: not bought yet, and not abandoned either.
    if (await orderAwaitsPayment(db, cart.order_id)) return { skip: 'payment pending' };
    await stopSeries(db, { eventId: series.event_id, emailHash: series.email_hash }, 'purchased');
    return { skip: 'purchased' };
  }
  const reason = await whyNotRemind(db, cart, now, series.abandoned_at);
  if (reason) {
    if (FINAL.has(reason)) await stopSeries(db, { eventId: series.event_id, emailHash: series.email_hash }, reason);
    return { skip: reason };
  }
  const event = await findEventById(db, cart.event_id);
  const recovery = parseRecoverySettings(event.organizer_settings);
  const step = recovery.steps[row.step];
  if (!step?.enabled) return { skip: 'step turned off' };
  const page = returnPage(cart.page_url, JSON.parse(event.organizer_origins) as string[], links.extraOrigins);
  if (!page) return { skip: 'no allowed page to send the buyer back to' };

  const locale = (series.locale === 'en' ? 'en' : 'ru') as Locale;
  const settings = parseSettings(event.organizer_settings);
  const performance = (await findPerformance(db, cart.performance_id))!;
  const items = await listCartItems(db, cart.id);
  const discount = step.discount
    ? await discountFor(db, series.id, series.organizer_id, series.event_id, row.step, step.discount, now, event.currency, locale)
    : null;
  page.searchParams.set('encore_resume', resumeToken(links.secret, { seriesId: series.id, step: row.step, expiresAt: new Date(series.expires_at) }));
  const unsubscribeUrl = `${links.publicBaseUrl}/u/${unsubscribeToken(links.secret, { organizerId: series.organizer_id, emailHash: series.email_hash })}`;
  // A cart whose payment never went through has its own wording (recovery/payment-abandonment.ts).
  const kind = abandonmentKind(cart);
  const custom =
    kind === 'payment' ? { subject: step.paymentSubject[locale], body: step.paymentBody[locale] } : { subject: step.subject[locale], body: step.body[locale] };
  // The event and its tickets named in the series' locale, as the buyer's widget showed them.
  const shown = localized(event, locale);
  const email = renderReminderEmail({
    locale,
    step: row.step,
    kind,
    organizer: { name: event.organizer_name, accentColor: settings.accentColor, supportEmail: settings.supportEmail, supportPhone: settings.supportPhone },
    event: { title: shown.title, venue: shown.venue, timeZone: event.time_zone, currency: event.currency },
    performance: { startsAt: performance.starts_at },
    buyerName: cart.buyer_name,
    items: items.map((i) => ({ name: localized(i, locale).name, quantity: i.quantity, lineTotal: i.unit_price * i.quantity })),
    total: items.reduce((sum, i) => sum + i.unit_price * i.quantity, 0),
    hold: cart.hold_expires_at !== null && cart.hold_expires_at > now.toISOString() ? 'held' : 'released',
    resumeUrl: page.toString(),
    unsubscribeUrl,
    discount,
    custom,
  });
  return {
    message: {
      to: series.email!,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: email.headers,
      sender: email.sender,
    },
  };
}

async function orderAwaitsPayment(db: Db, orderId: string | null) {
  if (!orderId) return false;
  return (await findOrder(db, orderId))?.status === 'pending_payment';
}

/** The page the widget was on, if it belongs to the organizer; else their first site. */
function returnPage(pageUrl: string | null, origins: string[], extra: string[]): URL | null {
  const allowed = [...origins, ...extra];
  try {
    if (pageUrl) {
      const url = new URL(pageUrl);
      if (allowed.includes(url.origin)) return url;
    }
  } catch {
    // A malformed stored URL falls through to the organizer's site.
  }
  return origins[0] ? new URL(origins[0]) : null;
}

async function discountFor(
  db: Db,
  seriesId: string,
  organizerId: string,
  eventId: string,
  step: number,
  d: Discount,
  now: Date,
  currency: string,
  locale: Locale,
) {
  const code = `R${readableCode(9)}`;
  // Single use, for the series' event; a buyer may type it too.
  await ensureDiscount(db, {
    id: code,
    code,
    organizer_id: organizerId,
    series_id: seriesId,
    step,
    kind: d.kind,
    value: d.value,
    currency: d.kind === 'amount' ? currency : null,
    event_id: eventId,
    max_uses: 1,
    expires_at: new Date(now.getTime() + d.validDays * 86_400_000).toISOString(),
    created_at: now.toISOString(),
  });
  const row = (await findDiscountForStep(db, seriesId, step))!;
  return { code: row.code, label: discountLabel(row, currency, locale), expiresAt: row.expires_at! };
}
