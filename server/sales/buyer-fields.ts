// The buyer fields an organizer asks for beyond email and name (settings.fields): the phone,
// off, optional or required, and up to five questions of their own. Answers are plain text
// by field id; they are shown as text wherever they go, never as markup.
import type { Locale, WidgetSettings } from '../contracts/widget.ts';
import { DomainError } from '../platform/errors.ts';

type Answers = Record<string, string>;

export function parseAnswers(json: string | null): Answers {
  return json ? (JSON.parse(json) as Answers) : {};
}

/**
 * The cart's answers after a PATCH: each one sent replaces the stored one, an empty string
 * clears it. Only the organizer's current questions may be answered. Null when none is left.
 */
export function mergeAnswers(settings: WidgetSettings, storedJson: string | null, input: Answers): string | null {
  const answers = parseAnswers(storedJson);
  for (const [id, value] of Object.entries(input)) {
    if (!settings.fields.custom.some((f) => f.id === id)) {
      throw new DomainError('VALIDATION', 'There is no such question', `buyer.answers.${id}`);
    }
    if (value === '') delete answers[id];
    else answers[id] = value;
  }
  return Object.keys(answers).length ? JSON.stringify(answers) : null;
}

/** The answers an order keeps: those to questions still asked. */
export function answersToKeep(settings: WidgetSettings, storedJson: string | null): Answers {
  const answers = parseAnswers(storedJson);
  return Object.fromEntries(settings.fields.custom.filter((f) => answers[f.id]).map((f) => [f.id, answers[f.id]!]));
}

/** Checkout refuses a cart missing a phone or an answer the organizer requires. */
export function assertRequiredFields(settings: WidgetSettings, cart: { buyer_phone: string | null; buyer_answers: string | null; locale: string }): void {
  if (settings.fields.phone === 'required' && !cart.buyer_phone) {
    throw new DomainError('BUYER_REQUIRED', 'A phone number is needed for the tickets', 'buyer.phone');
  }
  const answers = parseAnswers(cart.buyer_answers);
  const missing = settings.fields.custom.find((f) => f.required && !answers[f.id]);
  if (missing) {
    const label = missing.label[cart.locale as Locale] || missing.label.ru || missing.label.en;
    throw new DomainError('BUYER_REQUIRED', `An answer to “${label}” is needed for the tickets`, `buyer.answers.${missing.id}`);
  }
}
