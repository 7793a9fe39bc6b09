// The widget settings' inputs, editing a draft signal; field errors by their API path.
import type { Signal } from '@preact/signals';
import { Fragment } from 'preact';
import { contrastRatio } from '../../server/contracts/contrast.ts';
import type { WidgetSettings } from '../../server/contracts/widget.ts';
import { widgetAccentColors } from '../../widget/theme.ts';
import { CheckField, SelectField, TextField } from '../components/Field.tsx';
import type { Form } from '../components/form.ts';
import { Card } from '../components/ui.tsx';
import { intl, LOCALES, LOCALE_NAMES, t } from '../i18n.ts';

const MAX_CUSTOM_FIELDS = 5;

/** Says when an accent is hard to read on white and what the widget and emails draw instead
 * (the same contrast function decides there): black button text, darker links and outlines. */
function AccentContrast({ accent }: { accent: string }) {
  const tx = t.value.widget;
  if (!/^#[0-9a-f]{6}$/i.test(accent)) return null;
  const c = widgetAccentColors(accent);
  const onWhite = contrastRatio(accent, '#ffffff');
  const changes = [
    onWhite < 4.5 && c.on !== '#ffffff' && tx.contrastText(ratio(contrastRatio(c.on, accent))),
    c.link.toLowerCase() !== accent.toLowerCase() && tx.contrastLink(c.link),
    c.ring.toLowerCase() !== accent.toLowerCase() && tx.contrastRing(c.ring),
  ].filter((line): line is string => !!line);
  if (!changes.length) return null;
  return (
    <div class="message warn" role="status" data-testid="accent-contrast">
      <p>{tx.contrastLow(ratio(onWhite))}</p>
      <ul>
        {changes.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

const ratio = (value: number) => new Intl.NumberFormat(intl.value, { maximumFractionDigits: 1 }).format(Math.floor(value * 10) / 10);

export function WidgetForm({ draft, form }: { draft: Signal<WidgetSettings | null>; form: Form }) {
  const tx = t.value;
  const w = draft.value!;
  const update = (change: Partial<WidgetSettings>) => (draft.value = { ...w, ...change });
  const err = (path: string) => form.error(`widget.${path}`);
  const custom = w.fields.custom;
  const setCustom = (list: WidgetSettings['fields']['custom']) => update({ fields: { ...w.fields, custom: list } });
  return (
    <>
      <Card title={tx.widget.look}>
        <div class="color-row">
          <TextField label={tx.widget.accent} type="color" value={w.accentColor} onInput={(v) => update({ accentColor: v })} testId="accent-picker" />
          <TextField
            label={`${tx.widget.accent} (HEX)`}
            value={w.accentColor}
            onInput={(v) => update({ accentColor: v })}
            error={err('accentColor')}
            testId="accent-hex"
          />
        </div>
        <AccentContrast accent={w.accentColor} />
        <h3>{tx.widget.buttonTexts}</h3>
        <div class="grid two">
          {LOCALES.map((l) => (
            <Fragment key={l}>
              <TextField
                label={tx.widget.openButton(LOCALE_NAMES[l])}
                placeholder={tx.widget.placeholderDefault}
                value={w.buttonTexts[l]?.open ?? ''}
                onInput={(v) => update({ buttonTexts: { ...w.buttonTexts, [l]: { ...w.buttonTexts[l], open: v } } })}
                error={err(`buttonTexts.${l}.open`)}
                testId={`button-open-${l}`}
              />
              <TextField
                label={tx.widget.checkoutButton(LOCALE_NAMES[l])}
                placeholder={tx.widget.placeholderDefault}
                value={w.buttonTexts[l]?.checkout ?? ''}
                onInput={(v) => update({ buttonTexts: { ...w.buttonTexts, [l]: { ...w.buttonTexts[l], checkout: v } } })}
                error={err(`buttonTexts.${l}.checkout`)}
                testId={`button-checkout-${l}`}
              />
            </Fragment>
          ))}
        </div>
        <SelectField
          label={tx.widget.defaultLocale}
          value={w.defaultLocale}
          onChange={(v) => update({ defaultLocale: v })}
          options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
        />
      </Card>

      <Card title={tx.widget.buyerFields}>
        <SelectField
          label={tx.widget.phone}
          value={w.fields.phone}
          onChange={(phone) => update({ fields: { ...w.fields, phone }, askPhone: phone !== 'off' })}
          options={[
            { value: 'off', label: tx.widget.phoneOff },
            { value: 'optional', label: tx.widget.phoneOptional },
            { value: 'required', label: tx.widget.phoneRequired },
          ]}
          error={err('fields.phone')}
        />
        <h3>{tx.widget.customFields}</h3>
        {custom.map((f, i) => {
          const change = (c: Partial<typeof f>) => setCustom(custom.map((x, j) => (j === i ? { ...x, ...c } : x)));
          return (
            <fieldset class="subcard" key={i}>
              <legend>
                {tx.widget.customFields} {i + 1}
              </legend>
              <div class="grid two">
                <TextField
                  label={tx.widget.customFieldId}
                  hint={tx.widget.customFieldIdHint}
                  value={f.id}
                  onInput={(v) => change({ id: v })}
                  error={err(`fields.custom.${i}.id`)}
                />
                {LOCALES.map((l) => (
                  <TextField
                    key={l}
                    label={tx.widget.labelIn(LOCALE_NAMES[l])}
                    value={f.label[l] ?? ''}
                    onInput={(v) => change({ label: { ...f.label, [l]: v } })}
                    error={err(`fields.custom.${i}.label`) ?? err(`fields.custom.${i}.label.${l}`)}
                  />
                ))}
              </div>
              <div class="inline-actions">
                <CheckField label={tx.widget.required} checked={f.required} onChange={(required) => change({ required })} />
                <button type="button" class="secondary" onClick={() => setCustom(custom.filter((_, j) => j !== i))}>
                  {tx.remove}
                </button>
              </div>
            </fieldset>
          );
        })}
        {err('fields.custom') && <p class="field-error">{err('fields.custom')}</p>}
        {custom.length < MAX_CUSTOM_FIELDS && (
          <button type="button" class="secondary" onClick={() => setCustom([...custom, { id: `field_${custom.length + 1}`, label: {}, required: false }])}>
            {tx.widget.addField}
          </button>
        )}
      </Card>

      <Card title={tx.widget.consent}>
        <TextField
          label={tx.widget.hold}
          type="number"
          min={2}
          max={60}
          value={String(w.holdMinutes)}
          onInput={(v) => update({ holdMinutes: Number(v) })}
          error={err('holdMinutes')}
        />
        <SelectField
          label={tx.widget.consentMode}
          value={w.consentMode}
          onChange={(consentMode) => update({ consentMode })}
          options={[
            { value: 'opt-in', label: tx.widget.consentOptIn },
            { value: 'notice', label: tx.widget.consentNotice },
          ]}
        />
        {LOCALES.map((l) => (
          <TextField
            key={l}
            multiline
            label={tx.widget.consentTextIn(LOCALE_NAMES[l])}
            placeholder={tx.widget.placeholderDefault}
            value={w.consentText[l] ?? ''}
            onInput={(v) => update({ consentText: { ...w.consentText, [l]: v } })}
            error={err(`consentText.${l}`)}
          />
        ))}
      </Card>

      <Card title={tx.widget.support}>
        <div class="grid two">
          <TextField
            label={tx.widget.supportEmail}
            type="email"
            value={w.supportEmail ?? ''}
            onInput={(v) => update({ supportEmail: v })}
            error={err('supportEmail')}
          />
          <TextField
            label={tx.widget.supportPhone}
            type="tel"
            value={w.supportPhone ?? ''}
            onInput={(v) => update({ supportPhone: v })}
            error={err('supportPhone')}
          />
        </div>
      </Card>
    </>
  );
}
