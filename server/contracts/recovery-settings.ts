// An organizer's recovery settings: when a cart counts as abandoned, the reminder steps, quiet
// hours, attribution and retention. Stored under `recovery` in the organizer's settings JSON and
// always read through this schema, so missing keys take their defaults.
import { z } from 'zod';
import { validateTemplate } from './template-variables.ts';

/** Organizer wording: checked when saved, so a typo in a variable never fails at send time. */
const template = z
  .string()
  .max(2000)
  .superRefine((text, ctx) => {
    const check = validateTemplate(text);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
  });
const localized = z.object({ ru: template.optional(), en: template.optional() });
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, 24-hour');

export const discountSchema = z
  .object({
    kind: z.enum(['percent', 'amount']),
    /** Percent (1–90) or an amount in minor units. */
    value: z.number().int().positive(),
    validDays: z.number().int().min(1).max(60).default(3),
  })
  .refine((d) => d.kind !== 'percent' || d.value <= 90, { message: 'A percent discount is at most 90', path: ['value'] });

export const stepSchema = z.object({
  enabled: z.boolean().default(true),
  delayMinutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 14),
  /** Organizer's wording; empty means the built-in text for the step. Variables: see mail/templates. */
  subject: localized.default({}),
  body: localized.default({}),
  /** The same for a cart whose payment did not go through (recovery/payment-abandonment.ts). */
  paymentSubject: localized.default({}),
  paymentBody: localized.default({}),
  discount: discountSchema.nullable().default(null),
});

/** The stats report reminders per step up to this many. */
export const MAX_REMINDER_STEPS = 5;

export const recoverySchema = z.object({
  abandonAfterMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  steps: z
    .array(stepSchema)
    .max(MAX_REMINDER_STEPS)
    .default([
      { enabled: true, delayMinutes: 60, subject: {}, body: {}, paymentSubject: {}, paymentBody: {}, discount: null },
      { enabled: true, delayMinutes: 24 * 60, subject: {}, body: {}, paymentSubject: {}, paymentBody: {}, discount: null },
      { enabled: true, delayMinutes: 72 * 60, subject: {}, body: {}, paymentSubject: {}, paymentBody: {}, discount: null },
    ]),
  quietHours: z.object({ start: clock, end: clock }).nullable().default({ start: '21:00', end: '09:00' }),
  attributionDays: z.number().int().min(1).max(60).default(7),
  retentionDays: z.number().int().min(1).max(365).default(30),
});

export type RecoverySettings = z.infer<typeof recoverySchema>;
export type ReminderStep = z.infer<typeof stepSchema>;
export type Discount = z.infer<typeof discountSchema>;

export function parseRecoverySettings(settingsJson: string): RecoverySettings {
  const raw = JSON.parse(settingsJson) as { recovery?: unknown };
  return recoverySchema.parse(raw.recovery ?? {});
}
