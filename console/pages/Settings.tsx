// Sites allowed to embed the widget, the embed code to paste (with a copy button), the people who
// sign in (owners and the box office), API keys.
import { API_KEY_SCOPES, type ApiKeyScope } from '../../server/contracts/console.ts';
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { ConsoleMember, ConsoleSettings } from '../../server/contracts/console.ts';
import { del, get, patch, post } from '../api.ts';
import { SelectField, TextField, CheckField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { events, loadEvents, loadSettings, settings } from '../data.ts';
import { dateTime } from '../format.ts';
import { locale, t } from '../i18n.ts';

const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function Settings() {
  const failure = useSignal<string | null>(null);
  useEffect(() => {
    Promise.all([loadSettings(), loadEvents()]).catch((e) => (failure.value = describeFailure(e)));
  }, []);
  const tx = t.value.settings;
  return (
    <Page title={tx.title}>
      {failure.value && <p class="message bad">{failure.value}</p>}
      {settings.value ? <Origins saved={settings.value.allowedOrigins} /> : <Loading />}
      {events.value && <Snippet />}
      <People />
      <ApiKeys />
    </Page>
  );
}

function Origins({ saved }: { saved: string[] }) {
  const tx = t.value;
  const form = useForm();
  const text = useSignal(saved.join('\n'));
  const lines = () =>
    text.value
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  return (
    <Card title={tx.settings.origins}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.run(async () => {
            settings.value = await patch<ConsoleSettings>('/settings', { allowedOrigins: lines() });
            text.value = settings.value.allowedOrigins.join('\n');
          });
        }}
      >
        <TextField
          label={tx.settings.origins}
          hint={tx.settings.originsHint}
          multiline
          value={text.value}
          onInput={(v) => (text.value = v)}
          error={form.errorUnder('allowedOrigins')}
          testId="origins"
        />
        <div class="actions">
          <FormMessage form={form} ok={tx.saved} />
          <Submit form={form} label={tx.save} />
        </div>
      </form>
    </Card>
  );
}

function Snippet() {
  const tx = t.value.settings;
  const list = events.value!;
  const slug = useSignal(list[0]?.slug ?? '');
  const mode = useSignal<'inline' | 'button'>('inline');
  const code = useSignal<{ inline: string; button: string } | null>(null);
  const copied = useSignal<'yes' | 'failed' | null>(null);
  const failure = useSignal<string | null>(null);
  useEffect(() => {
    if (!slug.value) return;
    copied.value = null;
    get<{ inline: string; button: string }>(`/snippet?event=${encodeURIComponent(slug.value)}`)
      .then((c) => {
        code.value = c;
        failure.value = null;
      })
      .catch((e) => (failure.value = describeFailure(e)));
  }, [slug.value]);
  if (list.length === 0) return null;
  const text = code.value?.[mode.value] ?? '';
  return (
    <Card title={tx.snippet} testId="snippet">
      <p class="intro">{tx.snippetIntro}</p>
      <SelectField
        label={tx.snippetEvent}
        value={slug.value}
        onChange={(v) => (slug.value = v)}
        options={list.map((e) => ({ value: e.slug, label: e.title }))}
        testId="snippet-event"
      />
      <fieldset class="tabs" aria-label={tx.snippet}>
        {(['inline', 'button'] as const).map((m) => (
          <button
            type="button"
            key={m}
            aria-pressed={mode.value === m}
            data-testid={`snippet-${m}`}
            onClick={() => {
              mode.value = m;
              copied.value = null;
            }}
          >
            {tx[m]}
          </button>
        ))}
      </fieldset>
      {failure.value && <p class="message bad">{failure.value}</p>}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a long line scrolls sideways, and a focusable scroller is what lets keyboard users scroll it */}
      <pre class="code" data-testid="snippet-code" tabIndex={0}>
        {text}
      </pre>
      <div class="inline-actions">
        <button
          type="button"
          class="primary"
          data-testid="snippet-copy"
          onClick={() =>
            navigator.clipboard
              .writeText(text)
              .then(() => (copied.value = 'yes'))
              .catch(() => (copied.value = 'failed'))
          }
        >
          {tx.copy}
        </button>
        <span role="status" data-testid="snippet-copied" class={copied.value === 'failed' ? 'bad-text' : 'good-text'}>
          {copied.value === 'yes' ? tx.copied : copied.value === 'failed' ? tx.copyFailed : ''}
        </span>
      </div>
    </Card>
  );
}

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  scopes: ApiKeyScope[];
}

function ApiKeys() {
  const tx = t.value.settings;
  const keys = useSignal<ApiKey[] | null>(null);
  const name = useSignal('');
  const scopes = useSignal<ApiKeyScope[]>(['stats', 'events', 'orders', 'webhooks']);
  const fresh = useSignal<string | null>(null);
  const form = useForm();
  const reload = () => get<{ apiKeys: ApiKey[] }>('/api-keys').then((r) => (keys.value = r.apiKeys));
  useEffect(() => void form.run(reload), []);
  return (
    <Card title={tx.apiKeys} testId="api-keys">
      <p class="intro">{tx.apiKeysIntro}</p>
      {keys.value &&
        (keys.value.length === 0 ? (
          <p class="muted">{tx.noKeys}</p>
        ) : (
          <ul class="list">
            {keys.value.map((k) => (
              <li key={k.id} class="list-row">
                <div class="row-main">
                  <strong>{k.name}</strong> <code>{k.prefix}…</code> <span class="small">{k.scopes.map((s) => tx.scopes[s]).join(', ')}</span>{' '}
                  <span class="muted small">{k.revokedAt ? tx.revoked : `${tx.lastUsed}: ${k.lastUsedAt ? dateTime(k.lastUsedAt, localZone) : tx.never}`}</span>
                </div>
                {!k.revokedAt && (
                  <div class="row-actions">
                    <button
                      type="button"
                      class="danger"
                      onClick={() =>
                        void form.run(async () => {
                          await del(`/api-keys/${k.id}`);
                          await reload();
                        })
                      }
                    >
                      {tx.revoke}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        ))}
      <form
        noValidate
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void form.run(async () => {
            fresh.value = (await post<{ key: string }>('/api-keys', { name: name.value, scopes: scopes.value })).key;
            name.value = '';
            await reload();
          });
        }}
      >
        <TextField label={tx.keyName} required value={name.value} onInput={(v) => (name.value = v)} error={form.error('name')} />
        <fieldset class="scopes">
          <legend>{tx.scopesLegend}</legend>
          {API_KEY_SCOPES.map((s) => (
            <CheckField
              key={s}
              label={tx.scopes[s]}
              checked={scopes.value.includes(s)}
              onChange={(on) => (scopes.value = on ? [...scopes.value, s] : scopes.value.filter((x) => x !== s))}
              testId={`scope-${s}`}
            />
          ))}
        </fieldset>
        <Submit form={form} label={tx.createKey} />
      </form>
      <FormMessage form={form} />
      {fresh.value && (
        <p class="message good">
          {tx.newKey} <code class="secret">{fresh.value}</code>
        </p>
      )}
    </Card>
  );
}

/** Who signs in: owners (everything) and the box office (orders only). */
function People() {
  const tx = t.value.settings;
  const people = useSignal<ConsoleMember[] | null>(null);
  const name = useSignal('');
  const email = useSignal('');
  const password = useSignal('');
  const role = useSignal<ConsoleMember['role']>('box_office');
  const form = useForm();
  const roles = [
    { value: 'box_office' as const, label: tx.roleBoxOffice },
    { value: 'owner' as const, label: tx.roleOwner },
  ];
  const reload = () => get<{ users: ConsoleMember[] }>('/users').then((r) => (people.value = r.users));
  useEffect(() => void form.run(reload), []);
  return (
    <Card title={tx.people} testId="people">
      <p class="intro">{tx.peopleIntro}</p>
      {people.value && (
        <ul class="list">
          {people.value.map((u) => (
            <li key={u.id} class="list-row" data-testid="person">
              <div class="row-main">
                <strong>{u.name}</strong> <span class="muted small">{u.email}</span> {u.you && <span class="badge">{tx.you}</span>}
              </div>
              <div class="row-actions">
                <SelectField
                  label={`${tx.role}: ${u.name}`}
                  value={u.role}
                  options={roles}
                  onChange={(r) => void form.run(async () => (people.value = (await patch<{ users: ConsoleMember[] }>(`/users/${u.id}`, { role: r })).users))}
                />
                {!u.you && (
                  <button
                    type="button"
                    class="danger"
                    onClick={() =>
                      confirm(tx.confirmRemove(u.name)) &&
                      void form.run(async () => {
                        await del(`/users/${u.id}`);
                        await reload();
                      })
                    }
                  >
                    {tx.remove}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <form
        noValidate
        class="grid"
        onSubmit={(e) => {
          e.preventDefault();
          void form.run(async () => {
            await post('/users', { name: name.value, email: email.value, password: password.value, role: role.value, locale: locale.value });
            name.value = '';
            email.value = '';
            password.value = '';
            await reload();
          });
        }}
      >
        <TextField label={tx.personName} required value={name.value} onInput={(v) => (name.value = v)} error={form.error('name')} testId="person-name" />
        <TextField
          label={tx.personEmail}
          type="email"
          required
          value={email.value}
          onInput={(v) => (email.value = v)}
          error={form.error('email')}
          testId="person-email"
        />
        <TextField
          label={tx.firstPassword}
          hint={tx.firstPasswordHint}
          type="password"
          autoComplete="new-password"
          required
          value={password.value}
          onInput={(v) => (password.value = v)}
          // The API says why (too short); the hint says what is asked.
          error={form.error('password') && tx.firstPasswordHint}
          testId="person-password"
        />
        <SelectField label={tx.role} value={role.value} options={roles} onChange={(r) => (role.value = r)} error={form.error('role')} testId="person-role" />
        <div class="actions">
          <Submit form={form} label={tx.addPerson} testId="person-add" />
        </div>
      </form>
      <FormMessage form={form} />
    </Card>
  );
}
