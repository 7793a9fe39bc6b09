// Payments: how buyers pay (the box office, the demo provider where this server offers it,
// YooKassa, Stripe), the chosen provider's account (secrets are write-only: the API says only
// whether one is saved, so the form shows "saved ••••" and a Replace field), how long a buyer has
// to pay, how long an unpaid reservation holds, and the notification address to paste into the
// provider's dashboard. Saved with PATCH /settings {payments}; the API's field errors show by
// their fields.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ConsoleSettings } from '../../server/contracts/console.ts';
import { patch } from '../api.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { describeFailure, useForm, type Form } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { loadSettings, settings } from '../data.ts';
import { t } from '../i18n.ts';

type Saved = ConsoleSettings['payments'];
type Method = 'box_office' | 'demo' | 'yookassa' | 'stripe';
const ONLINE = ['demo', 'yookassa', 'stripe'] as const;

/** Each provider's plain fields and secrets, as its settings schema on the server names them. */
const FIELDS = {
  yookassa: { plain: ['shopId', 'mode', 'vatCode'], secrets: ['secretKey'] },
  stripe: { plain: ['mode'], secrets: ['secretKey', 'webhookSecret'] },
} as const;
type Account = keyof typeof FIELDS;

export function Payments() {
  const failure = useSignal<string | null>(null);
  useEffect(() => {
    loadSettings().catch((e) => (failure.value = describeFailure(e)));
  }, []);
  const tx = t.value.payments;
  return (
    <Page title={tx.title} intro={tx.intro}>
      {failure.value && <p class="message bad">{failure.value}</p>}
      {settings.value ? <PaymentsForm saved={settings.value.payments} /> : !failure.value && <Loading />}
    </Page>
  );
}

/** What the form edits, as strings, from what is saved. */
function draftFrom(saved: Saved) {
  const of = (id: Account) => (saved.providers[id] ?? {}) as Record<string, unknown>;
  return {
    method: (saved.provider ?? 'box_office') as Method,
    timeout: String(saved.timeoutMinutes),
    hoursAfterBooking: saved.reservation.hoursAfterBooking === null ? '' : String(saved.reservation.hoursAfterBooking),
    hoursBeforeShow: saved.reservation.hoursBeforeShow === null ? '' : String(saved.reservation.hoursBeforeShow),
    yookassa: { shopId: String(of('yookassa').shopId ?? ''), mode: String(of('yookassa').mode ?? 'test'), vatCode: String(of('yookassa').vatCode ?? 1) },
    stripe: { mode: String(of('stripe').mode ?? 'test') },
  };
}

type Draft = ReturnType<typeof draftFrom>;

const whole = (v: string) => (v.trim() === '' ? null : Number(v));

function PaymentsForm({ saved }: { saved: Saved }) {
  const tx = t.value.payments;
  const form = useForm();
  const draft = useSignal<Draft>(draftFrom(saved));
  /** Secrets typed to replace the saved ones, by "provider.field"; never filled from the API. */
  const secrets = useSignal<Record<string, string>>({});
  const d = draft.value;
  const set = (change: Partial<Draft>) => (draft.value = { ...draft.value, ...change });
  const offered = new Set(saved.offered.map((p) => p.id));
  const methods: Method[] = ['box_office', ...ONLINE.filter((id) => offered.has(id) || saved.provider === id)];

  async function save() {
    const method = draft.value.method;
    const payments: Record<string, unknown> = {
      provider: method === 'box_office' ? null : method,
      timeoutMinutes: whole(draft.value.timeout),
      reservation: { hoursAfterBooking: whole(draft.value.hoursAfterBooking), hoursBeforeShow: whole(draft.value.hoursBeforeShow) },
    };
    if (method === 'yookassa' || method === 'stripe') {
      const values: Record<string, unknown> = { ...draft.value[method] };
      if (method === 'yookassa') values.vatCode = Number(draft.value.yookassa.vatCode);
      // A secret left untouched is not sent, so the saved one is kept.
      for (const name of FIELDS[method].secrets) {
        const typed = secrets.value[`${method}.${name}`]?.trim();
        if (typed) values[name] = typed;
      }
      payments.providers = { [method]: values };
    }
    const next = await patch<ConsoleSettings>('/settings', { payments });
    settings.value = next;
    draft.value = draftFrom(next.payments);
    secrets.value = {};
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.run(save);
      }}
    >
      <Card title={tx.method} testId="payment-method">
        <fieldset class="choices">
          <legend class="visually-hidden">{tx.method}</legend>
          {methods.map((m) => (
            <label key={m} class={`choice${d.method === m ? ' chosen' : ''}`}>
              <input type="radio" name="payment-method" value={m} checked={d.method === m} data-testid={`method-${m}`} onChange={() => set({ method: m })} />
              <span>
                <strong>{tx.methods[m]}</strong>
                <span class="hint">{tx.methodHints[m]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {form.error('payments.provider') && <p class="field-error">{form.error('payments.provider')}</p>}
        {d.method === 'box_office' ? (
          <>
            <h3>{tx.reservation}</h3>
            <p class="hint">{tx.reservationIntro}</p>
            <div class="grid two">
              <TextField
                label={tx.hoursAfterBooking}
                type="number"
                min={1}
                hint={tx.noLimit}
                value={d.hoursAfterBooking}
                onInput={(v) => set({ hoursAfterBooking: v })}
                error={form.error('payments.reservation.hoursAfterBooking')}
                testId="hours-after-booking"
              />
              <TextField
                label={tx.hoursBeforeShow}
                type="number"
                min={0}
                hint={tx.noLimit}
                value={d.hoursBeforeShow}
                onInput={(v) => set({ hoursBeforeShow: v })}
                error={form.error('payments.reservation.hoursBeforeShow')}
                testId="hours-before-show"
              />
            </div>
          </>
        ) : (
          <div class="grid two">
            <TextField
              label={tx.timeout}
              type="number"
              min={5}
              max={120}
              hint={tx.timeoutHint}
              value={d.timeout}
              onInput={(v) => set({ timeout: v })}
              error={form.error('payments.timeoutMinutes')}
              testId="timeout"
            />
          </div>
        )}
      </Card>
      {(d.method === 'yookassa' || d.method === 'stripe') && (
        <AccountCard
          id={d.method}
          form={form}
          saved={(saved.providers[d.method] ?? {}) as Record<string, unknown>}
          notificationUrl={saved.offered.find((p) => p.id === d.method)?.notificationUrl ?? null}
          values={d[d.method]}
          onChange={(values) => set({ [d.method]: { ...d[d.method as Account], ...values } })}
          secrets={secrets.value}
          onSecret={(name, value) => (secrets.value = { ...secrets.value, [`${d.method}.${name}`]: value })}
        />
      )}
      <div class="actions sticky-actions">
        <FormMessage form={form} ok={t.value.saved} />
        <Submit form={form} label={t.value.save} testId="save-payments" />
      </div>
    </form>
  );
}

function AccountCard(p: {
  id: Account;
  form: Form;
  saved: Record<string, unknown>;
  notificationUrl: string | null;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  secrets: Record<string, string>;
  onSecret: (name: string, value: string) => void;
}) {
  const tx = t.value.payments;
  const field = (f: string) => p.form.error(`payments.providers.${p.id}.${f}`);
  const incomplete = p.form.error(`payments.providers.${p.id}`);
  return (
    <Card title={tx.account(tx.names[p.id])} testId={`account-${p.id}`}>
      {incomplete && <p class="message bad">{incomplete}</p>}
      <div class="grid two">
        {p.id === 'yookassa' && (
          <TextField
            label={tx.shopId}
            hint={tx.shopIdHint}
            value={p.values.shopId ?? ''}
            onInput={(v) => p.onChange({ shopId: v.trim() })}
            error={field('shopId')}
            testId="yookassa-shop-id"
          />
        )}
        <SelectField
          label={tx.mode}
          value={p.values.mode ?? 'test'}
          onChange={(mode) => p.onChange({ mode })}
          options={(['test', 'live'] as const).map((m) => ({ value: m, label: tx.modes[m] }))}
          error={field('mode')}
          testId={`${p.id}-mode`}
        />
        <SecretField
          label={tx.secretKey}
          hint={p.id === 'yookassa' ? tx.yookassaKeyHint : tx.stripeKeyHint}
          isSaved={p.saved.secretKeySet === true}
          value={p.secrets[`${p.id}.secretKey`] ?? ''}
          onInput={(v) => p.onSecret('secretKey', v)}
          error={field('secretKey')}
          testId={`${p.id}-secret-key`}
        />
        {p.id === 'stripe' && (
          <SecretField
            label={tx.webhookSecret}
            hint={tx.webhookSecretHint}
            isSaved={p.saved.webhookSecretSet === true}
            value={p.secrets['stripe.webhookSecret'] ?? ''}
            onInput={(v) => p.onSecret('webhookSecret', v)}
            error={field('webhookSecret')}
            testId="stripe-webhook-secret"
          />
        )}
        {p.id === 'yookassa' && (
          <SelectField
            label={tx.vatCode}
            value={p.values.vatCode ?? '1'}
            onChange={(vatCode) => p.onChange({ vatCode })}
            options={Object.entries(tx.vat).map(([value, label]) => ({ value, label }))}
            error={field('vatCode')}
            testId="yookassa-vat"
          />
        )}
      </div>
      {p.notificationUrl && <NotificationUrl url={p.notificationUrl} hint={p.id === 'yookassa' ? tx.yookassaUrlHint : tx.stripeUrlHint} />}
    </Card>
  );
}

/** A write-only secret: "saved ••••" with a Replace button, or the field to type it. */
function SecretField(p: { label: string; hint: string; isSaved: boolean; value: string; onInput: (v: string) => void; error?: string; testId: string }) {
  const tx = t.value.payments;
  const replacing = useSignal(false);
  if (p.isSaved && !replacing.value && !p.error) {
    return (
      <div class="field">
        <span class="label">{p.label}</span>
        <div class="inline-actions">
          <span data-testid={`${p.testId}-saved`}>{tx.saved}</span>
          <button
            type="button"
            class="secondary"
            aria-label={`${tx.replace}: ${p.label}`}
            data-testid={`${p.testId}-replace`}
            onClick={() => (replacing.value = true)}
          >
            {tx.replace}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div>
      <TextField
        label={p.isSaved ? tx.newValue(p.label) : p.label}
        type="password"
        autoComplete="off"
        hint={p.isSaved ? p.hint : `${tx.notSaved}. ${p.hint}`}
        value={p.value}
        onInput={p.onInput}
        error={p.error}
        testId={p.testId}
      />
      {p.isSaved && (
        <button
          type="button"
          class="link-button"
          onClick={() => {
            replacing.value = false;
            p.onInput('');
          }}
        >
          {tx.keepSaved}
        </button>
      )}
    </div>
  );
}

function NotificationUrl({ url, hint }: { url: string; hint: string }) {
  const tx = t.value.payments;
  const copied = useSignal<'yes' | 'failed' | null>(null);
  return (
    <div class="notification-url">
      <h3>{tx.notificationUrl}</h3>
      <p class="hint">{hint}</p>
      <code class="url" data-testid="notification-url">
        {url}
      </code>
      <div class="inline-actions">
        <button
          type="button"
          class="secondary"
          data-testid="copy-notification-url"
          onClick={() =>
            navigator.clipboard
              .writeText(url)
              .then(() => (copied.value = 'yes'))
              .catch(() => (copied.value = 'failed'))
          }
        >
          {tx.copy}
        </button>
        <span role="status" class={copied.value === 'failed' ? 'bad-text' : 'good-text'}>
          {copied.value === 'yes' ? tx.copied : copied.value === 'failed' ? tx.copyFailed : ''}
        </span>
      </div>
    </div>
  );
}
