// An organizer's payment settings, under `payments` in their settings JSON: which online
// provider takes the money (none: orders are reserved for the box office, as before), how long a
// buyer has to pay, during which the order keeps its seats, and how long a box-office
// reservation holds its seats unpaid.
import { z } from 'zod';

/**
 * A reservation (box office, unpaid) expires at the earlier of `hoursAfterBooking` after it was
 * made and `hoursBeforeShow` before the performance starts; null: no such limit.
 */
export const reservationSettingsSchema = z
  .object({
    hoursAfterBooking: z.number().int().min(1).max(8760).nullable().default(72),
    hoursBeforeShow: z.number().int().min(0).max(720).nullable().default(2),
  })
  .strict();

export type ReservationSettings = z.infer<typeof reservationSettingsSchema>;

/** When a reservation made at `bookedAt` for a performance starting at `startsAt` (ISO) expires: the earlier limit; null with neither. */
export function reservationExpiry(limits: ReservationSettings, bookedAt: Date, startsAt: string): string | null {
  const ends = [
    limits.hoursAfterBooking === null ? null : bookedAt.getTime() + limits.hoursAfterBooking * 3_600_000,
    limits.hoursBeforeShow === null ? null : Date.parse(startsAt) - limits.hoursBeforeShow * 3_600_000,
  ].filter((t): t is number => t !== null);
  return ends.length ? new Date(Math.min(...ends)).toISOString() : null;
}

export const paymentSettingsSchema = z.object({
  /** An online provider's id (payments/provider.ts); null: box office. */
  provider: z.string().nullable().default(null),
  timeoutMinutes: z.number().int().min(5).max(120).default(20),
  /** Each provider's own settings, by provider id, checked by its settingsSchema. */
  providers: z.record(z.string(), z.unknown()).default({}),
  // prefault: a missing part is parsed from {}, so its fields get their defaults.
  reservation: reservationSettingsSchema.prefault({}),
});

export type PaymentSettings = z.infer<typeof paymentSettingsSchema>;

/** Parsed by the organizer's stored settings text: carts, checkout and the bootstrap read them on every request. */
const parsedByText = new Map<string, Readonly<PaymentSettings>>();

/** The organizer's payment settings with defaults; the same text gives the same frozen object. */
export function parsePaymentSettings(organizerSettings: string): Readonly<PaymentSettings> {
  let settings = parsedByText.get(organizerSettings);
  if (!settings) {
    const raw = (JSON.parse(organizerSettings) as { payments?: unknown }).payments;
    const parsed = paymentSettingsSchema.safeParse(raw ?? {});
    settings = Object.freeze(parsed.success ? parsed.data : paymentSettingsSchema.parse({}));
    if (parsedByText.size >= 256) parsedByText.clear();
    parsedByText.set(organizerSettings, settings);
  }
  return settings;
}
