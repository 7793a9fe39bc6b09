import { expect, test } from 'vitest';
import { recoverySchema } from '../../server/contracts/recovery-settings.ts';

test('defaults: 30 min to abandon, steps at 1 h, 24 h, 72 h, quiet 21:00–09:00, 7-day attribution, 30-day retention', () => {
  const r = recoverySchema.parse({});
  expect(r.abandonAfterMinutes).toBe(30);
  expect(r.steps.map((s) => [s.enabled, s.delayMinutes])).toEqual([
    [true, 60],
    [true, 1440],
    [true, 4320],
  ]);
  expect(r.quietHours).toEqual({ start: '21:00', end: '09:00' });
  expect([r.attributionDays, r.retentionDays]).toEqual([7, 30]);
});

test('a bad template is rejected when saved, naming the step, the language and the variable', () => {
  const bad = recoverySchema.safeParse({ steps: [{ delayMinutes: 60, subject: { en: 'Hi {{nmae}}, your {{event}}' } }] });
  expect(bad.success).toBe(false);
  const issue = bad.error!.issues[0]!;
  expect(issue.path).toEqual(['steps', 0, 'subject', 'en']);
  expect(issue.message).toContain('nmae');
  const unbalanced = recoverySchema.safeParse({ steps: [{ delayMinutes: 60, body: { ru: 'Здравствуйте, {{name' } }] });
  expect(unbalanced.success).toBe(false);
  expect(recoverySchema.safeParse({ steps: [{ delayMinutes: 60, body: { ru: '{{name}}, билеты на {{event}} ждут' } }] }).success).toBe(true);
});

test('a percent discount over 90 and a malformed quiet hour are rejected', () => {
  expect(recoverySchema.safeParse({ steps: [{ delayMinutes: 60, discount: { kind: 'percent', value: 95 } }] }).success).toBe(false);
  expect(recoverySchema.safeParse({ quietHours: { start: '25:00', end: '09:00' } }).success).toBe(false);
});
