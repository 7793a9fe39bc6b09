// The organizer's accent colour as the widget's CSS variables: the accent itself for button
// backgrounds, the text that reads on it, and shades of it dark enough for links (4.5:1) and
// focus rings, selected dates and checkboxes (3:1) on every background the widget draws.
import { accentColors } from '../server/contracts/contrast.ts';

/** The widget's darkest background (--soft, its tinted panels): what passes there passes on white. */
const PANEL = '#f5f3f6';

/** What the widget draws with for `accent` (the console shows it when it differs from the accent). */
export const widgetAccentColors = (accent: string) => accentColors(accent, PANEL);

export function accentStyle(accent: string | undefined): Record<string, string> | undefined {
  if (!accent || !/^#[0-9a-f]{6}$/i.test(accent)) return undefined;
  const c = widgetAccentColors(accent);
  return { '--accent': accent, '--on-accent': c.on, '--link': c.link, '--ring': c.ring };
}
