// An organizer's widget settings, stored as JSON and always read through this schema so that
// missing keys get their defaults and old rows keep working as settings grow.
import { z } from 'zod';
import type { WidgetSettings } from '../contracts/widget.ts';

const localized = z.object({ ru: z.string().max(500).optional(), en: z.string().max(500).optional() });
const buttonTexts = z.object({ open: z.string().max(60).optional(), checkout: z.string().max(60).optional() });

const customField = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'Use 1–32 lower-case letters, digits, - or _, starting with a letter'),
  label: localized.refine((l) => Boolean(l.ru?.trim() || l.en?.trim()), 'Give the label in at least one language'),
  required: z.boolean().default(false),
});

/** Extra checkout fields. Rows saved before this existed only have `askPhone`. */
const fields = z.object({
  phone: z.enum(['off', 'optional', 'required']).optional(),
  custom: z
    .array(customField)
    .max(5)
    .default([])
    .refine((list) => new Set(list.map((f) => f.id)).size === list.length, 'Custom field ids must be unique'),
});

export const settingsSchema = z
  .object({
    accentColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .default('#8b1e3f'),
    holdMinutes: z.number().int().min(2).max(60).default(15),
    consentMode: z.enum(['opt-in', 'notice']).default('opt-in'),
    consentText: localized.default({}),
    /** Derived from `fields.phone` and kept for the widget; read only when `fields.phone` is absent. */
    askPhone: z.boolean().optional(),
    fields: fields.default({ custom: [] }),
    buttonTexts: z.object({ ru: buttonTexts.optional(), en: buttonTexts.optional() }).default({}),
    supportEmail: z.string().email().nullable().default(null),
    supportPhone: z.string().max(40).nullable().default(null),
    defaultLocale: z.enum(['ru', 'en']).default('ru'),
  })
  .transform(({ askPhone, fields, ...rest }): WidgetSettings => {
    const phone = fields.phone ?? (askPhone === false ? 'off' : 'optional');
    return { ...rest, askPhone: phone !== 'off', fields: { phone, custom: fields.custom } };
  });

/** Parsed settings by their stored text: every cart request reads them inside its write transaction. */
const parsed = new Map<string, Readonly<WidgetSettings>>();

/**
 * Stored settings with defaults filled in. The consent text shown depends on the reminder steps
 * too: see consent-text.ts. The same text gives the same object, frozen, since callers share it.
 */
export function parseSettings(json: string): Readonly<WidgetSettings> {
  let settings = parsed.get(json);
  if (!settings) {
    settings = deepFreeze(settingsSchema.parse(JSON.parse(json)));
    if (parsed.size >= 256) parsed.clear();
    parsed.set(json, settings);
  }
  return settings;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
