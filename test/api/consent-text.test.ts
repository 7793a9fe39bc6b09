// The consent line under the email field (notice) or beside the box (opt-in) says how many
// reminders the organizer's schedule sends, and the cart records exactly the text shown.
import { describe, expect, test } from 'vitest';
import { bearer, world } from '../support/world.ts';

type World = Awaited<ReturnType<typeof world>>;
const STEP = { subject: {}, body: {}, discount: null };

/** The organizer's schedule with `enabled` of its three steps switched on (the rest off). */
async function setSchedule(w: World, enabled: number, extra: Record<string, unknown> = {}) {
  const row = await w.db.selectFrom('organizers').select('settings').where('id', '=', w.organizerId).executeTakeFirstOrThrow();
  const steps = [60, 24 * 60, 72 * 60].map((delayMinutes, i) => ({ ...STEP, delayMinutes, enabled: i < enabled }));
  const settings = { ...JSON.parse(row.settings), ...extra, recovery: { steps } };
  await w.db
    .updateTable('organizers')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', w.organizerId)
    .execute();
  // Past the bootstrap cache's second.
  w.clock.advance(1);
}

async function shownAndStored(w: World, locale: 'ru' | 'en', mode: 'notice' | 'opt-in', email: string) {
  const boot = await w.call('GET', `/api/v1/events/${w.slug}?locale=${locale}`);
  const shown = boot.body.settings.consentText[locale] ?? null;
  const cart = await w.call('POST', '/api/v1/carts', { performanceId: w.performanceId, items: [{ ticketTypeId: w.standard, quantity: 1 }], locale });
  const input = mode === 'notice' ? { buyer: { email } } : { buyer: { email }, consent: true };
  const patched = await w.call('PATCH', `/api/v1/carts/${cart.body.id}`, input, bearer(cart.body.token));
  expect(patched.status).toBe(200);
  const row = await w.db.selectFrom('carts').select(['consent', 'consent_text']).where('id', '=', cart.body.id).executeTakeFirstOrThrow();
  expect(patched.body.consent.text).toBe(row.consent_text);
  return { shown, stored: row.consent_text, consent: row.consent };
}

const EXPECTED = {
  notice: {
    ru: [
      'Если вы не завершите покупку, мы можем прислать на этот адрес 1 напоминание.',
      'Если вы не завершите покупку, мы можем прислать на этот адрес 2 напоминания.',
      'Если вы не завершите покупку, мы можем прислать на этот адрес 3 напоминания.',
    ],
    en: [
      'If you do not finish buying, we may send 1 reminder to this address.',
      'If you do not finish buying, we may send 2 reminders to this address.',
      'If you do not finish buying, we may send 3 reminders to this address.',
    ],
  },
  'opt-in': {
    ru: [
      'Напомнить мне письмом, если я не завершу покупку (не больше 1 письма)',
      'Напомнить мне письмом, если я не завершу покупку (не больше 2 писем)',
      'Напомнить мне письмом, если я не завершу покупку (не больше 3 писем)',
    ],
    en: [
      'Remind me by email if I do not finish buying (at most 1 email)',
      'Remind me by email if I do not finish buying (at most 2 emails)',
      'Remind me by email if I do not finish buying (at most 3 emails)',
    ],
  },
} as const;

describe.each(['notice', 'opt-in'] as const)('%s mode', (mode) => {
  test('the text shown counts the enabled reminder steps, and the cart stores exactly that text (ru and en)', async () => {
    const w = await world({ settings: { consentMode: mode } });
    let n = 0;
    for (const steps of [3, 1, 2]) {
      await setSchedule(w, steps, { consentMode: mode });
      for (const locale of ['ru', 'en'] as const) {
        const { shown, stored, consent } = await shownAndStored(w, locale, mode, `buyer${n++}@example.com`);
        expect(shown, `${steps} steps, ${locale}`).toBe(EXPECTED[mode][locale][steps - 1]);
        expect(stored, `${steps} steps, ${locale}`).toBe(shown);
        expect(consent).toBe(mode === 'opt-in' ? 1 : 0);
      }
    }
  });

  test('with every step switched off nothing is announced, asked or recorded', async () => {
    const w = await world({ settings: { consentMode: mode } });
    await setSchedule(w, 0, { consentMode: mode });
    for (const locale of ['ru', 'en'] as const) {
      const { shown, stored, consent } = await shownAndStored(w, locale, mode, `nobody-${locale}@example.com`);
      expect([shown, stored, consent]).toEqual([null, null, 0]);
    }
  });
});

test("an organizer's own wording is shown and stored as written", async () => {
  const w = await world({ settings: { consentMode: 'notice', consentText: { en: 'We will write to you about this order.' } } });
  const en = await shownAndStored(w, 'en', 'notice', 'own@example.com');
  expect(en.shown).toBe('We will write to you about this order.');
  expect(en.stored).toBe(en.shown);
  // The other locale, not written by the organizer, takes the built-in text for the default schedule.
  const ru = await shownAndStored(w, 'ru', 'notice', 'own-ru@example.com');
  expect(ru.shown).toBe(EXPECTED.notice.ru[2]);
  expect(ru.stored).toBe(ru.shown);
});
