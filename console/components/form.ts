// A form's talk with the API: while a request runs it is busy; afterwards either it worked, or
// the API's error is shown by the field it names (`error.field`), or above the form.
import { signal } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import { ApiFailure } from '../api.ts';
import { t } from '../i18n.ts';

export function describeFailure(error: unknown): string {
  if (error instanceof ApiFailure) {
    if (error.code === 'NETWORK') return t.value.errors.NETWORK;
    return error.message || t.value.errors.generic + error.code;
  }
  return t.value.errors.generic + String(error);
}

export function useForm() {
  return useMemo(() => {
    const fields = signal<Record<string, string>>({});
    const general = signal<string | null>(null);
    const busy = signal(false);
    const done = signal(false);
    return {
      fields,
      general,
      busy,
      done,
      /** The error for `name` (API field path, e.g. "widget.accentColor"). */
      error: (name: string) => fields.value[name],
      /** Runs `action`; true when it worked. */
      async run(action: () => Promise<unknown>): Promise<boolean> {
        busy.value = true;
        done.value = false;
        fields.value = {};
        general.value = null;
        try {
          await action();
          done.value = true;
          return true;
        } catch (error) {
          if (error instanceof ApiFailure && error.field) {
            fields.value = { [error.field]: error.message };
            general.value = t.value.errors.fixFields;
          } else {
            general.value = describeFailure(error);
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
