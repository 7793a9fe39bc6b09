// The widget's UI text comes with the event bootstrap, in the visitor's locale, so the bundle
// carries no language tables of its own (beyond what it needs when the bootstrap fails).
import { describe, expect, test } from 'vitest';
import { world } from '../support/world.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('bootstrap texts', () => {
  test('ru and en carry the same keys, with the same placeholders, and say which locale they are', async () => {
    const w = await world();
    const ru = await w.call('GET', `/api/v1/events/${w.slug}?locale=ru`);
    const en = await w.call('GET', `/api/v1/events/${w.slug}?locale=en`);
    expect([ru.status, en.status]).toEqual([200, 200]);
    expect([ru.body.locale, en.body.locale]).toEqual(['ru', 'en']);
    expect(Object.keys(ru.body.texts).sort()).toEqual(Object.keys(en.body.texts).sort());
    expect(Object.keys(en.body.texts).length).toBeGreaterThan(40);
    for (const [key, text] of Object.entries<string>(en.body.texts)) {
      expect(typeof text, key).toBe('string');
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(ru.body.texts[key]), key).toEqual(placeholders(text));
    }
    expect(ru.body.texts.continue).toBe('Продолжить');
    expect(en.body.texts.continue).toBe('Continue');
    expect(en.body.texts.left).toBe('{n} left');
    // The rest of the answer does not depend on the locale.
    expect(ru.body.performances).toEqual(en.body.performances);
    expect(ru.body.settings).toEqual(en.body.settings);
    // Each locale is its own body, so its own ETag.
    expect(ru.headers.get('etag')).not.toBe(en.headers.get('etag'));
  });

  test('without a locale the texts are in the organizer’s default locale', async () => {
    const ruOrganizer = await world();
    const plain = await ruOrganizer.call('GET', `/api/v1/events/${ruOrganizer.slug}`);
    expect(plain.body.locale).toBe('ru');
    expect(plain.body.texts.continue).toBe('Продолжить');

    const enOrganizer = await world({ settings: { defaultLocale: 'en' } });
    const en = await enOrganizer.call('GET', `/api/v1/events/${enOrganizer.slug}`);
    expect(en.body.locale).toBe('en');
    expect(en.body.texts.continue).toBe('Continue');
  });

  test('an unknown locale is a 400 naming the field', async () => {
    const w = await world();
    for (const locale of ['de', 'RU', '', 'ru-RU']) {
      const res = await w.call('GET', `/api/v1/events/${w.slug}?locale=${encodeURIComponent(locale)}`);
      expect(res.status, locale).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION', field: 'locale' });
    }
  });

  test('organizer button texts stay in settings, beside the standard texts', async () => {
    const w = await world({ settings: { buttonTexts: { ru: { open: 'Билеты на «Гамлета»' }, en: { checkout: 'Book now' } } } });
    const ru = await w.call('GET', `/api/v1/events/${w.slug}?locale=ru`);
    expect(ru.body.settings.buttonTexts).toEqual({ ru: { open: 'Билеты на «Гамлета»' }, en: { checkout: 'Book now' } });
    expect(ru.body.texts.open).toBe('Купить билеты');
    const en = await w.call('GET', `/api/v1/events/${w.slug}?locale=en`);
    expect(en.body.settings.buttonTexts.en).toEqual({ checkout: 'Book now' });
    expect(en.body.texts.checkout).toBe('Confirm order');
  });
});
