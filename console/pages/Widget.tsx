// Widget settings with a live preview: the real widget in an iframe (GET /console/preview/{slug}),
// drawn with the unsaved draft through a short-lived preview token, refreshed ~400 ms after the
// last change. Above them, sites that show the widget but may not sell, with a button to allow one.
import { useSignal, useSignalEffect } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { Locale, WidgetSettings } from '../../server/contracts/widget.ts';
import type { ConsoleSettings } from '../../server/contracts/console.ts';
import { get, patch, post } from '../api.ts';
import { SelectField } from '../components/Field.tsx';
import { describeFailure, useForm } from '../components/form.ts';
import { Card, FormMessage, Loading, Page, Submit } from '../components/ui.tsx';
import { events, loadEvents, loadSettings, settings } from '../data.ts';
import { dateTime } from '../format.ts';
import { LOCALE_NAMES, locale, t } from '../i18n.ts';
import { WidgetForm } from './WidgetForm.tsx';

const PREVIEW_DEBOUNCE_MS = 400;

/** What PATCH /settings takes: askPhone is derived by the server from fields.phone. */
export function widgetPatch(w: WidgetSettings) {
  const { askPhone: _derived, ...rest } = w;
  return { ...rest, supportEmail: w.supportEmail?.trim() || null, supportPhone: w.supportPhone?.trim() || null };
}

export function Widget() {
  const failure = useSignal<string | null>(null);
  const draft = useSignal<WidgetSettings | null>(null);
  const form = useForm();
  useEffect(() => {
    Promise.all([loadSettings(), loadEvents()])
      .then(() => (draft.value = structuredClone(settings.value!.widget)))
      .catch((e) => (failure.value = describeFailure(e)));
  }, []);
  const tx = t.value;
  if (failure.value) return <p class="message bad">{failure.value}</p>;
  if (!draft.value) return <Loading />;
  const dirty = JSON.stringify(draft.value) !== JSON.stringify(settings.value?.widget);
  return (
    <Page title={tx.widget.title} intro={tx.widget.intro}>
      <RefusedSites />
      <div class="split">
        <form
          class="split-form"
          onSubmit={(e) => {
            e.preventDefault();
            void form.run(async () => {
              const saved = await patch<typeof settings.value>('/settings', { widget: widgetPatch(draft.value!) });
              settings.value = saved;
              draft.value = structuredClone(saved!.widget);
            });
          }}
        >
          <WidgetForm draft={draft} form={form} />
          <div class="actions sticky-actions">
            {dirty && <span class="badge warn">{tx.widget.unsaved}</span>}
            <FormMessage form={form} ok={tx.saved} />
            <Submit form={form} label={tx.save} testId="widget-save" />
          </div>
        </form>
        <Preview draft={draft.value} />
      </div>
    </Page>
  );
}

interface RefusedSite {
  origin: string;
  count: number;
  lastSeenAt: string;
}

const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Sites where the widget was loaded (or a cart tried) but which are not among the organizer's:
 * there the widget says sales are not enabled. Allowing one adds it to the sites in Settings.
 */
function RefusedSites() {
  const tx = t.value.widget;
  const sites = useSignal<RefusedSite[]>([]);
  const form = useForm();
  const load = () => get<{ origins: RefusedSite[] }>('/refused-origins').then((r) => (sites.value = r.origins));
  useEffect(() => {
    // A hint only: if it cannot be read, the page works without it.
    load().catch(() => {});
  }, []);
  if (sites.value.length === 0) return null;
  const allow = (origin: string) =>
    form.run(async () => {
      const current = settings.value?.allowedOrigins ?? [];
      settings.value = await patch<ConsoleSettings>('/settings', { allowedOrigins: [...current, origin] });
      await load();
    });
  return (
    <Card title={tx.refusedTitle} testId="refused-sites">
      <p class="intro">{tx.refusedIntro}</p>
      <ul>
        {sites.value.map((s) => (
          <li key={s.origin} data-testid="refused-site">
            <code>{s.origin}</code> <span class="muted">{tx.refusedSeen(s.count, dateTime(s.lastSeenAt, localZone))}</span>{' '}
            <button type="button" class="secondary" data-testid="refused-allow" disabled={form.busy.value} onClick={() => void allow(s.origin)}>
              {tx.refusedAllow}
            </button>
          </li>
        ))}
      </ul>
      <FormMessage form={form} />
    </Card>
  );
}

function Preview({ draft }: { draft: WidgetSettings }) {
  const tx = t.value;
  const slug = useSignal(events.value?.[0]?.slug ?? '');
  const previewLocale = useSignal<Locale>(locale.value);
  const src = useSignal<string | null>(null);
  const problem = useSignal<string | null>(null);
  const current = useSignal(draft);
  current.value = draft;

  useSignalEffect(() => {
    const settingsDraft = current.value;
    const s = slug.value;
    const l = previewLocale.value;
    if (!s) return;
    const timer = setTimeout(() => {
      post<{ token: string }>('/preview', widgetPatch(settingsDraft))
        .then(({ token }) => {
          problem.value = null;
          src.value = `/console/preview/${encodeURIComponent(s)}?locale=${l}&token=${encodeURIComponent(token)}`;
        })
        // An invalid draft keeps the last good preview; the form shows what is wrong on save.
        .catch((e) => (problem.value = describeFailure(e)));
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  });

  const list = events.value ?? [];
  return (
    <aside class="preview card" aria-label={tx.widget.preview}>
      <h2>{tx.widget.preview}</h2>
      {list.length === 0 ? (
        <p class="muted">{tx.widget.needEvent}</p>
      ) : (
        <>
          <div class="grid two">
            <SelectField
              label={tx.widget.previewEvent}
              value={slug.value}
              onChange={(v) => (slug.value = v)}
              options={list.map((e) => ({ value: e.slug, label: e.title }))}
              testId="preview-event"
            />
            <SelectField
              label={tx.widget.previewLocale}
              value={previewLocale.value}
              onChange={(v) => (previewLocale.value = v)}
              options={(['ru', 'en'] as const).map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
            />
          </div>
          <p class="hint">{tx.widget.previewNote}</p>
          {problem.value && <p class="message bad">{problem.value}</p>}
          {src.value && <iframe class="preview-frame" title={tx.widget.preview} src={src.value} data-testid="widget-preview" />}
        </>
      )}
    </aside>
  );
}
