// Amounts in the buyer's language for emails and ticket pages: integer minor units, the
// currency's narrow symbol, no ".00" on whole amounts.

/** A formatter of amounts in minor units of `currency` for the locale `intl`. */
export function moneyFormatter(intl: string, currency: string): (minor: number) => string {
  const digits = new Intl.NumberFormat(intl, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor) => {
    const value = minor / 10 ** digits;
    const whole = Number.isInteger(value);
    return new Intl.NumberFormat(intl, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: whole ? 0 : digits,
      maximumFractionDigits: digits,
    }).format(value);
  };
}
