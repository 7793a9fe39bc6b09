// Reconciliation: money a provider took is never lost to a notification that did not come, or to
// a crash between the provider's success and our commit. The recovery loop asks the provider
// about started payments still pending here (provider.status) and applies a final answer through
// the same path as a notification (lifecycle.ts applyVerified: once, in a write transaction).
// A payment is first asked about 2 minutes after it started, then ever less often (at most hourly,
// reconciliation-db.ts nextCheckAt), and no more once it is 48 hours old; an expired order's
// payments are asked about at once (expireUnpaidOrders), so a success that raced the expiry is
// found right after it. A provider that fails or does not answer leaves the payment pending: it is
// asked again at its next time. Each round takes at most `limit` due payments.
import type { Store } from '../store.ts';
import { applyVerified, organizerProviderSettings } from './lifecycle.ts';
import type { Payments } from './provider.ts';
import type { PaymentOutcome } from './provider.ts';
import { claimCheck, duePaymentChecks, nextCheckAt, type DueCheck } from './reconciliation-db.ts';

export interface ReconcileResult {
  /** Payments asked about this round. */
  checked: number;
  /** Of them, those the provider had decided (applied, or found already applied). */
  settled: number;
}

export async function reconcilePayments(store: Store, payments: Payments, limit = 10): Promise<ReconcileResult> {
  const now = store.now();
  // The next check's time moves on before the provider is asked: another process skips this
  // payment, and one that fails or dies now asks again later, not every round.
  const claimed = await store.tx(async (trx) => {
    const due = await duePaymentChecks(trx, now.toISOString(), limit).execute();
    const mine: (DueCheck & { last: boolean })[] = [];
    for (const p of due) {
      const next = nextCheckAt(p.created_at, now);
      if (await claimCheck(trx, p.id, p.next_check_at!, next)) mine.push({ ...p, last: next === null });
    }
    return mine;
  });
  // The providers are asked together (each call has its timeout); the answers are applied one by one.
  const outcomes = await Promise.all(claimed.map((p) => ask(store, payments, p)));
  let settled = 0;
  for (const [i, p] of claimed.entries()) {
    const outcome = outcomes[i];
    if (outcome && outcome.status !== 'pending') {
      settled++;
      await applyVerified(store, payments, p.provider, p.organizer_id, { ...outcome, providerPaymentId: p.provider_payment_id! });
    } else if (p.last) {
      payments.log(`payment ${p.provider}:${p.provider_payment_id} of order ${p.number} still pending after 48 h: no longer checked`);
    }
  }
  return { checked: claimed.length, settled };
}

/** The provider's answer, or null when it could not be had (logged; asked again later). */
async function ask(store: Store, payments: Payments, p: DueCheck): Promise<PaymentOutcome | null> {
  const provider = payments.providers.get(p.provider);
  try {
    if (!provider) throw new Error('this instance no longer offers the provider');
    return await provider.status(p.provider_payment_id!, await organizerProviderSettings(store.db, p.organizer_id, provider));
  } catch (error) {
    payments.log(`payment ${p.provider}:${p.provider_payment_id} not checked: ${(error as Error).message}`);
    return null;
  }
}
