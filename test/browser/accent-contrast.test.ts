// The widget stays readable whatever accent the organizer picks: in Chromium, with the default,
// a light (#fff59d), two mid-tone (#2ecc71, #e67e22), black and white accents, the colours the
// browser actually computes pass WCAG AA — text on the accent button 4.5:1, links 4.5:1, the
// focus ring, the selected date and the date and quantity buttons' borders 3:1 — and axe-core
// finds no colour-contrast violation on the tickets and details steps.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { contrastRatio } from '../../server/contracts/contrast.ts';
import { axeViolations } from '../support/axe.ts';
import { browserWorld, watchPageErrors } from '../support/browser.ts';

const ACCENTS = ['#8b1e3f', '#fff59d', '#2ecc71', '#e67e22', '#000000', '#ffffff'];
const WIDGET = '[data-encore-event="hamlet"]';
// The bootstrap is cached for a second of the server's clock: each accent moves it on.
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
const world = browserWorld(() => ({ now: clock.now }));

async function useAccent(accent: string) {
  const organizer = await world.site.db.selectFrom('organizers').select(['id', 'settings']).where('slug', '=', 'riverside').executeTakeFirstOrThrow();
  const settings = { ...JSON.parse(organizer.settings), accentColor: accent };
  await world.site.db
    .updateTable('organizers')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', organizer.id)
    .execute();
  clock.offsetMs += 5_000;
}

type Colours = Record<'color' | 'background' | 'border' | 'outline' | 'accentColor' | 'around', string>;

/** Colours as the browser computed them, as #rrggbb; `around` is the nearest opaque background behind the element's own. */
function colours(el: Locator): Promise<Colours> {
  return el.evaluate((node) => {
    const hex = (rgb: string) => {
      const [r, g, b] = rgb.match(/[\d.]+/g)!.map(Number);
      return `#${[r, g, b].map((c) => Math.round(c!).toString(16).padStart(2, '0')).join('')}`;
    };
    const opaque = (rgb: string) => !/rgba\(.*,\s*0\)$/.test(rgb) && rgb !== 'transparent';
    let parent = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host as HTMLElement);
    while (parent && !opaque(getComputedStyle(parent).backgroundColor)) {
      parent = parent.parentElement ?? ((parent.getRootNode() as ShadowRoot).host as HTMLElement | undefined)!;
    }
    const s = getComputedStyle(node);
    return {
      color: hex(s.color),
      background: opaque(s.backgroundColor) ? hex(s.backgroundColor) : hex(getComputedStyle(parent).backgroundColor),
      border: hex(s.borderTopColor),
      outline: hex(s.outlineColor),
      accentColor: s.accentColor === 'auto' ? 'auto' : hex(s.accentColor),
      around: parent ? hex(getComputedStyle(parent).backgroundColor) : '#ffffff',
    };
  });
}

/** The element focused inside the widget's shadow root, reached by keyboard (so :focus-visible applies). */
const focused = (page: Page) => page.locator(`${WIDGET} button:focus-visible`);

async function contrastViolations(page: Page) {
  return (await axeViolations(page, WIDGET)).filter((v) => v.id === 'color-contrast');
}

const ratio = (a: string, b: string) => Number(contrastRatio(a, b).toFixed(2));

describe.each(ACCENTS)('accent %s', (accent) => {
  test('tickets and details steps: text on the accent, links, focus ring and button borders pass AA', async () => {
    await useAccent(accent);
    const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${world.site.demoBase}/repertoire.html`);
    const widget = page.locator(WIDGET);
    const dates = widget.getByTestId('perf-option');
    await dates.first().waitFor();

    // A date not chosen yet, and its border against the widget's background.
    const date = await colours(dates.nth(1));
    expect.soft(ratio(date.border, date.around), `date button border ${date.border} on ${date.around}`).toBeGreaterThanOrEqual(3);
    expect.soft(ratio(date.border, date.background), `date button border ${date.border} on its ${date.background}`).toBeGreaterThanOrEqual(3);

    await dates.first().click();
    const chosen = await colours(dates.first());
    expect.soft(ratio(chosen.border, chosen.background), `chosen date border ${chosen.border} on ${chosen.background}`).toBeGreaterThanOrEqual(3);

    // Keyboard focus moves to the next date: the ring is the outline, drawn outside on the background.
    await page.keyboard.press('Tab');
    const ring = await colours(focused(page));
    expect.soft(ratio(ring.outline, ring.around), `focus ring ${ring.outline} on ${ring.around}`).toBeGreaterThanOrEqual(3);

    const plus = widget.getByTestId('tt-row').first().getByTestId('qty-inc');
    await plus.click();
    const stepper = await colours(plus);
    expect.soft(ratio(stepper.border, stepper.background), `quantity button border ${stepper.border} on ${stepper.background}`).toBeGreaterThanOrEqual(3);
    expect.soft(ratio(stepper.border, stepper.around), `quantity button border ${stepper.border} on ${stepper.around}`).toBeGreaterThanOrEqual(3);

    const go = await colours(widget.getByTestId('continue'));
    expect(go.background).toBe(accent); // the organizer's colour stays the button's
    expect.soft(ratio(go.color, go.background), `button text ${go.color} on ${go.background}`).toBeGreaterThanOrEqual(4.5);
    expect.soft(await contrastViolations(page)).toEqual([]);

    await widget.getByTestId('continue').click();
    await widget.getByTestId('email').waitFor();
    const back = await colours(widget.locator('.summary > .link'));
    expect.soft(ratio(back.color, back.background), `link ${back.color} on ${back.background}`).toBeGreaterThanOrEqual(4.5);
    // The promo code link (the demo's reminders carry codes, so the widget offers the field).
    const code = await colours(widget.getByTestId('have-code'));
    expect.soft(ratio(code.color, code.background), `code link ${code.color} on ${code.background}`).toBeGreaterThanOrEqual(4.5);
    const consent = await colours(widget.getByTestId('consent'));
    expect.soft(ratio(consent.accentColor, '#ffffff'), `checkbox ${consent.accentColor}`).toBeGreaterThanOrEqual(3);
    const pay = await colours(widget.getByTestId('checkout'));
    expect.soft(ratio(pay.color, pay.background), `button text ${pay.color} on ${pay.background}`).toBeGreaterThanOrEqual(4.5);
    expect.soft(await contrastViolations(page)).toEqual([]);

    expect(errors).toEqual([]);
    await context.close();
  });
});
