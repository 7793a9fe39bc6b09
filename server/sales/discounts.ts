// What a reminder's discount is called and what it takes off.
import type { Locale } from '../contracts/widget.ts';

export function discountLabel(d: { kind: 'percent' | 'amount'; value: number }, currency: string, locale: Locale): string {
  if (d.kind === 'percent') return `${d.value}%`;
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(d.value / 10 ** digits);
}

/** What a discount takes off a subtotal, in minor units. */
export function discountAmount(d: { kind: 'percent' | 'amount'; value: number }, subtotal: number): number {
  if (d.kind === 'percent') return Math.floor((subtotal * Math.min(d.value, 100)) / 100);
  return Math.min(d.value, subtotal);
}
