// The orders list as CSV for Excel: a UTF-8 BOM (else Excel reads UTF-8 as the local code page),
// CRLF rows, fields quoted per RFC 4180, and buyer-typed text that starts like a formula (= + - @,
// or a tab or carriage return) prefixed with ' so a spreadsheet shows it instead of running it.
import { listOrdersQuery, type OrderCursor, type OrderFilter, type OrderListRow } from '../orders-db.ts';
import type { Db } from '../../platform/db/database.ts';

const PAGE = 500;

/** One text cell: formula-guarded, then quoted when it holds a comma, quote or line break. */
export function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const HEADER = [
  'number',
  'created_at',
  'status',
  'payment_method',
  'total_minor',
  'currency',
  'event',
  'performance_starts_at',
  'buyer_name',
  'buyer_email',
  'buyer_phone',
];

export async function ordersCsv(db: Db, organizerId: string, filter: OrderFilter): Promise<string> {
  const lines = [HEADER.join(',')];
  let after: OrderCursor | null = null;
  for (;;) {
    const rows: OrderListRow[] = await listOrdersQuery(db, organizerId, filter, after, PAGE).execute();
    for (const r of rows) {
      lines.push(
        [
          csvText(r.number),
          r.created_at,
          r.status,
          csvText(r.payment_method),
          String(r.total),
          r.currency,
          csvText(r.event_title),
          r.performance_starts_at,
          csvText(r.buyer_name),
          csvText(r.buyer_email),
          csvText(r.buyer_phone ?? ''),
        ].join(','),
      );
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.created_at, id: last.id };
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
