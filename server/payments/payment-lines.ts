// The lines a payment's receipt lists (YooKassa's 54-FZ receipt): the order's tickets, grouped by
// name and price, with an order discount spread over the tickets in whole minor units so the
// lines sum exactly to the amount charged (the provider refuses a receipt that does not).
import type { PaymentLine } from './provider.ts';

export function paymentLines(tickets: { name: string; price: number }[], amount: number, fallback: string): PaymentLine[] {
  const full = tickets.reduce((sum, t) => sum + t.price, 0);
  const discount = full - amount;
  if (tickets.length === 0 || discount < 0) return [{ description: fallback, quantity: 1, unitAmount: amount }];
  // Each ticket bears the discount in proportion to its price; the minor units left over by
  // rounding down go one each to the tickets with the largest remainders.
  const shares = tickets.map((t, i) => ({
    i,
    share: full === 0 ? 0 : Math.floor((discount * t.price) / full),
    rest: full === 0 ? 0 : (discount * t.price) % full,
  }));
  let left = discount - shares.reduce((sum, s) => sum + s.share, 0);
  for (const s of [...shares].sort((a, b) => b.rest - a.rest || a.i - b.i)) {
    if (left === 0) break;
    s.share++;
    left--;
  }
  const lines = new Map<string, PaymentLine>();
  tickets.forEach((t, i) => {
    const unitAmount = t.price - shares[i]!.share;
    const key = JSON.stringify([t.name, unitAmount]);
    const line = lines.get(key);
    if (line) line.quantity++;
    else lines.set(key, { description: t.name, quantity: 1, unitAmount });
  });
  return [...lines.values()];
}
