// Small pieces every screen uses: a page heading, a card section, a form's message line and its
// submit button.
import type { ComponentChildren } from 'preact';
import { t } from '../i18n.ts';
import type { Form } from './form.ts';

export function Page(p: { title: string; intro?: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="page">
      <header class="page-head">
        <h1 tabIndex={-1} data-page-title>
          {p.title}
        </h1>
        {p.actions}
      </header>
      {p.intro && <p class="intro">{p.intro}</p>}
      {p.children}
    </section>
  );
}

export function Card(p: { title?: string; children: ComponentChildren; testId?: string }) {
  return (
    <section class="card" data-testid={p.testId}>
      {p.title && <h2>{p.title}</h2>}
      {p.children}
    </section>
  );
}

export function FormMessage({ form, ok }: { form: Form; ok?: string }) {
  if (form.general.value) {
    const elsewhere = form.unshown();
    return (
      <div class="message bad" role="alert">
        <p>{form.general.value}</p>
        {elsewhere.length > 0 && (
          <ul>
            {elsewhere.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  if (ok && form.done.value) {
    return (
      <p class="message good" role="status">
        {ok}
      </p>
    );
  }
  return null;
}

export function Submit({ form, label, testId }: { form: Form; label: string; testId?: string }) {
  return (
    <button type="submit" class="primary" disabled={form.busy.value} data-testid={testId}>
      {form.busy.value ? t.value.saving : label}
    </button>
  );
}

export function Loading() {
  return <p class="muted">{t.value.loading}</p>;
}
