// Putting widgets on the page: each in a shadow root on a host element we create, so the
// host page's CSS cannot reach in and ours cannot leak out.
import { signal } from '@preact/signals';
import { render } from 'preact';
import type { Locale } from '../server/contracts.ts';
import type { Api } from './api.ts';
import { App } from './components/App.tsx';
import { Modal } from './components/Modal.tsx';
import { createWidget } from './models/widget.ts';
import css from './styles.css?inline';

// One constructable stylesheet shared by every widget on the page: a page whose CSP has no
// 'unsafe-inline' in style-src blocks a <style> element but not an adopted sheet. Where
// adoptedStyleSheets is missing (older browsers), a <style> element as before.
let sheet: CSSStyleSheet | null | undefined;

/** Creates a shadow root with our styles on `host` and returns the element to render into. */
function shadowContainer(host: HTMLElement): HTMLElement {
  const root = host.attachShadow({ mode: 'open' });
  const container = document.createElement('div');
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    } catch {
      sheet = null;
    }
  }
  if (sheet && 'adoptedStyleSheets' in root) {
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
  root.append(container);
  return container;
}

/** Inline mode: the picker rendered inside the marked element. Returns the unmount. */
export function mountInline(el: Element, slug: string, locale: Locale | null, api: Api): () => void {
  const host = document.createElement('div');
  host.setAttribute('data-encore-host', '');
  el.append(host);
  const container = shadowContainer(host);
  const w = createWidget(api, slug, locale);
  render(<App w={w} />, container);
  void w.start();
  return () => {
    render(null, container);
    w.dispose();
    host.remove();
  };
}

export interface ModalHandle {
  open(opener: Element | null): void;
  close(): void;
  /** Calls `listener` with the opening button's label now, and again when the organizer's own arrives. */
  onLabel(listener: (label: string) => void): void;
}

const modals = new Map<string, ModalHandle>();

/**
 * Button mode and Encore.open(): one modal per event and locale, shared by every button for it,
 * so they all continue the same cart. Created (and the event fetched) on first use.
 */
export function modalFor(slug: string, locale: Locale | null, api: Api): ModalHandle {
  const key = `${slug}|${locale ?? ''}`;
  const existing = modals.get(key);
  if (existing) return existing;

  const w = createWidget(api, slug, locale);
  const isOpen = signal(false);
  let opener: HTMLElement | null = null;
  let host: HTMLElement | null = null;

  const close = () => {
    if (!isOpen.value) return;
    isOpen.value = false;
    opener?.focus();
    opener = null;
  };
  const handle: ModalHandle = {
    open(from) {
      if (!host) {
        host = document.createElement('div');
        host.setAttribute('data-encore-host', 'modal');
        document.body.append(host);
        render(<Modal w={w} open={isOpen} onClose={close} />, shadowContainer(host));
      }
      // Focus goes back where it was, even when opened from script (Encore.open).
      opener = from instanceof HTMLElement ? from : null;
      isOpen.value = true;
      // A failed first load (offline) is retried on the next open.
      if (!w.catalogue.data.value && !w.catalogue.loading.value) void w.start();
    },
    close,
    onLabel: (f) => void w.labels.subscribe((l) => f(l.open)),
  };
  modals.set(key, handle);
  void w.start();
  return handle;
}

export function closeModals() {
  modals.forEach((m) => {
    m.close();
  });
}
