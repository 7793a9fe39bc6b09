// The one card of the screens shown before signing in: sign-in, asking for a reset link, setting
// a new password.
import type { ComponentChildren } from 'preact';

export function SignedOutForm(p: { title: string; intro?: string; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <main class="signin">
      <form
        noValidate
        class="card signin-card"
        onSubmit={(e) => {
          e.preventDefault();
          p.onSubmit();
        }}
      >
        <h1>{p.title}</h1>
        {p.intro && <p class="intro">{p.intro}</p>}
        {p.children}
      </form>
    </main>
  );
}
