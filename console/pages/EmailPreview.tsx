// A reminder as the buyer would get it, from the settings on screen (saved or not): subject and
// HTML (in a sandboxed iframe: no scripts, no same-origin access; links open a new tab), and a test send.
import { useSignal, useSignalEffect } from '@preact/signals';
import type { RecoverySettings } from '../../server/contracts/recovery-settings.ts';
import type { Locale } from '../../server/contracts/widget.ts';
import { post } from '../api.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Submit } from '../components/ui.tsx';
import { LOCALE_NAMES, locale, t } from '../i18n.ts';
import { session } from '../session.ts';
import { FRAME_SANDBOX, linksInNewTab } from '../../server/contracts/mail-frame.ts';

interface Rendered {
  subject: string;
  html: string;
  text: string;
}

const DEBOUNCE_MS = 400;

export function EmailPreview({ draft }: { draft: RecoverySettings }) {
  const tx = t.value;
  const step = useSignal(0);
  const mailLocale = useSignal<Locale>(locale.value);
  const rendered = useSignal<Rendered | null>(null);
  const problem = useSignal<string | null>(null);
  const current = useSignal(draft);
  current.value = draft;
  const to = useSignal(session.value?.user?.email ?? '');
  const sendForm = useForm();
  const sentTo = useSignal('');

  useSignalEffect(() => {
    const body = { step: Math.min(step.value, current.value.steps.length - 1), locale: mailLocale.value, recovery: current.value };
    const timer = setTimeout(() => {
      post<Rendered>('/recovery/preview', body)
        .then((r) => {
          rendered.value = r;
          problem.value = null;
        })
        .catch((e) => (problem.value = describeFailure(e)));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  });

  const steps = draft.steps.map((_, i) => ({ value: String(i), label: tx.recovery.step(i + 1) }));
  return (
    <Card title={tx.recovery.preview} testId="email-preview">
      <div class="grid two">
        <SelectField
          label={tx.recovery.previewStep}
          value={String(step.value)}
          onChange={(v) => (step.value = Number(v))}
          options={steps}
          testId="preview-step"
        />
        <SelectField
          label={tx.recovery.previewLocale}
          value={mailLocale.value}
          onChange={(v) => (mailLocale.value = v)}
          options={(['ru', 'en'] as const).map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
        />
      </div>
      {problem.value && <p class="message bad">{problem.value}</p>}
      {rendered.value && (
        <>
          <p>
            <strong>{tx.recovery.subject}:</strong> <span data-testid="email-subject">{rendered.value.subject}</span>
          </p>
          <iframe
            class="email-frame"
            title={tx.recovery.preview}
            sandbox={FRAME_SANDBOX}
            srcdoc={linksInNewTab(rendered.value.html)}
            data-testid="email-frame"
          />
        </>
      )}
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const address = to.value;
          void sendForm
            .run(() => post('/recovery/test-send', { step: step.value, locale: mailLocale.value, to: address, recovery: current.value }))
            .then((ok) => {
              if (ok) sentTo.value = address;
            });
        }}
      >
        <TextField
          label={tx.recovery.testTo}
          type="email"
          required
          value={to.value}
          onInput={(v) => (to.value = v)}
          error={sendForm.error('to')}
          testId="test-to"
        />
        <Submit form={sendForm} label={tx.recovery.testSend} testId="test-send" />
      </form>
      <FormMessage form={sendForm} ok={tx.recovery.testSent(sentTo.value)} />
    </Card>
  );
}
