// QR images of a ticket's payload (ticket-code.ts): PNG for the PDF, the email and the order page.
// Error correction M survives a scratched print or a cracked screen; the quiet zone is the
// standard four modules, which phone scanners need around the code.
import QRCode from 'qrcode';

export function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 });
}
