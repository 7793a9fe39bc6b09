// The buyer fields an organizer asks for beyond email and name (settings.fields): the phone,
// off, optional or required, and up to five questions of their own. Answers are plain text
// by field id; they are shown as text wherever they go, never as markup.
import type { Locale, WidgetSettings } from '../contracts/widget.ts';
import { DomainError } from '../platform/errors.ts';

type Answers = Record<string, string>;

/**
 * The stored answers as a Map: question ids are the organizer's and the keys of a request are
 * the buyer's, so they are never looked up on a plain object (an id such as `constructor` would
 * find Object.prototype's and count as answered).
 */
export function parseAnswers(json: string | null): Map<string, string> {
  const parsed = json ? (JSON.parse(json) as Answers) : {};
  return new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The stored answers for a response or a webhook: own keys only (Object.fromEntries). */
export const answersRecord = (json: string | null): Answers => Object.fromEntries(parseAnswers(json));

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
    if (value === '') answers.delete(id);
    else answers.set(id, value);
  }
  return answers.size ? JSON.stringify(Object.fromEntries(answers)) : null;
}

/** The answers an order keeps: those to questions still asked. */
export function answersToKeep(settings: WidgetSettings, storedJson: string | null): Answers {
  const answers = parseAnswers(storedJson);
  return Object.fromEntries(settings.fields.custom.filter((f) => answers.get(f.id)).map((f) => [f.id, answers.get(f.id)!]));
}

/** Checkout refuses a cart missing a phone or an answer the organizer requires. */
export function assertRequiredFields(settings: WidgetSettings, cart: { buyer_phone: string | null; buyer_answers: string | null; locale: string }): void {
  if (settings.fields.phone === 'required' && !cart.buyer_phone) {
    throw new DomainError('BUYER_REQUIRED', 'A phone number is needed for the tickets', 'buyer.phone');
  }
  const answers = parseAnswers(cart.buyer_answers);
  const missing = settings.fields.custom.find((f) => f.required && !answers.get(f.id));
  if (missing) {
    const label = missing.label[cart.locale as Locale] || missing.label.ru || missing.label.en;
    throw new DomainError('BUYER_REQUIRED', `An answer to “${label}” is needed for the tickets`, `buyer.answers.${missing.id}`);
  }
}
