// The two content codings the server offers for built text files, compressed once at build time:
// a Vite plugin writes `<file>.br` (brotli, max quality) and `<file>.gz` (gzip level 9) beside each
// .js/.css/.html/.svg output. The server (server/platform/http/static-asset.ts) uses the same functions when a
// sibling is missing, so a build without the plugin still goes out compressed, only slower to start.
// Settings match bench/size.ts, so the bench's numbers are the bytes on the wire.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, gunzip, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

export type ContentCoding = 'br' | 'gzip';

interface Codec {
  suffix: string;
  compress(bytes: Uint8Array): Promise<Buffer>;
  decompress(bytes: Uint8Array): Promise<Buffer>;
}

const brotli = promisify(brotliCompress);
const unbrotli = promisify(brotliDecompress);
const deflate = promisify(gzip);
const inflate = promisify(gunzip);

/** In the server's order of preference when the browser ranks them equally. */
export const CODECS: Record<ContentCoding, Codec> = {
  br: {
    suffix: '.br',
    compress: (bytes) =>
      brotli(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }),
    decompress: (bytes) => unbrotli(bytes),
  },
  gzip: {
    suffix: '.gz',
    compress: (bytes) => deflate(bytes, { level: 9 }),
    decompress: (bytes) => inflate(bytes),
  },
};

/** Fonts and images are compressed already; only text gains. */
export const COMPRESSIBLE = /\.(js|css|html|svg)$/;

/** Writes the .br and .gz siblings of every text file this build emitted. */
export function precompress(): Plugin {
  return {
    name: 'encore:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir!;
      const files = Object.keys(bundle).filter((file) => COMPRESSIBLE.test(file));
      await Promise.all(
        files.map(async (file) => {
          const bytes = await readFile(join(dir, file));
          for (const codec of Object.values(CODECS)) await writeFile(join(dir, file + codec.suffix), await codec.compress(bytes));
        }),
      );
    },
  };
}
