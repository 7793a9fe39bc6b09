// WCAG 2 contrast for the organizer's accent colour, one function for the widget, the reminder
// emails and the console: the text to put on the accent, and the accent darkened just enough to
// read as a link (4.5:1) or to show as a focus ring or control edge (3:1). No imports, and small:
// the widget bundles this file. Colours are #rrggbb; backgrounds are light.

const channels = (hex: string) => [16, 8, 0].map((shift) => (parseInt(hex.slice(1), 16) >> shift) & 255);

/** WCAG 2 relative luminance. */
const luminance = (hex: string) =>
  channels(hex).reduce((sum, c, i) => {
    const s = c / 255;
    return sum + [0.2126, 0.7152, 0.0722][i]! * (s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4);
  }, 0);

/** From 1 (the same) to 21 (black on white); AA asks 4.5 for text, 3 for large text and controls. */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** `color` darkened until it has `min` contrast with `background`, keeping its hue: the encoded
 * channels scale down together, which steps through lightness about evenly to the eye. */
export function darkenTo(color: string, min: number, background = '#ffffff'): string {
  let out = color;
  for (let k = 100; k && contrastRatio(out, background) < min; ) {
    k--;
    out = `#${channels(color)
      .map((c) =>
        Math.round((c * k) / 100)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
  }
  return out;
}

export interface AccentColors {
  /** Text on the accent: white or black, whichever contrasts more (one of them always passes 4.5:1). */
  on: string;
  /** Links and text in the accent on `background`: ≥ 4.5:1. */
  link: string;
  /** Focus rings, selected outlines and checkboxes on `background`: ≥ 3:1. */
  ring: string;
}

export function accentColors(accent: string, background = '#ffffff'): AccentColors {
  return {
    on: contrastRatio(accent, '#ffffff') >= contrastRatio(accent, '#000000') ? '#ffffff' : '#000000',
    link: darkenTo(accent, 4.5, background),
    ring: darkenTo(accent, 3, background),
  };
}
