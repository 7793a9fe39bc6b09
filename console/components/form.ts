// A form's talk with the API: while a request runs it is busy; afterwards either it worked, or
// every field the API names (`errors`) shows its problem under itself, in the console's
// language, with a summary above the form. Texts come from the error's code and field; the
// API's English message is the last resort.
import { signal } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import { ApiFailure } from '../api.ts';
import { t } from '../i18n.ts';

/** "recovery.steps.0.subject.en" → "recovery.steps.subject": list positions and languages do not change the advice. */
const fieldKey = (field: string) =>
  field
    .split('.')
    .filter((part) => !/^\d+$/.test(part) && part !== 'ru' && part !== 'en')
    .join('.');

function codeText(code: string, message: string): string {
  const tx = t.value.errors;
  if (code === 'NETWORK') return tx.NETWORK;
  if (code === 'UNAUTHORIZED') return tx.UNAUTHORIZED;
  const text = (tx.codes as Record<string, string>)[code];
  if (!text) return message || tx.generic + code;
  // The request id is what support asks for.
  const requestId = code === 'INTERNAL' ? /request ([\w-]+)/.exec(message)?.[1] : undefined;
  return requestId ? `${text} ${tx.requestId(requestId)}` : text;
}

/** What to show under a field the API found fault with. */
export function fieldText(issue: { code: string; message: string; field: string }): string {
  const tx = t.value.errors;
  const fields = tx.fields as Record<string, string>;
  if (issue.code !== 'VALIDATION' && (tx.codes as Record<string, string>)[issue.code]) return codeText(issue.code, issue.message);
  const key = fieldKey(issue.field);
  return fields[key] ?? fields[key.split('.').at(-1)!] ?? tx.invalid;
}

export function describeFailure(error: unknown): string {
  if (error instanceof ApiFailure) return codeText(error.code, error.message);
  return t.value.errors.generic + String(error);
}

export function useForm() {
  return useMemo(() => {
    // The API's field paths with an error, and the localized text of each.
    const fields = signal<Record<string, string>>({});
    const general = signal<string | null>(null);
    const busy = signal(false);
    const done = signal(false);
    // Fields this form has an input for (each asks for its error when drawn): an error for any
    // other field is spelled out in the summary, so none goes unseen.
    const shown = new Set<string>();
    const shownUnder = new Set<string>();
    const error = (name: string) => {
      shown.add(name);
      return fields.value[name];
    };
    return {
      fields,
      general,
      busy,
      done,
      /** The error for `name` (API field path, e.g. "widget.accentColor"). */
      error,
      /** The first error for a field under `prefix` (e.g. "allowedOrigins" for "allowedOrigins.1"). */
      errorUnder(prefix: string) {
        shownUnder.add(prefix);
        return Object.entries(fields.value).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1];
      },
      /** Errors of fields without an input here, for the summary. */
      unshown: () =>
        Object.entries(fields.value)
          .filter(([k]) => !shown.has(k) && ![...shownUnder].some((prefix) => k === prefix || k.startsWith(`${prefix}.`)))
          .map(([, text]) => text),
      /** Runs `action`; true when it worked. */
      async run(action: () => Promise<unknown>): Promise<boolean> {
        // Submitting with Enter or the button leaves focus in the form: after a failure it moves
        // to the first field at fault, whose error is tied to it (aria-describedby).
        const formElement = document.activeElement?.closest('form');
        busy.value = true;
        done.value = false;
        fields.value = {};
        general.value = null;
        try {
          await action();
          done.value = true;
          return true;
        } catch (failure) {
          const issues = failure instanceof ApiFailure ? failure.issues : [];
          if (issues.length > 0) {
            fields.value = Object.fromEntries(issues.map((issue) => [issue.field, fieldText(issue)]));
            general.value = t.value.errors.fixFields(issues.length);
            requestAnimationFrame(() => formElement?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
          } else {
            general.value = describeFailure(failure);
          }
          return false;
        } finally {
          busy.value = false;
        }
      },
    };
  }, []);
}

export type Form = ReturnType<typeof useForm>;
