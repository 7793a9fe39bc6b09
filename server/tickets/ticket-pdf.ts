// The tickets as a PDF (pdf-lib): one A6 page per ticket with the event, its date and time in the
// venue's time zone, the venue, the ticket type and price, the order number, the buyer, the QR
// code and the code as text. DejaVu Sans comes from npm (dejavu-fonts-ttf), so Cyrillic prints on
// any machine; it is subset, so a PDF carries only the glyphs it uses.
import fontkit from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { OrderDetails } from './order-details.ts';
import { qrPng } from './qr.ts';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const fontFiles = () =>
  (fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  });

// pdf-lib parses an embedded font with fontkit on every document (~700 kB of TTF each time, most
// of a confirmation's cost). The same bytes give the same parsed font: parse each face once.
// (Subsetting reads the parsed font and writes a new one; it does not change it.)
// pdf-lib hands fontkit a fresh view of the same bytes each time: the parsed font is found by
// the bytes' buffer and place in it.
const parsedFonts = new WeakMap<ArrayBufferLike, Map<string, ReturnType<typeof fontkit.create>>>();
const cachingFontkit: typeof fontkit = {
  ...fontkit,
  create(data: Uint8Array, postscriptName?: string) {
    if (postscriptName) return fontkit.create(data, postscriptName);
    let byPlace = parsedFonts.get(data.buffer);
    if (!byPlace) {
      byPlace = new Map();
      parsedFonts.set(data.buffer, byPlace);
    }
    const place = `${data.byteOffset}:${data.byteLength}`;
    let font = byPlace.get(place);
    if (!font) {
      font = fontkit.create(data);
      byPlace.set(place, font);
    }
    return font;
  },
};

const A6: [number, number] = [297.64, 419.53];
const MARGIN = 22;
const INK = rgb(0.1, 0.1, 0.1);
const QUIET = rgb(0.35, 0.35, 0.35);

function hex(color: string) {
  const n = parseInt(color.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

/** Draws `text` wrapped to the page's width from `y` down; returns the y below it. */
function para(page: PDFPage, text: string, y: number, font: PDFFont, size: number, color = INK): number {
  const width = A6[0] - 2 * MARGIN;
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  let line = '';
  const lines: string[] = [];
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  for (const l of lines) {
    y -= size * 1.25;
    page.drawText(l, { x: MARGIN, y, size, font, color });
  }
  return y;
}

/** `qr`: each ticket's QR image by code, when the caller has them already (the mail shows them too). */
export async function ticketsPdf(d: OrderDetails, qr?: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(cachingFontkit);
  doc.setTitle(`${d.event.title} — ${d.t.order} ${d.number}`);
  doc.setAuthor(d.organizer.name);
  doc.setCreator('Encore');
  doc.setProducer('Encore');
  const files = fontFiles();
  const regular = await doc.embedFont(files.regular, { subset: true });
  const bold = await doc.embedFont(files.bold, { subset: true });
  const accent = /^#[0-9a-f]{6}$/i.test(d.organizer.accentColor) ? hex(d.organizer.accentColor) : INK;
  for (const [i, ticket] of d.tickets.entries()) {
    const page = doc.addPage(A6);
    const [w, h] = A6;
    page.drawRectangle({ x: 0, y: h - 8, width: w, height: 8, color: accent });
    let y = h - 14;
    y = para(page, d.organizer.name, y, regular, 9, QUIET);
    y = para(page, d.event.title, y - 4, bold, 15);
    y = para(page, d.when, y - 2, regular, 10);
    y = para(page, d.event.venue, y, regular, 10);
    y = para(page, `${ticket.type} · ${ticket.price}`, y - 6, bold, 11);
    y = para(page, `${d.t.order} ${d.number} · ${d.t.ticket} ${i + 1}/${d.tickets.length}`, y, regular, 9, QUIET);
    y = para(page, d.buyer.name, y, regular, 9, QUIET);
    if (d.status === 'reserved') y = para(page, d.t.note.reserved(d.until), y - 4, bold, 8);
    const image = await doc.embedPng(qr?.get(ticket.code) ?? (await qrPng(ticket.qr)));
    const size = Math.min(170, y - MARGIN - 34);
    page.drawImage(image, { x: (w - size) / 2, y: y - 6 - size, width: size, height: size });
    const codeSize = 7;
    page.drawText(ticket.qr, { x: (w - regular.widthOfTextAtSize(ticket.qr, codeSize)) / 2, y: y - 18 - size, size: codeSize, font: regular, color: INK });
  }
  return Buffer.from(await doc.save());
}
