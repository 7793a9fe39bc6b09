import { useSignal } from '@preact/signals';
import { TextField } from '../components/Field.tsx';
import { useForm } from '../components/form.ts';
import { FormMessage, Submit } from '../components/ui.tsx';
import { t } from '../i18n.ts';
import { signIn } from '../session.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';

export function SignIn() {
  const email = useSignal('');
  const password = useSignal('');
  const form = useForm();
  const tx = t.value;
  return (
    <main class="signin">
      <form
        noValidate
        class="card signin-card"
        onSubmit={(e) => {
          e.preventDefault();
          void form.run(() => signIn(email.value, password.value));
        }}
      >
        <h1>{tx.signInTitle}</h1>
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
        <LanguageSwitch />
      </form>
    </main>
  );
}
