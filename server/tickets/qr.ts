// QR images of a ticket's payload (ticket-code.ts): PNG for the PDF, the email and the order page.
// Error correction M survives a scratched print or a cracked screen; the quiet zone is the
// standard four modules, which phone scanners need around the code.
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

const SCALE = 8;
const MARGIN = 4;

/**
 * The QR as a one-channel grayscale PNG, 8 pixels a module: the same image qrcode's own PNG
 * renderer draws, at a quarter of the bytes to compress (it writes RGBA), which was most of a
 * confirmation's cost.
 */
export async function qrPng(payload: string): Promise<Buffer> {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const side = (modules.size + 2 * MARGIN) * SCALE;
  const data = Buffer.alloc(side * side, 0xff);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      for (let y = 0; y < SCALE; y++) {
        const start = ((row + MARGIN) * SCALE + y) * side + (col + MARGIN) * SCALE;
        data.fill(0, start, start + SCALE);
      }
    }
  }
  return PNG.sync.write({ width: side, height: side, data } as PNG, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}
