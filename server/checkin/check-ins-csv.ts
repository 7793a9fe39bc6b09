// A performance's check-ins as CSV, with the same Excel safety as the orders' CSV (BOM, CRLF,
// RFC 4180 quoting, formula-looking text prefixed with ').
import { csvText } from '../console/routes/orders-csv.ts';
import type { Db } from '../platform/db/database.ts';
import { performanceCheckIns } from './checkin-db.ts';

const HEADER = ['scanned_at', 'recorded_at', 'ticket_code', 'ticket_type', 'order_number', 'order_status', 'buyer_name', 'checked_in_by', 'device'];

export async function checkInsCsv(db: Db, performanceId: string): Promise<string> {
  const rows = await performanceCheckIns(db, performanceId);
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.scanned_at,
        r.recorded_at,
        r.code,
        csvText(r.ticket_type_name),
        csvText(r.order_number),
        r.order_status,
        csvText(r.buyer_name),
        csvText(r.actor),
        csvText(r.device_id ?? ''),
      ].join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
