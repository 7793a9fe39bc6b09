// Webhook endpoints: add (the secret is shown once), turn on/off, send a test, delete, and each
// endpoint's delivery log.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { del, get, patch, post } from '../api.ts';
import { CheckField, TextField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { dateTime } from '../format.ts';
import { t } from '../i18n.ts';

// As server/contracts/widget.ts WEBHOOK_EVENT_TYPES (a value import would bring zod into the console bundle).
const EVENT_TYPES = ['order.completed', 'order.paid', 'order.cancelled', 'order.refunded', 'order.expired', 'cart.abandoned', 'cart.recovered'];
const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  secret: string;
  createdAt: string;
}

interface Delivery {
  id: string;
  type: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
}

export function Webhooks() {
  const list = useSignal<Endpoint[] | null>(null);
  const failure = useSignal<string | null>(null);
  const reload = () =>
    get<{ endpoints: Endpoint[] }>('/webhooks')
      .then((r) => (list.value = r.endpoints))
      .catch((e) => (failure.value = describeFailure(e)));
  useEffect(() => void reload(), []);
  const tx = t.value;
  return (
    <Page title={tx.webhooks.title} intro={tx.webhooks.intro}>
      {failure.value && <p class="message bad">{failure.value}</p>}
      {list.value === null ? (
        <Loading />
      ) : list.value.length === 0 ? (
        <p class="muted">{tx.webhooks.none}</p>
      ) : (
        list.value.map((e) => <EndpointCard key={e.id} endpoint={e} reload={reload} />)
      )}
      <NewEndpoint reload={reload} />
    </Page>
  );
}

function EndpointCard({ endpoint: e, reload }: { endpoint: Endpoint; reload: () => void }) {
  const tx = t.value.webhooks;
  const form = useForm();
  const note = useSignal<string | null>(null);
  const deliveries = useSignal<Delivery[] | null>(null);
  const secret = useSignal<string | null>(null);
  const showLog = () => form.run(async () => (deliveries.value = (await get<{ deliveries: Delivery[] }>(`/webhooks/${e.id}/deliveries?limit=50`)).deliveries));
  return (
    <Card testId="endpoint">
      <h2 class="url">{e.url}</h2>
      <p>
        <span class={`badge ${e.active ? 'good' : ''}`}>{e.active ? tx.active : tx.inactive}</span> {e.events.join(', ')}
      </p>
      <p class="muted small">
        {tx.secret}: <code>{secret.value ?? e.secret}</code>
      </p>
      <div class="row-actions">
        <button
          type="button"
          class="secondary"
          onClick={() => void form.run(() => patch(`/webhooks/${e.id}`, { active: !e.active })).then((ok) => ok && reload())}
        >
          {e.active ? tx.turnOff : tx.turnOn}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void form
              .run(() => post(`/webhooks/${e.id}/test`))
              .then((ok) => {
                if (!ok) return;
                note.value = tx.testQueued;
                void showLog();
              })
          }
        >
          {tx.sendTest}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => void form.run(async () => (secret.value = (await get<{ secret: string }>(`/webhooks/${e.id}/secret`)).secret))}
        >
          {tx.reveal}
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={deliveries.value !== null}
          onClick={() => {
            if (deliveries.value) deliveries.value = null;
            else void showLog();
          }}
        >
          {deliveries.value ? tx.hideDeliveries : tx.deliveries}
        </button>
        <button
          type="button"
          class="danger"
          onClick={() => confirm(tx.confirmDelete) && void form.run(() => del(`/webhooks/${e.id}`)).then((ok) => ok && reload())}
        >
          {tx.delete}
        </button>
      </div>
      {note.value && (
        <p class="message good" role="status">
          {note.value}
        </p>
      )}
      <FormMessage form={form} />
      {deliveries.value && (deliveries.value.length === 0 ? <p class="muted">{tx.noDeliveries}</p> : <DeliveryLog rows={deliveries.value} />)}
    </Card>
  );
}

function DeliveryLog({ rows }: { rows: Delivery[] }) {
  const tx = t.value.webhooks;
  return (
    <div class="table-wrap">
      <table data-testid="deliveries">
        <thead>
          <tr>
            <th scope="col">{tx.created}</th>
            <th scope="col">{tx.type}</th>
            <th scope="col">{tx.status}</th>
            <th scope="col">{tx.attempts}</th>
            <th scope="col">{tx.lastCode}</th>
            <th scope="col">{tx.lastError}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id}>
              <td>{dateTime(d.createdAt, localZone)}</td>
              <td>{d.type}</td>
              <td>{d.status}</td>
              <td>{d.attempts}</td>
              <td>{d.lastStatusCode ?? '—'}</td>
              <td>{d.lastError ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewEndpoint({ reload }: { reload: () => void }) {
  const tx = t.value.webhooks;
  const form = useForm();
  const url = useSignal('');
  const chosen = useSignal<string[]>([...EVENT_TYPES]);
  const created = useSignal<string | null>(null);
  return (
    <Card title={tx.create}>
      <form
        noValidate
        class="grid"
        onSubmit={(ev) => {
          ev.preventDefault();
          void form
            .run(async () => {
              const r = await post<{ endpoint: Endpoint }>('/webhooks', { url: url.value, events: chosen.value });
              created.value = r.endpoint.secret;
              url.value = '';
            })
            .then((ok) => ok && reload());
        }}
      >
        <TextField label={tx.url} type="url" required value={url.value} onInput={(v) => (url.value = v)} error={form.error('url')} />
        <fieldset>
          <legend>{tx.events}</legend>
          {EVENT_TYPES.map((type) => (
            <CheckField
              key={type}
              label={type}
              checked={chosen.value.includes(type)}
              onChange={(on) => (chosen.value = on ? [...chosen.value, type] : chosen.value.filter((x) => x !== type))}
            />
          ))}
          {form.error('events') && <p class="field-error">{form.error('events')}</p>}
        </fieldset>
        <div class="actions">
          <FormMessage form={form} />
          <Submit form={form} label={tx.create} />
        </div>
      </form>
      {created.value && (
        <p class="message good">
          {tx.secretOnce} <code class="secret">{created.value}</code>
        </p>
      )}
    </Card>
  );
}
