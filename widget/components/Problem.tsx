// A kind message for something that went wrong, next to the control it is about. When the
// server could not answer, or nothing can be done here, it also says whom to ask.
import type { Failure } from '../api.ts';
import type { Strings } from '../i18n.ts';
import type { Support } from '../models/widget.ts';

/** Buyer fields show their own errors (DetailsStep); what reaches here is about the whole step. */
export function messageFor(t: Strings, f: Failure): string {
  // A cart we may no longer open reads the same to the visitor as one that is gone.
  const code = f.code === 'UNAUTHORIZED' ? 'NOT_FOUND' : f.code;
  return t[`errors.${code}` as keyof Strings] ?? t['errors.other'];
}

interface Props {
  t: Strings;
  failure: Failure;
  /** The organizer's settings, or before they load the element's support attributes. */
  settings?: Support | null;
  onRetry?: () => void;
}

export function Problem({ t, failure, settings, onRetry }: Props) {
  const email = settings?.supportEmail;
  const phone = settings?.supportPhone;
  return (
    <div class="problem" role="alert" data-testid="error-message">
      <p>{messageFor(t, failure)}</p>
      {failure.transient && onRetry && (
        <button type="button" class="btn" data-testid="retry" onClick={onRetry}>
          {t.retry}
        </button>
      )}
      {(failure.transient || !onRetry) && (email || phone) && (
        <p class="muted support">
          {t.help} {email && <a href={`mailto:${email}`}>{email}</a>}
          {email && phone && ' · '}
          {phone && <a href={`tel:${phone.replace(/[^+\d]/g, '')}`}>{phone}</a>}
        </p>
      )}
    </div>
  );
}
