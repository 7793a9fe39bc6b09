// The organizer console API's shapes (/api/console/v1). The console UI imports the types with
// `import type` only. Unknown body keys are ignored, as in the public API.
import { z } from 'zod';
import { LOCALES, type Locale, type WidgetSettings } from './widget.ts';
import type { RecoverySettings } from './recovery-settings.ts';

const email = z.string().trim().toLowerCase().email().max(254);
const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

export const signInInput = z.object({ email, password: z.string().min(1).max(1000) });

export const slug = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens');

/** The IANA name as ICU spells it ("europe/moscow" → "Europe/Moscow"), or null when ICU does not know it. */
function canonicalTimeZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

// Intl.NumberFormat formats any well-formed code (even "XYZ"); the list ICU knows is stricter.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const title = z.string().trim().max(200);
const description = z.string().trim().max(5000);
const venue = z.string().trim().max(300);
const ticketTypeName = z.string().trim().max(100);

/**
 * Texts for other languages than the organizer's default, by locale, with the base fields'
 * limits; each is optional, and "" removes one (the default language's text shows instead).
 */
const translationsOf = <S extends z.ZodRawShape>(shape: S) => z.partialRecord(z.enum(LOCALES), z.object(shape));
const eventTranslations = translationsOf({ title: title.optional(), description: description.optional(), venue: venue.optional() });
const ticketTypeTranslations = translationsOf({ name: ticketTypeName.optional() });

const eventFields = {
  slug,
  title: title.min(1),
  description: description.default(''),
  venue: venue.default(''),
  // Stored as ICU spells it, so the console's picker (Intl.supportedValuesOf) finds it again.
  timeZone: z
    .string()
    .trim()
    .max(100)
    .transform((tz, ctx) => {
      const canonical = canonicalTimeZone(tz);
      if (canonical) return canonical;
      ctx.addIssue({ code: 'custom', message: 'Unknown time zone; use an IANA name such as Europe/Moscow' });
      return z.NEVER;
    }),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Use a three-letter ISO 4217 code such as RUB')
    .refine((code) => CURRENCIES.has(code), 'Unknown currency code'),
  translations: eventTranslations.optional(),
};
export const createEventInput = z.object(eventFields);
export const updateEventInput = z.object({
  slug: eventFields.slug.optional(),
  title: eventFields.title.optional(),
  description: description.optional(),
  venue: venue.optional(),
  timeZone: eventFields.timeZone.optional(),
  currency: eventFields.currency.optional(),
  /** Merged field by field over what is stored. */
  translations: eventTranslations.optional(),
  /** true archives (hidden from the widget and the default list, kept in the stats), false restores. */
  archived: z.boolean().optional(),
});
/** GET /events?archived=: the events in use (default), the archived ones, or both. */
export const eventListQuery = z.object({ archived: z.enum(['exclude', 'only', 'include']).default('exclude') });
export type CreateEventInput = z.infer<typeof createEventInput>;
export type UpdateEventInput = z.infer<typeof updateEventInput>;

export const createPerformanceInput = z.object({ startsAt: isoTime, salesCloseAt: isoTime.optional() });
export const updatePerformanceInput = z.object({
  startsAt: isoTime.optional(),
  salesCloseAt: isoTime.optional(),
  salesPaused: z.boolean().optional(),
  archived: z.boolean().optional(),
});
export const duplicatePerformanceInput = z.object({ startsAt: isoTime });
export type UpdatePerformanceInput = z.infer<typeof updatePerformanceInput>;

const perOrder = z.number().int().min(1).max(1000);
export const createTicketTypeInput = z
  .object({
    name: ticketTypeName.min(1),
    price: z.number().int().min(0).max(100_000_000),
    capacity: z.number().int().min(0).max(1_000_000),
    minPerOrder: perOrder.default(1),
    maxPerOrder: perOrder.default(10),
    translations: ticketTypeTranslations.optional(),
  })
  .refine((t) => t.minPerOrder <= t.maxPerOrder, { message: 'minPerOrder is above maxPerOrder', path: ['minPerOrder'] });
export const updateTicketTypeInput = z.object({
  name: ticketTypeName.min(1).optional(),
  price: z.number().int().min(0).max(100_000_000).optional(),
  capacity: z.number().int().min(0).max(1_000_000).optional(),
  minPerOrder: perOrder.optional(),
  maxPerOrder: perOrder.optional(),
  /** Merged field by field over what is stored. */
  translations: ticketTypeTranslations.optional(),
  archived: z.boolean().optional(),
});
export type CreateTicketTypeInput = z.infer<typeof createTicketTypeInput>;
export type UpdateTicketTypeInput = z.infer<typeof updateTicketTypeInput>;

/** An http(s) origin such as `https://theatre.example`; a trailing slash is dropped. */
export const origin = z
  .string()
  .trim()
  .max(200)
  .transform((value, ctx) => {
    try {
      const url = new URL(value);
      const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
      if ((url.protocol === 'http:' || url.protocol === 'https:') && bare) return url.origin;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an origin like https://theatre.example (no path)` });
    return z.NEVER;
  });

/** Each part is merged into what is stored and then validated whole (see server/console/settings.ts). */
export const updateSettingsInput = z.object({
  widget: z.record(z.string(), z.unknown()).optional(),
  recovery: z.record(z.string(), z.unknown()).optional(),
  allowedOrigins: z.array(origin).max(20).optional(),
  /** `{provider, timeoutMinutes, providers: {yookassa: {shopId, secretKey, vatCode, mode}}, reservation: {hoursAfterBooking, hoursBeforeShow}}`; secrets are write-only. */
  payments: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateSettingsInput = z.infer<typeof updateSettingsInput>;

// Promo codes (server/console/promo-codes.ts).
const promoCode = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .min(3, 'At least 3 characters')
      .max(40)
      .regex(/^[\p{L}\p{N}_-]+$/u, 'Letters, digits, - and _ only'),
  );
const promoWindow = {
  maxUses: z.number().int().min(1).max(1_000_000).nullable().optional(),
  startsAt: isoTime.nullable().optional(),
  expiresAt: isoTime.nullable().optional(),
  note: z.string().trim().max(200).nullable().optional(),
};
export const createPromoCodeInput = z
  .object({
    /** Omitted: one is made up (8 letters and digits). Stored in upper case without spaces. */
    code: promoCode.optional(),
    kind: z.enum(['percent', 'amount']),
    /** Percent (1–100) or an amount in minor units. */
    value: z.number().int().min(1).max(100_000_000),
    /** An amount code's currency; default: the event's, or the organizer's only one. */
    currency: eventFields.currency.optional(),
    eventId: z.string().min(1).max(64).nullable().optional(),
    performanceId: z.string().min(1).max(64).nullable().optional(),
    ...promoWindow,
  })
  .refine((c) => c.kind !== 'percent' || c.value <= 100, { message: 'A percent is at most 100', path: ['value'] })
  .refine((c) => !c.startsAt || !c.expiresAt || c.startsAt < c.expiresAt, { message: 'Must be after the start', path: ['expiresAt'] });
export type CreatePromoCodeInput = z.infer<typeof createPromoCodeInput>;
/** What may change once buyers have it: on/off, its limit and dates, the note (not what it takes off). */
export const updatePromoCodeInput = z.object({ active: z.boolean().optional(), ...promoWindow });
export type UpdatePromoCodeInput = z.infer<typeof updatePromoCodeInput>;

export interface ConsolePromoCode {
  id: string;
  code: string;
  kind: 'percent' | 'amount';
  value: number;
  currency: string | null;
  eventId: string | null;
  performanceId: string | null;
  maxUses: number | null;
  usedCount: number;
  startsAt: string | null;
  expiresAt: string | null;
  active: boolean;
  note: string | null;
  createdAt: string;
}

export const addMemberInput = z.object({
  email,
  name: z.string().trim().min(1).max(100),
  /** The first password; they may change it later. */
  password: z.string().min(1).max(1000),
  role: z.enum(['owner', 'box_office']),
  locale: z.enum(LOCALES).default('ru'),
});
export const changeRoleInput = z.object({ role: z.enum(['owner', 'box_office']) });
export interface ConsoleMember {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'box_office';
  createdAt: string;
  /** The signed-in user. */
  you: boolean;
}

/**
 * What an API key may do: `stats` read the stats; `events` manage events, dates, ticket types,
 * widget and recovery settings, promo codes; `orders` read and act on orders, check in;
 * `webhooks` manage endpoints and read their secrets; `admin` manage API keys and people.
 */
export const API_KEY_SCOPES = ['stats', 'events', 'orders', 'webhooks', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length).default(['stats', 'events', 'orders', 'webhooks']),
});

export const changePasswordInput = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().max(200) });
export const passwordResetInput = z.object({ email: z.string().trim().toLowerCase().email().max(254) });
export const passwordResetConfirmInput = z.object({ token: z.string().min(20).max(200), newPassword: z.string().max(200) });

export const localeInput = z.enum(LOCALES);

export interface ConsoleSession {
  /** null for API-key clients. */
  user: { id: string; email: string; name: string; locale: Locale; role: 'owner' | 'box_office' } | null;
  organizer: { id: string; name: string; slug: string };
  /** Send as `X-CSRF-Token` on every POST, PATCH, PUT and DELETE; null for API-key clients. */
  csrfToken: string | null;
}

export interface ConsoleSettings {
  widget: WidgetSettings;
  recovery: RecoverySettings;
  allowedOrigins: string[];
  payments: ConsolePaymentSettings;
}

export interface ConsoleEvent {
  id: string;
  slug: string;
  title: string;
  description: string;
  venue: string;
  timeZone: string;
  currency: string;
  /** Title, description and venue in other languages than the default; what is missing shows the fields above. */
  translations: Partial<Record<Locale, { title?: string; description?: string; venue?: string }>>;
  createdAt: string;
  /** When it was archived; null while in use. */
  archivedAt: string | null;
}

export interface ConsoleTicketType {
  id: string;
  name: string;
  price: number;
  capacity: number;
  minPerOrder: number;
  maxPerOrder: number;
  /** The name in other languages than the default. */
  translations: Partial<Record<Locale, { name?: string }>>;
  archivedAt: string | null;
}

export interface ConsolePerformance {
  id: string;
  eventId: string;
  startsAt: string;
  salesCloseAt: string;
  salesPaused: boolean;
  /** What the widget shows: not paused, not archived and before sales close. */
  onSale: boolean;
  archivedAt: string | null;
}

/** Archived performances and ticket types are listed too (see archivedAt). hasSales: it cannot be deleted, only archived. */
export interface ConsoleEventDetail {
  event: ConsoleEvent & { hasSales: boolean };
  ticketTypes: (ConsoleTicketType & { hasSales: boolean })[];
  performances: (ConsolePerformance & {
    hasSales: boolean;
    seats: { ticketTypeId: string; capacity: number; sold: number; held: number; available: number }[];
  })[];
}

/** Payment settings as the console reads them (payments/console-settings.ts): secrets come back only as `<name>Set: true`. */
export interface ConsolePaymentSettings {
  provider: string | null;
  timeoutMinutes: number;
  /** By provider id: its settings with each secret replaced by `<name>Set: true`. */
  providers: Record<string, Record<string, unknown>>;
  /** How long a box-office reservation holds its seats unpaid (null: no such limit). */
  reservation: { hoursAfterBooking: number | null; hoursBeforeShow: number | null };
  /** The online providers this instance offers (the demo one only where it runs), each with the URL the organizer gives the provider for its notifications. */
  offered: OfferedProvider[];
}

export interface OfferedProvider {
  id: string;
  /** To paste into the provider's dashboard (YooKassa: HTTP notifications; Stripe: webhook endpoint); null for the demo provider, which needs none. */
  notificationUrl: string | null;
}
