// Who is signed in. undefined while the first GET /me runs, null when nobody is.
import { signal } from '@preact/signals';
import type { ConsoleSession } from '../server/contracts/console.ts';
import { ApiFailure, csrfToken, del, get, onSignedOut, post } from './api.ts';
import { adoptUserLocale } from './i18n.ts';

export const session = signal<ConsoleSession | null | undefined>(undefined);

function adopt(s: ConsoleSession) {
  csrfToken.value = s.csrfToken;
  adoptUserLocale(s.user?.locale);
  session.value = s;
}

onSignedOut.current = () => {
  csrfToken.value = null;
  session.value = null;
};

export async function loadSession() {
  try {
    adopt(await get<ConsoleSession>('/me'));
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) session.value = null;
    else throw error;
  }
}

export async function signIn(email: string, password: string) {
  adopt(await post<ConsoleSession>('/session', { email, password }));
}

export async function signOut() {
  await del('/session').catch(() => {});
  onSignedOut.current();
}
