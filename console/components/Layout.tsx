// The frame around every screen: the left navigation (a menu button on phones), the organizer's
// name, the language switch and sign-out.
import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { t } from '../i18n.ts';
import { link, segments } from '../router.ts';
import { session, signOut } from '../session.ts';
import { resetData } from '../data.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export const SECTIONS = ['events', 'orders', 'check-in', 'promo-codes', 'widget', 'recovery', 'stats', 'webhooks', 'payments', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

/** The sections the signed-in user may use: the box office has its orders and the door. */
export const mySections = (): readonly Section[] => (session.value?.user?.role === 'box_office' ? ['orders', 'check-in'] : SECTIONS);

export function Layout({ children }: { children: ComponentChildren }) {
  const open = useSignal(false);
  const tx = t.value;
  const sections = mySections();
  const here = segments.value[0] ?? sections[0];
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {tx.appName}
      </a>
      <header class="topbar">
        <span class="brand">Encore</span>
        <span class="org" data-testid="organizer-name">
          {session.value?.organizer.name}
        </span>
        <button type="button" class="menu-button" aria-expanded={open.value} aria-controls="nav" onClick={() => (open.value = !open.value)}>
          {tx.menu}
        </button>
      </header>
      <nav id="nav" class={`nav${open.value ? ' open' : ''}`} aria-label={tx.appName}>
        <ul>
          {sections.map((s) => (
            <li key={s}>
              <a {...link(s)} aria-current={here === s ? 'page' : undefined} data-testid={`nav-${s}`} onClickCapture={() => (open.value = false)}>
                {tx.nav[s]}
              </a>
            </li>
          ))}
        </ul>
        <div class="nav-foot">
          <p class="muted small">{session.value?.user?.email}</p>
          {session.value?.user && (
            <a {...link('account')} class="small" data-testid="nav-account" onClickCapture={() => (open.value = false)}>
              {tx.account.nav}
            </a>
          )}
          <LanguageSwitch />
          <button
            type="button"
            class="secondary"
            data-testid="sign-out"
            onClick={() => {
              resetData();
              void signOut();
            }}
          >
            {tx.signOut}
          </button>
        </div>
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
