// One reminder step: on/off, delay, the organizer's subject and opening per language (and those for
// a buyer whose payment did not go through), discount.
import { Fragment } from 'preact';
import type { ReminderStep } from '../../server/contracts/recovery-settings.ts';
import { CheckField, SelectField, TextField } from '../components/Field.tsx';
import { Card } from '../components/ui.tsx';
import { duration } from '../format.ts';
import { LOCALES, LOCALE_NAMES, locale, t } from '../i18n.ts';

/** The {{variables}} organizer wording may use (server/contracts/template-variables.ts). */
/** Amounts are stored in minor units; recovery settings span events, so two-digit currencies are assumed. */
const MINOR = 100;

const VARIABLES = ['name', 'event', 'date', 'venue', 'total', 'organizer', 'discount', 'discount_code'];

export function StepEditor(p: {
  index: number;
  step: ReminderStep;
  error: (path: string) => string | undefined;
  onChange: (s: ReminderStep) => void;
  onRemove?: () => void;
}) {
  const tx = t.value;
  const s = p.step;
  const update = (change: Partial<ReminderStep>) => p.onChange({ ...s, ...change });
  const kind = s.discount?.kind ?? 'none';
  return (
    <Card title={tx.recovery.step(p.index + 1)} testId={`step-${p.index}`}>
      <div class="grid two">
        <CheckField label={tx.recovery.enabled} checked={s.enabled} onChange={(enabled) => update({ enabled })} />
        <TextField
          label={tx.recovery.delay}
          type="number"
          min={5}
          value={String(s.delayMinutes)}
          hint={Number.isFinite(s.delayMinutes) ? tx.recovery.delayHuman(duration(s.delayMinutes, locale.value === 'ru')) : undefined}
          onInput={(v) => update({ delayMinutes: v === '' ? NaN : Number(v) })}
          error={p.error('delayMinutes')}
        />
        {LOCALES.map((l) => (
          <Fragment key={l}>
            <TextField
              label={tx.recovery.subjectIn(LOCALE_NAMES[l])}
              placeholder={tx.recovery.builtIn}
              value={s.subject[l] ?? ''}
              onInput={(v) => update({ subject: { ...s.subject, [l]: v } })}
              error={p.error(`subject.${l}`)}
            />
            <TextField
              label={tx.recovery.bodyIn(LOCALE_NAMES[l])}
              placeholder={tx.recovery.builtIn}
              multiline
              value={s.body[l] ?? ''}
              onInput={(v) => update({ body: { ...s.body, [l]: v } })}
              error={p.error(`body.${l}`)}
            />
          </Fragment>
        ))}
      </div>
      <p class="hint">
        {tx.recovery.variables}
        {VARIABLES.map((v) => (
          <code key={v}>{`{{${v}}}`} </code>
        ))}
      </p>
      <h3>{tx.recovery.paymentWording}</h3>
      <p class="hint">{tx.recovery.paymentWordingHint}</p>
      <div class="grid two">
        {LOCALES.map((l) => (
          <Fragment key={l}>
            <TextField
              label={tx.recovery.subjectIn(LOCALE_NAMES[l])}
              placeholder={tx.recovery.builtIn}
              value={s.paymentSubject[l] ?? ''}
              onInput={(v) => update({ paymentSubject: { ...s.paymentSubject, [l]: v } })}
              error={p.error(`paymentSubject.${l}`)}
            />
            <TextField
              label={tx.recovery.bodyIn(LOCALE_NAMES[l])}
              placeholder={tx.recovery.builtIn}
              multiline
              value={s.paymentBody[l] ?? ''}
              onInput={(v) => update({ paymentBody: { ...s.paymentBody, [l]: v } })}
              error={p.error(`paymentBody.${l}`)}
            />
          </Fragment>
        ))}
      </div>
      <h3>{tx.recovery.discount}</h3>
      <div class="grid three">
        <SelectField
          label={tx.recovery.discount}
          value={kind}
          onChange={(k) => update({ discount: k === 'none' ? null : { kind: k, value: s.discount?.value ?? 10, validDays: s.discount?.validDays ?? 3 } })}
          options={[
            { value: 'none', label: tx.recovery.discountNone },
            { value: 'percent', label: tx.recovery.discountPercent },
            { value: 'amount', label: tx.recovery.discountAmount },
          ]}
        />
        {s.discount && (
          <>
            <TextField
              label={tx.recovery.discountValue}
              hint={s.discount.kind === 'amount' ? tx.recovery.discountValueHint('₽ / € / $') : '%'}
              type="number"
              min={1}
              step="any"
              value={String(s.discount.kind === 'amount' ? s.discount.value / MINOR : s.discount.value)}
              onInput={(v) => update({ discount: { ...s.discount!, value: s.discount!.kind === 'amount' ? Math.round(Number(v) * MINOR) : Number(v) } })}
              error={p.error('discount.value')}
            />
            <TextField
              label={tx.recovery.validDays}
              type="number"
              min={1}
              max={60}
              value={String(s.discount.validDays)}
              onInput={(v) => update({ discount: { ...s.discount!, validDays: Number(v) } })}
              error={p.error('discount.validDays')}
            />
          </>
        )}
      </div>
      {p.onRemove && (
        <button type="button" class="secondary" onClick={p.onRemove}>
          {tx.remove}
        </button>
      )}
    </Card>
  );
}
