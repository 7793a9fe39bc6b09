// Payment settings as the console reads and edits them. A provider's secrets are write-only:
// saved as given, read back only as `<name>Set: true`, and a change that leaves one out keeps the
// stored one (so a form can save the shop id without retyping the key).
import { z } from 'zod';
import { DomainError, invalidInput } from '../platform/errors.ts';
import type { ConsolePaymentSettings, OfferedProvider } from '../contracts/console.ts';
import type { Payments } from './provider.ts';
import type { PaymentProviders } from './provider.ts';
import { paymentSettingsSchema, type PaymentSettings } from './settings.ts';

/** Field names treated as secrets in every provider's settings; over-matching only hides a value. */
const SECRET = /secret|key|password|token/i;

/** What this instance offers the organizer: the providers it was built with (payments/registry.ts), in that order. */
export function paymentOffer(payments: Payments | undefined, organizerId: string): OfferedProvider[] {
  return [...(payments?.providers.keys() ?? [])].map((id) => ({
    id,
    notificationUrl: id === 'demo' ? null : `${payments!.baseUrl}/payments/notify/${id}/${organizerId}`,
  }));
}

export function publicPaymentSettings(stored: unknown, offered: OfferedProvider[] = []): ConsolePaymentSettings {
  const parsed = paymentSettingsSchema.safeParse(stored ?? {});
  const settings = parsed.success ? parsed.data : paymentSettingsSchema.parse({});
  const providers = Object.fromEntries(
    Object.entries(settings.providers).map(([id, values]) => [
      id,
      Object.fromEntries(Object.entries(values as Record<string, unknown>).map(([k, v]) => (SECRET.test(k) ? [`${k}Set`, Boolean(v)] : [k, v]))),
    ]),
  );
  return { provider: settings.provider, timeoutMinutes: settings.timeoutMinutes, providers, reservation: settings.reservation, offered };
}

const patchSchema = z
  .object({
    provider: z.string().nullable().optional(),
    timeoutMinutes: z.unknown().optional(),
    providers: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    reservation: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** `patch` merged over the stored settings (a provider's fields and the reservation limits one by one), each provider's part checked by its own schema. */
export function mergePaymentSettings(stored: unknown, patch: unknown, offered: PaymentProviders): PaymentSettings {
  const input = patchSchema.safeParse(patch);
  if (!input.success) throw invalidInput(input.error, ['payments']);
  const current = paymentSettingsSchema.safeParse(stored ?? {});
  const base = current.success ? current.data : paymentSettingsSchema.parse({});
  const providers = { ...base.providers };
  for (const [id, values] of Object.entries(input.data.providers ?? {})) {
    const provider = offered.get(id);
    if (!provider) throw new DomainError('VALIDATION', `This server offers no payment provider "${id}"`, `payments.providers.${id}`);
    const checked = provider.settingsSchema.safeParse({ ...((base.providers[id] as Record<string, unknown>) ?? {}), ...values });
    if (!checked.success) throw invalidInput(checked.error, ['payments', 'providers', id]);
    providers[id] = checked.data;
  }
  // The reservation limits merge field by field too: a form may send one of them.
  const next = { ...base, ...input.data, providers, reservation: { ...base.reservation, ...input.data.reservation } };
  const chosen = next.provider === null ? null : offered.get(next.provider);
  if (next.provider !== null && !chosen) throw new DomainError('VALIDATION', `This server offers no payment provider "${next.provider}"`, 'payments.provider');
  if (chosen && !chosen.settingsSchema.safeParse(providers[chosen.id] ?? {}).success) {
    throw new DomainError('VALIDATION', `Enter the ${chosen.id} settings before choosing it`, `payments.providers.${chosen.id}`);
  }
  const parsed = paymentSettingsSchema.safeParse(next);
  if (!parsed.success) throw invalidInput(parsed.error, ['payments']);
  return parsed.data;
}
