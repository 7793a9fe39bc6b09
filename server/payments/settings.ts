// An organizer's payment settings, under `payments` in their settings JSON: which online
// provider takes the money (none: orders are reserved for the box office, as before) and how
// long a buyer has to pay, during which the order keeps its seats.
import { z } from 'zod';

export const paymentSettingsSchema = z.object({
  /** An online provider's id (payments/provider.ts); null: box office. */
  provider: z.string().nullable().default(null),
  timeoutMinutes: z.number().int().min(5).max(120).default(20),
  /** Each provider's own settings, by provider id, checked by its settingsSchema. */
  providers: z.record(z.string(), z.unknown()).default({}),
});

export type PaymentSettings = z.infer<typeof paymentSettingsSchema>;

export function parsePaymentSettings(organizerSettings: string): PaymentSettings {
  const raw = (JSON.parse(organizerSettings) as { payments?: unknown }).payments;
  const parsed = paymentSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : paymentSettingsSchema.parse({});
}
