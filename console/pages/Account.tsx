// The signed-in person's account: change the password (other devices are signed out) and sign
// out everywhere. For the box office as for owners.
import { useSignal } from '@preact/signals';
import { del, post } from '../api.ts';
import { resetData } from '../data.ts';
import { TextField } from '../components/Field.tsx';
import { useForm } from '../components/form.ts';
import { Card, FormMessage, Page, Submit } from '../components/ui.tsx';
import { t } from '../i18n.ts';
import { signOut } from '../session.ts';

export function Account() {
  const tx = t.value.account;
  const current = useSignal('');
  const next = useSignal('');
  const change = useForm();
  const everywhere = useForm();
  return (
    <Page title={tx.title}>
      <Card title={tx.changePassword} testId="change-password">
        <p class="intro">{tx.changeIntro}</p>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void change
              .run(() => post('/me/password', { currentPassword: current.value, newPassword: next.value }))
              .then((ok) => {
                if (ok) current.value = next.value = '';
              });
          }}
        >
          <TextField
            label={tx.currentPassword}
            type="password"
            autoComplete="current-password"
            required
            value={current.value}
            onInput={(v) => (current.value = v)}
            error={change.error('currentPassword')}
            testId="current-password"
          />
          <TextField
            label={tx.newPassword}
            type="password"
            autoComplete="new-password"
            required
            value={next.value}
            onInput={(v) => (next.value = v)}
            error={change.error('newPassword')}
            testId="new-password"
          />
          <FormMessage form={change} ok={tx.changed} />
          <Submit form={change} label={tx.change} testId="change-password-submit" />
        </form>
      </Card>
      <Card title={tx.everywhere} testId="sign-out-everywhere">
        <p class="intro">{tx.everywhereIntro}</p>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void everywhere.run(async () => {
              await del('/sessions');
              resetData();
              await signOut();
            });
          }}
        >
          <FormMessage form={everywhere} />
          <Submit form={everywhere} label={tx.everywhere} testId="sign-out-everywhere-submit" />
        </form>
      </Card>
    </Page>
  );
}
