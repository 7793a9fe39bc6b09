// The organizer console: sign in, then one screen per section (see components/Layout.tsx).
import { Account } from './pages/Account.tsx';
import { ResetPassword } from './pages/ResetPassword.tsx';
import { effect } from '@preact/signals';
import { render } from 'preact';
import { Layout, mySections } from './components/Layout.tsx';
import { describeFailure } from './components/form.ts';
import { Loading } from './components/ui.tsx';
import { locale, t } from './i18n.ts';
import { CheckIn } from './pages/CheckIn.tsx';
import { EventDetail } from './pages/EventDetail.tsx';
import { Events } from './pages/Events.tsx';
import { Orders } from './pages/Orders.tsx';
import { Payments } from './pages/Payments.tsx';
import { PromoCodes } from './pages/PromoCodes.tsx';
import { Recovery } from './pages/Recovery.tsx';
import { Settings } from './pages/Settings.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { Stats } from './pages/Stats.tsx';
import { Webhooks } from './pages/Webhooks.tsx';
import { Widget } from './pages/Widget.tsx';
import { path, segments } from './router.ts';
import { loadSession, session } from './session.ts';
import { signal } from '@preact/signals';
import './styles.css';

const bootError = signal<string | null>(null);

function Screen() {
  const allowed: readonly string[] = mySections();
  const [wanted, wantedId] = segments.value;
  if (wanted === 'account') return <Account />;
  // A box office user sent a link to another section lands on the orders instead.
  const ok = wanted !== undefined && allowed.includes(wanted);
  const section = ok ? wanted : allowed[0];
  const id = ok ? wantedId : undefined;
  switch (section) {
    case 'events':
      return id ? <EventDetail id={id} key={id} /> : <Events />;
    case 'orders':
      return <Orders id={id} key={id ?? 'list'} />;
    case 'check-in':
      return <CheckIn id={id} key={id ?? 'pick'} />;
    case 'promo-codes':
      return <PromoCodes />;
    case 'widget':
      return <Widget />;
    case 'recovery':
      return <Recovery />;
    case 'stats':
      return <Stats />;
    case 'webhooks':
      return <Webhooks />;
    case 'payments':
      return <Payments />;
    case 'settings':
      return <Settings />;
    default:
      return <Events />;
  }
}

function App() {
  if (bootError.value) return <p class="message bad">{bootError.value}</p>;
  if (segments.value[0] === 'reset') return <ResetPassword />;
  if (session.value === undefined) return <Loading />;
  if (session.value === null) return <SignIn />;
  return (
    <Layout>
      <Screen />
    </Layout>
  );
}

effect(() => {
  document.documentElement.lang = locale.value;
  document.title = t.value.appName;
});

// Moving between screens puts focus on the new heading, so keyboard and screen-reader users
// start at the top of what changed.
let first = true;
effect(() => {
  void path.value;
  if (first) {
    first = false;
    return;
  }
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-page-title]')?.focus());
});

render(<App />, document.getElementById('app')!);
loadSession().catch((error) => (bootError.value = describeFailure(error)));
