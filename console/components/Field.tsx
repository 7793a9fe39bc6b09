// Labelled inputs. Every input has a visible label; an API error naming the field shows right
// under it and is tied to it with aria-describedby / aria-invalid. Several fields can be at
// fault at once: the form's summary is the one live announcement (components/ui.tsx), and focus
// moves to the first field at fault (components/form.ts), which reads out its own error.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export interface Base {
  label: string;
  error?: string;
  hint?: string;
  testId?: string;
}

export function Shell(p: Base & { id: string; children: ComponentChildren; inline?: boolean }) {
  return (
    <div class={`field${p.inline ? ' field-inline' : ''}${p.error ? ' has-error' : ''}`}>
      {!p.inline && <label for={p.id}>{p.label}</label>}
      {p.children}
      {p.inline && <label for={p.id}>{p.label}</label>}
      {p.hint && (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="field-error" id={`${p.id}-error`}>
          {p.error}
        </p>
      )}
    </div>
  );
}

export const described = (id: string, p: Base) => [p.hint && `${id}-hint`, p.error && `${id}-error`].filter(Boolean).join(' ') || undefined;

export function TextField(
  p: Base & {
    value: string;
    onInput: (v: string) => void;
    type?: 'text' | 'email' | 'password' | 'number' | 'url' | 'tel' | 'date' | 'time' | 'datetime-local' | 'color';
    placeholder?: string;
    required?: boolean;
    min?: number;
    max?: number;
    step?: string;
    autoComplete?: string;
    multiline?: boolean;
  },
) {
  const id = useId();
  const common = {
    id,
    value: p.value,
    placeholder: p.placeholder,
    required: p.required,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': described(id, p),
    'data-testid': p.testId,
    onInput: (e: Event) => p.onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <Shell {...p} id={id}>
      {p.multiline ? (
        <textarea {...common} rows={4} />
      ) : (
        <input {...common} type={(p.type ?? 'text') as 'text'} min={p.min} max={p.max} step={p.step} autoComplete={p.autoComplete} />
      )}
    </Shell>
  );
}

export function SelectField<V extends string>(p: Base & { value: V; onChange: (v: V) => void; options: { value: V; label: string }[] }) {
  const id = useId();
  return (
    <Shell {...p} id={id}>
      <select
        id={id}
        value={p.value}
        data-testid={p.testId}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={described(id, p)}
        onChange={(e) => p.onChange(e.currentTarget.value as V)}
      >
        {p.options.map((o) => (
          <option value={o.value} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}

export function CheckField(p: Base & { checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <Shell {...p} id={id} inline>
      <input
        id={id}
        type="checkbox"
        checked={p.checked}
        data-testid={p.testId}
        aria-describedby={described(id, p)}
        onChange={(e) => p.onChange(e.currentTarget.checked)}
      />
    </Shell>
  );
}
