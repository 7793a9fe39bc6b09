// A labelled text input with its own error line.
interface Props {
  /** Also the input's test id: email, name, phone or custom-<question id>. */
  name: string;
  label: string;
  type: 'email' | 'text' | 'tel';
  autoComplete: string;
  value: string;
  required: boolean;
  maxLength?: number;
  error?: string | false;
  /** Shown under the input (the consent notice under the email field). */
  note?: string | false;
  onInput: (value: string) => void;
  onBlur: () => void;
  onKeyDown?: (e: KeyboardEvent) => void;
}

export function Field(p: Props) {
  const id = `encore-${p.name}`;
  const errorId = `${id}-error`;
  const noteId = `${id}-note`;
  const describedBy = [p.error && errorId, p.note && noteId].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={p.type as 'text'}
        autoComplete={p.autoComplete}
        value={p.value}
        required={p.required}
        aria-required={p.required || undefined}
        maxLength={p.maxLength}
        data-testid={p.name}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={describedBy}
        onInput={(e) => p.onInput(e.currentTarget.value)}
        onBlur={p.onBlur}
        onKeyDown={p.onKeyDown}
      />
      {p.error && (
        <p id={errorId} class="error" role="alert" data-testid="error-message">
          {p.error}
        </p>
      )}
      {p.note && (
        <p id={noteId} class="muted note" data-testid="consent-notice">
          {p.note}
        </p>
      )}
    </div>
  );
}
