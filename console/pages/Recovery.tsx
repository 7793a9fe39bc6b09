// Recovery settings: when a cart counts as abandoned, the reminder steps, quiet hours,
// attribution and retention; each email previewed (sandboxed, no scripts) and sent as a test.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ConsoleSettings } from '../../server/contracts/console.ts';
import type { RecoverySettings } from '../../server/contracts/recovery-settings.ts';
import { patch } from '../api.ts';
import { CheckField, TextField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { loadSettings, settings } from '../data.ts';
import { t } from '../i18n.ts';
import { EmailPreview } from './EmailPreview.tsx';
import { StepEditor } from './StepEditor.tsx';

const MAX_STEPS = 5;

export function Recovery() {
  const failure = useSignal<string | null>(null);
  const draft = useSignal<RecoverySettings | null>(null);
  const form = useForm();
  useEffect(() => {
    loadSettings()
      .then(() => (draft.value = structuredClone(settings.value!.recovery)))
      .catch((e) => (failure.value = describeFailure(e)));
  }, []);
  const tx = t.value;
  if (failure.value) return <p class="message bad">{failure.value}</p>;
  const r = draft.value;
  if (!r) return <Loading />;
  const update = (change: Partial<RecoverySettings>) => (draft.value = { ...r, ...change });
  const err = (path: string) => form.error(`recovery.${path}`);
  const num = (v: string) => (v === '' ? NaN : Number(v));
  return (
    <Page title={tx.recovery.title} intro={tx.recovery.intro}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.run(async () => {
            const saved = await patch<ConsoleSettings>('/settings', { recovery: r });
            settings.value = saved;
            draft.value = structuredClone(saved.recovery);
          });
        }}
      >
        <Card title={tx.recovery.general}>
          <div class="grid two">
            <TextField
              label={tx.recovery.abandonAfter}
              type="number"
              min={5}
              value={String(r.abandonAfterMinutes)}
              onInput={(v) => update({ abandonAfterMinutes: num(v) })}
              error={err('abandonAfterMinutes')}
            />
            <TextField
              label={tx.recovery.attribution}
              type="number"
              min={1}
              max={60}
              value={String(r.attributionDays)}
              onInput={(v) => update({ attributionDays: num(v) })}
              error={err('attributionDays')}
            />
            <TextField
              label={tx.recovery.retention}
              type="number"
              min={1}
              max={365}
              value={String(r.retentionDays)}
              onInput={(v) => update({ retentionDays: num(v) })}
              error={err('retentionDays')}
            />
          </div>
          <h3>{tx.recovery.quietHours}</h3>
          <CheckField
            label={tx.recovery.quietOn}
            checked={r.quietHours !== null}
            onChange={(on) => update({ quietHours: on ? { start: '21:00', end: '09:00' } : null })}
          />
          {r.quietHours && (
            <div class="grid two">
              <TextField
                label={tx.recovery.quietStart}
                type="time"
                value={r.quietHours.start}
                onInput={(v) => update({ quietHours: { ...r.quietHours!, start: v } })}
                error={err('quietHours.start')}
              />
              <TextField
                label={tx.recovery.quietEnd}
                type="time"
                value={r.quietHours.end}
                onInput={(v) => update({ quietHours: { ...r.quietHours!, end: v } })}
                error={err('quietHours.end')}
              />
            </div>
          )}
        </Card>

        <h2 class="section-title">{tx.recovery.steps}</h2>
        {r.steps.map((step, i) => (
          <StepEditor
            key={i}
            index={i}
            step={step}
            error={(path) => err(`steps.${i}.${path}`)}
            onChange={(s) => update({ steps: r.steps.map((x, j) => (j === i ? s : x)) })}
            onRemove={r.steps.length > 1 ? () => update({ steps: r.steps.filter((_, j) => j !== i) }) : undefined}
          />
        ))}
        {r.steps.length < MAX_STEPS && (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              update({
                steps: [
                  ...r.steps,
                  {
                    enabled: true,
                    delayMinutes: (r.steps.at(-1)?.delayMinutes ?? 60) * 2,
                    subject: {},
                    body: {},
                    paymentSubject: {},
                    paymentBody: {},
                    discount: null,
                  },
                ],
              })
            }
          >
            {tx.recovery.addStep}
          </button>
        )}
        <div class="actions sticky-actions">
          <FormMessage form={form} ok={tx.saved} />
          <Submit form={form} label={tx.save} testId="recovery-save" />
        </div>
      </form>
      <EmailPreview draft={r} />
    </Page>
  );
}
