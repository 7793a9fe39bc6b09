import { useSignal } from '@preact/signals';
import { TextField } from '../components/Field.tsx';
import { useForm } from '../components/form.ts';
import { FormMessage, Submit } from '../components/ui.tsx';
import { t } from '../i18n.ts';
import { post } from '../api.ts';
import { signIn } from '../session.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { SignedOutForm } from '../components/SignedOut.tsx';

export function SignIn() {
  const email = useSignal('');
  const password = useSignal('');
  const forgot = useSignal(false);
  const form = useForm();
  const tx = t.value;
  if (forgot.value) return <ForgotPassword email={email.value} back={() => (forgot.value = false)} />;
  return (
    <SignedOutForm title={tx.signInTitle} onSubmit={() => void form.run(() => signIn(email.value, password.value))}>
      <TextField
        label={tx.email}
        type="email"
        autoComplete="username"
        required
        value={email.value}
        onInput={(v) => (email.value = v)}
        error={form.error('email')}
        testId="signin-email"
      />
      <TextField
        label={tx.password}
        type="password"
        autoComplete="current-password"
        required
        value={password.value}
        onInput={(v) => (password.value = v)}
        error={form.error('password')}
        testId="signin-password"
      />
      <FormMessage form={form} />
      <Submit form={form} label={tx.signIn} testId="signin-submit" />
      <button type="button" class="link-button" onClick={() => (forgot.value = true)} data-testid="forgot-password">
        {tx.account.forgot}
      </button>
      <LanguageSwitch />
    </SignedOutForm>
  );
}

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
function ForgotPassword(p: { email: string; back: () => void }) {
  const email = useSignal(p.email);
  const form = useForm();
  const tx = t.value.account;
  return (
    <SignedOutForm title={tx.resetTitle} intro={tx.resetIntro} onSubmit={() => void form.run(() => post('/password-reset', { email: email.value }))}>
      <TextField
        label={t.value.email}
        type="email"
        autoComplete="username"
        required
        value={email.value}
        onInput={(v) => (email.value = v)}
        error={form.error('email')}
        testId="reset-email"
      />
      <FormMessage form={form} ok={tx.sent} />
      <Submit form={form} label={tx.sendLink} testId="reset-request-submit" />
      <button type="button" class="secondary" onClick={p.back} data-testid="back-to-sign-in">
        {tx.back}
      </button>
    </SignedOutForm>
  );
}
