// The one colour-contrast function behind the widget, the reminder emails and the console: known
// WCAG ratios, and what it derives from light, mid-tone, dark, black and white accents.
import { describe, expect, test } from 'vitest';
import { accentColors, contrastRatio, darkenTo } from '../../server/contracts/contrast.ts';

const WHITE = '#ffffff';
const PANEL = '#f5f3f6'; // the widget's tinted panels, its darkest background

test('contrastRatio gives the WCAG ratios', () => {
  expect(contrastRatio('#000000', WHITE)).toBe(21);
  expect(contrastRatio(WHITE, '#000000')).toBe(21);
  expect(contrastRatio('#8b1e3f', '#8b1e3f')).toBe(1);
  // Published figures (WebAIM's checker), to two decimals.
  expect(contrastRatio('#777777', WHITE)).toBeCloseTo(4.48, 2);
  expect(contrastRatio('#fff59d', WHITE)).toBeCloseTo(1.12, 2);
  expect(contrastRatio('#2ecc71', WHITE)).toBeCloseTo(2.1, 2);
  expect(contrastRatio('#e67e22', WHITE)).toBeCloseTo(2.85, 2);
  expect(contrastRatio('#8b1e3f', WHITE)).toBeCloseTo(8.92, 2);
});

describe.each([
  // accent, text on it, its own ratio on white
  ['#fff59d', '#000000', 1.12], // light: links and focus ring were 1.1:1
  ['#2ecc71', '#000000', 2.1], // mid tones: white text was 2.1:1 …
  ['#e67e22', '#000000', 2.85], // … and 2.8:1
  ['#8b1e3f', WHITE, 8.92], // the default accent: nothing changes
  ['#000000', WHITE, 21],
  [WHITE, '#000000', 1],
])('accent %s', (accent, on, ratio) => {
  const c = accentColors(accent);

  test(`text on it is ${on}, at least 4.5:1, and the better of black and white`, () => {
    expect(c.on).toBe(on);
    expect(contrastRatio(c.on, accent)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(c.on, accent)).toBeGreaterThanOrEqual(contrastRatio(on === WHITE ? '#000000' : WHITE, accent));
  });

  test('links reach 4.5:1 and the focus ring 3:1 on white, changed only as much as needed', () => {
    expect(contrastRatio(accent, WHITE)).toBeCloseTo(ratio, 2);
    expect(contrastRatio(c.link, WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(c.ring, WHITE)).toBeGreaterThanOrEqual(3);
    if (ratio >= 4.5) expect(c.link).toBe(accent);
    if (ratio >= 3) expect(c.ring).toBe(accent);
    // Darkened to just past the line, not to black.
    if (ratio < 4.5) expect(contrastRatio(c.link, WHITE)).toBeLessThan(4.7);
    if (ratio < 3) expect(contrastRatio(c.ring, WHITE)).toBeLessThan(3.2);
  });

  test('against a tinted panel too', () => {
    const p = accentColors(accent, PANEL);
    expect(contrastRatio(p.link, PANEL)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(p.ring, PANEL)).toBeGreaterThanOrEqual(3);
  });
});

test('darkening keeps the hue: the channels shrink in proportion', () => {
  const { link } = accentColors('#2ecc71');
  expect(link).toBe('#1e874b');
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(link.slice(i, i + 2), 16));
  expect(r! / g!).toBeCloseTo(0x2e / 0xcc, 1);
  expect(b! / g!).toBeCloseTo(0x71 / 0xcc, 1);
  expect(darkenTo('#fff59d', 4.5)).toBe('#7d784d');
  expect(darkenTo(WHITE, 21)).toBe('#000000');
});
