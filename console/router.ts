// Client-side routes under /console: the path is the state; links push history, Back works,
// and the server answers every /console/* with the app so a reload lands on the same screen.
import { computed, signal } from '@preact/signals';

const ROOT = '/console';

const current = () => location.pathname.replace(/^\/console\/?/, '').replace(/\/$/, '');
export const path = signal(current());
export const segments = computed(() => path.value.split('/').filter(Boolean));

export function navigate(to: string) {
  history.pushState(null, '', `${ROOT}/${to}`);
  path.value = current();
  window.scrollTo(0, 0);
}

addEventListener('popstate', () => (path.value = current()));

/** For <a href>: a real link (opens in a new tab too), handled here on a plain click. */
export function link(to: string) {
  return {
    href: `${ROOT}/${to}`,
    onClick: (e: MouseEvent) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    },
  };
}
