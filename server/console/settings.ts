// The organizer's settings as the console edits them: widget, recovery, allowed sites, payments. Each
// part sent is merged over what is stored and validated whole, so a PATCH may name one key.
import type { z } from 'zod';
import type { ConsoleSettings, OfferedProvider, UpdateSettingsInput } from '../contracts/console.ts';
import { findOrganizerSettings, updateOrganizerSettings } from './catalogue-db.ts';
import type { Db } from '../platform/db/database.ts';
import { invalidInput } from '../platform/errors.ts';
import { mergePaymentSettings, paymentOffer, publicPaymentSettings } from '../payments/console-settings.ts';
import type { Payments } from '../payments/provider.ts';
import { recoverySchema } from '../contracts/recovery-settings.ts';
import { parseSettings, settingsSchema } from '../sales/settings.ts';
import type { WidgetSettings } from '../contracts/widget.ts';
import type { Store } from '../store.ts';

function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalidInput(parsed.error, [part]);
}

function stored(row: { settings: string; allowed_origins: string }, offered: OfferedProvider[] = []) {
  const raw = JSON.parse(row.settings) as Record<string, unknown>;
  return {
    raw,
    // Stored values passed these schemas when saved; parse only fills in defaults.
    settings: {
      widget: settingsSchema.parse(raw),
      recovery: recoverySchema.parse(raw.recovery ?? {}),
      allowedOrigins: JSON.parse(row.allowed_origins) as string[],
      payments: publicPaymentSettings(raw.payments, offered),
    } satisfies ConsoleSettings,
  };
}

/** `payments`: the providers this instance offers, listed under payments.offered. */
export async function readSettings(db: Db, organizerId: string, payments?: Payments): Promise<ConsoleSettings> {
  return stored(await findOrganizerSettings(db, organizerId), paymentOffer(payments, organizerId)).settings;
}

/** `askPhone` is derived from `fields.phone`; a client that still sends it alone is understood. */
function widgetPatch(current: ConsoleSettings['widget'], patch: Record<string, unknown>) {
  const { askPhone, ...rest } = patch;
  const merged: Record<string, unknown> = { ...current, ...rest };
  const fields = rest.fields as { phone?: unknown } | undefined;
  if (typeof askPhone === 'boolean' && fields?.phone === undefined) {
    const phone = askPhone ? (current.fields.phone === 'off' ? 'optional' : current.fields.phone) : 'off';
    merged.fields = { ...current.fields, ...(fields ?? {}), phone };
  }
  delete merged.askPhone;
  return merged;
}

export function updateSettings(store: Store, organizerId: string, input: UpdateSettingsInput): Promise<ConsoleSettings> {
  return store.tx(async (trx) => {
    const { raw, settings } = stored(await findOrganizerSettings(trx, organizerId));
    const next = { ...raw };
    if (input.widget) {
      Object.assign(next, parsePart(settingsSchema, widgetPatch(settings.widget, input.widget), 'widget'));
    }
    if (input.recovery) {
      next.recovery = parsePart(recoverySchema, { ...settings.recovery, ...input.recovery }, 'recovery');
    }
    if (input.payments) next.payments = mergePaymentSettings(raw.payments, input.payments, store.payments?.providers ?? new Map());
    await updateOrganizerSettings(trx, organizerId, {
      settings: JSON.stringify(next),
      allowed_origins: input.allowedOrigins ? JSON.stringify([...new Set(input.allowedOrigins)]) : undefined,
    });
    return stored(await findOrganizerSettings(trx, organizerId), paymentOffer(store.payments, organizerId)).settings;
  });
}

/** What the widget settings would be with `draft` saved (validated the same way), for the console's preview. */
export async function draftWidgetSettings(db: Db, organizerId: string, draft: Record<string, unknown>): Promise<WidgetSettings> {
  const { settings } = stored(await findOrganizerSettings(db, organizerId));
  const merged = parsePart(settingsSchema, widgetPatch(settings.widget, draft), 'widget');
  return parseSettings(JSON.stringify(merged));
}
