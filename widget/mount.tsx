// Putting widgets on the page: each in a shadow root on a host element we create, so the
// host page's CSS cannot reach in and ours cannot leak out.
import { effect, signal } from '@preact/signals';
import { render } from 'preact';
import type { Locale } from '../server/contracts/widget.ts';
import type { Api } from './api.ts';
import { App } from './components/App.tsx';
import { Modal } from './components/Modal.tsx';
import { createWidget, type Support } from './models/widget.ts';
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

/** The default slot that shows the site owner's own content, per element given one (kept for a remount). */
const fallbacks = new WeakMap<Element, HTMLElement>();

/**
 * Inline mode: the picker rendered inside the marked element. Whatever the site owner put in the
 * element (their box office, say) shows until the event has loaded, and stays when it cannot:
 * the element gets a shadow root of two slots, ours and a default one for their content, which
 * stays in their DOM untouched. Returns the unmount.
 */
export function mountInline(el: Element, slug: string, locale: Locale | null, api: Api, support?: Support): () => void {
  const host = document.createElement('div');
  host.setAttribute('data-encore-host', '');
  const w = createWidget(api, slug, locale, support);
  let fallback = fallbacks.get(el);
  if (!fallback && (el.textContent!.trim() || el.children.length)) {
    try {
      const root = el.attachShadow({ mode: 'open' });
      const ours = document.createElement('slot');
      ours.name = 'encore';
      fallback = document.createElement('slot');
      root.append(ours, fallback);
      fallbacks.set(el, fallback);
    } catch {
      // An element that cannot have a shadow root (e.g. <ul>): their content stays beside ours.
    }
  }
  if (fallback) host.slot = 'encore';
  const hideFallback = effect(() => {
    if (fallback) fallback.hidden = !!w.catalogue.data.value;
  });
  el.append(host);
  const container = shadowContainer(host);
  render(<App w={w} />, container);
  // A widget far down the page loads when the visitor scrolls near it: a repertoire of twenty
  // shows costs the page's first seconds only the widgets in sight.
  const near = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      near.disconnect();
      void w.start();
    },
    { rootMargin: '100% 0px' },
  );
  near.observe(el);
  return () => {
    near.disconnect();
    render(null, container);
    hideFallback();
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
export function modalFor(slug: string, locale: Locale | null, api: Api, support?: Support): ModalHandle {
  const key = `${slug}|${locale ?? ''}`;
  const existing = modals.get(key);
  if (existing) return existing;

  const w = createWidget(api, slug, locale, support);
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
