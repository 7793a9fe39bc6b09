// The small template language of organizer-editable subjects and bodies: text with
// {{variable}} placeholders from a fixed list. Checked when saved (validateTemplate), so a
// typo is an error in the settings form instead of a broken email at send time.
export const TEMPLATE_VARIABLES = [
  { name: 'name', description: "The buyer's name (a friendly word when we don't know it)" },
  { name: 'event', description: 'The event title' },
  { name: 'date', description: 'Date and time of the performance, in the event time zone' },
  { name: 'venue', description: 'The venue' },
  { name: 'total', description: 'The cart total with currency' },
  { name: 'organizer', description: "The organizer's name" },
  // The link in the email applies the discount; buyers have nowhere to type a code yet.
  { name: 'discount_code', description: "This step's discount code, for reference: the email's link applies it (empty without a discount)" },
  { name: 'discount', description: 'The discount, e.g. "10%" or "300 ₽" (empty without a discount)' },
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number]['name'];
export type TemplateValues = Record<TemplateVariable, string>;

const KNOWN = new Set<string>(TEMPLATE_VARIABLES.map((v) => v.name));
const LIST = TEMPLATE_VARIABLES.map((v) => `{{${v.name}}}`).join(', ');
const TOKEN = /\{\{|\}\}/g;

export type TemplateCheck = { ok: true } | { ok: false; message: string; index: number };

export function validateTemplate(text: string): TemplateCheck {
  let open = -1;
  for (const m of text.matchAll(TOKEN)) {
    if (m[0] === '{{') {
      if (open !== -1) return { ok: false, index: open, message: `"{{" at position ${open + 1} is not closed with "}}"` };
      open = m.index;
      continue;
    }
    if (open === -1) return { ok: false, index: m.index, message: `"}}" at position ${m.index + 1} has no opening "{{"` };
    const name = text.slice(open + 2, m.index).trim();
    if (!KNOWN.has(name)) {
      const shown = name === '' ? '{{}}' : `{{${name}}}`;
      return { ok: false, index: open, message: `Unknown variable ${shown} at position ${open + 1}. Available: ${LIST}` };
    }
    open = -1;
  }
  if (open !== -1) return { ok: false, index: open, message: `"{{" at position ${open + 1} is not closed with "}}"` };
  return { ok: true };
}

/** Fills in a template that passed validateTemplate; `encode` is applied to the literal text and
 * the values alike (HTML escaping for the HTML part, nothing for text and subject). */
export function fillTemplate(text: string, values: TemplateValues, encode: (s: string) => string = (s) => s): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)) {
    out += encode(text.slice(last, m.index)) + encode(values[m[1] as TemplateVariable] ?? m[0]);
    last = m.index + m[0].length;
  }
  return out + encode(text.slice(last));
}
