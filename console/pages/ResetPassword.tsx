// Setting a new password from the link a reset email carries (/console/reset?token=…). The token
// is read once and taken out of the address bar, so it stays out of history and screenshots.
import { useSignal } from '@preact/signals';
import { post } from '../api.ts';
import { TextField } from '../components/Field.tsx';
import { useForm } from '../components/form.ts';
import { FormMessage, Submit } from '../components/ui.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { SignedOutForm } from '../components/SignedOut.tsx';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';

const token = new URLSearchParams(location.search).get('token') ?? '';
if (token) history.replaceState(null, '', location.pathname);

export function ResetPassword() {
  const tx = t.value.account;
  const password = useSignal('');
  const form = useForm();
  return (
    <SignedOutForm title={tx.setTitle} onSubmit={() => void form.run(() => post('/password-reset/confirm', { token, newPassword: password.value }))}>
      {!form.done.value && (
        <TextField
          label={t.value.account.newPassword}
          type="password"
          autoComplete="new-password"
          required
          value={password.value}
          onInput={(v) => (password.value = v)}
          error={form.error('newPassword')}
          testId="reset-password"
        />
      )}
      <FormMessage form={form} ok={tx.done} />
      {!form.done.value && <Submit form={form} label={tx.set} testId="reset-submit" />}
      <button type="button" class="secondary" onClick={() => navigate('')} data-testid="back-to-sign-in">
        {tx.back}
      </button>
      <LanguageSwitch />
    </SignedOutForm>
  );
}
