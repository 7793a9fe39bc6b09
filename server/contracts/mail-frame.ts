// Showing an email inside a page (/mail and the console's preview): a sandboxed frame whose links
// open in a new tab. Imports nothing, so the console bundle can use it too.

/** Popups only, for links, and the opened page is an ordinary tab (a theatre's page with the
 * widget needs its scripts); the email itself still runs no script and has an opaque origin. */
export const FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

/** The first <base> with a target wins: ours goes first in the head (before the email's doctype
 * it would put the page in quirks mode). */
export function linksInNewTab(html: string): string {
  const head = /<head\b[^>]*>/i.exec(html);
  const at = head ? head.index + head[0].length : 0;
  return `${html.slice(0, at)}<base target="_blank">${html.slice(at)}`;
}
