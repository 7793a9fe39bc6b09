// The bundle's entry: takes over window.Encore from the snippet's queueing stub, replays the
// queued calls, and mounts every [data-encore-event] element, now and when added later.
//
// Public API (the only global is window.Encore):
//   Encore.open({ event, locale? })  opens the event's picker in a modal; locale defaults as below
//   Encore.close()                   closes any open Encore modal
//   Encore.mount(element?)           mounts element and the marked elements inside it
//                                    (default: the whole document); repeated calls are harmless
// Element attributes:
//   data-encore-event   (required) the event slug
//   data-encore-mode    "inline" (default) renders in place; "button" opens a modal on click
//   data-encore-locale  "ru" | "en"; default <html lang>, then the browser, then the organizer's
//   data-encore-support-phone, data-encore-support-email  the box office, linked (tel:, mailto:)
//                       in the message shown when the event cannot be loaded; default none
//   data-encore-preview a console preview token (set by /console/preview pages only)
// Inline elements may hold the site's own content (the box office's phone, say): it shows until
// the widget has loaded the event, and stays when it cannot (see mountInline).
import { createApi, type Api } from './api.ts';
import { detectLocale } from './i18n.ts';
import { closeModals, modalFor, mountInline } from './mount.tsx';
import type { Support } from './models/widget.ts';
import { redeemLink, type ResumeLink } from './resume.ts';

type Method = 'open' | 'close' | 'mount';
interface EncoreGlobal {
  q?: [Method, unknown[]][];
  open?: (options: { event: string; locale?: string }) => void;
  close?: () => void;
  mount?: (element?: Element) => void;
}

const LOADED = Symbol.for('encore.loaded');
const MARK = '[data-encore-event]';
const warn = (...args: unknown[]) => console.warn('[Encore]', ...args);

/** Never lets an error escape into the host page. */
const guard =
  <A extends unknown[]>(fn: (...args: A) => void) =>
  (...args: A) => {
    try {
      fn(...args);
    } catch (error) {
      warn(error);
    }
  };

// Must be read now: document.currentScript is only set while this file first runs.
const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="widget"]');

function apiBase(): string {
  try {
    return new URL(script!.src, location.href).origin;
  } catch {
    warn("cannot tell where widget.js was loaded from; using this page's origin for the API");
    return location.origin;
  }
}

const w = window as unknown as { Encore?: EncoreGlobal & { [LOADED]?: true } };
w.Encore ??= { q: [] };
const E = w.Encore;

if (!E[LOADED]) {
  E[LOADED] = true;
  const api = createApi(apiBase());
  const mounted = new WeakMap<Element, () => void>();

  const bindButton = (el: Element, slug: string, locale: ReturnType<typeof detectLocale>, api: Api, support: Support) => {
    const modal = modalFor(slug, locale, api, support);
    const onClick = (e: Event) => {
      e.preventDefault();
      modal.open(el);
    };
    const onKey = (e: Event) => {
      const key = (e as KeyboardEvent).key;
      if (key === 'Enter' || key === ' ') onClick(e);
    };
    // Any element may be the button: give non-buttons the keyboard and semantics of one.
    const native = el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement;
    if (!native) {
      if (!el.hasAttribute('role')) el.setAttribute('role', 'button');
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
      el.addEventListener('keydown', onKey);
    }
    el.setAttribute('aria-haspopup', 'dialog');
    el.addEventListener('click', onClick);
    // An empty element gets our label (or the organizer's); the page's own text is left alone.
    if (!el.textContent?.trim() && el.children.length === 0) {
      modal.onLabel((label) => {
        if (el.isConnected) el.textContent = label;
      });
    }
    return () => {
      el.removeEventListener('click', onClick);
      el.removeEventListener('keydown', onKey);
    };
  };

  const mountOne = (el: Element) => {
    if (mounted.has(el)) return;
    const slug = el.getAttribute('data-encore-event')?.trim();
    if (!slug) return;
    try {
      const locale = detectLocale(el.getAttribute('data-encore-locale'));
      const button = el.getAttribute('data-encore-mode') === 'button';
      // The console's preview page: draw with the organizer's unsaved settings.
      const preview = el.getAttribute('data-encore-preview');
      const elApi = preview ? createApi(apiBase(), preview) : api;
      const support = { supportPhone: el.getAttribute('data-encore-support-phone'), supportEmail: el.getAttribute('data-encore-support-email') };
      mounted.set(el, button ? bindButton(el, slug, locale, elApi, support) : mountInline(el, slug, locale, elApi, support));
    } catch (error) {
      warn(`could not mount "${slug}"`, error);
    }
  };

  /** The node itself and its descendants that carry data-encore-event (a document: all of them). */
  const marked = (node: Node): Element[] => {
    const el = node instanceof Document ? node.documentElement : node;
    return el instanceof Element ? [...(el.matches(MARK) ? [el] : []), ...el.querySelectorAll(MARK)] : [];
  };

  const unmountIfGone = (el: Element) => {
    // Frameworks move nodes (remove, then insert): only a node still detached is really gone.
    if (el.isConnected) return;
    mounted.get(el)?.();
    mounted.delete(el);
  };

  new MutationObserver(
    guard((records: MutationRecord[]) => {
      for (const record of records) {
        for (const node of record.addedNodes) marked(node).forEach(mountOne);
        for (const node of record.removedNodes) {
          for (const el of marked(node)) if (mounted.has(el)) queueMicrotask(() => unmountIfGone(el));
        }
      }
    }),
  ).observe(document.documentElement, { childList: true, subtree: true });

  E.open = guard((options: { event: string; locale?: string }) => {
    if (!options?.event) return warn('Encore.open needs { event: "<slug>" }');
    modalFor(options.event, detectLocale(options.locale), api).open(document.activeElement);
  });
  E.close = guard(closeModals);
  E.mount = guard((element?: Element) => marked(element ?? document).forEach(mountOne));

  /**
   * A reminder link's cart shows in the page's inline widget for its event, scrolled into
   * view; without one, in the modal of the event's button, or in Encore.open's modal.
   */
  const reveal = (link: ResumeLink) => {
    const slug = link?.slug;
    if (!slug) return;
    const els = marked(document).filter((el) => el.getAttribute('data-encore-event')?.trim() === slug);
    const inline = els.find((el) => el.getAttribute('data-encore-mode') !== 'button');
    if (inline) inline.scrollIntoView();
    else modalFor(slug, detectLocale(els[0]?.getAttribute('data-encore-locale')), api).open(els[0] ?? null);
  };

  // Replayed once the document is parsed: a queued open() needs <body>, mount() the elements.
  const start = () => {
    const queued = E.q ?? [];
    E.q = [];
    for (const [method, args] of queued) E[method]?.(...(args as [never]));
    E.mount!();
    void redeemLink(api).then(guard(reveal));
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
