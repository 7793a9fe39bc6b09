// A reminder email links back to the page with ?encore_resume=<token>. The token is redeemed once
// per page load, and every widget waits for that before it looks for a stored cart, so the
// redeemed cart (saved like any other) is what the reload path restores.
import type { ResumeResponse } from '../server/contracts/widget.ts';
import { asFailure, type Api } from './api.ts';
import { clearCart, deviceId, saveCart } from './storage.ts';

/** The event the link is about; `r` is missing when the link had expired or was not valid. */
export type ResumeLink = { slug?: string; r?: ResumeResponse } | undefined;

const PARAM = 'encore_resume';
let redeemed: Promise<ResumeLink> | undefined;

export const redeemLink = (api: Api) => (redeemed ??= redeem(api));

async function redeem(api: Api): Promise<ResumeLink> {
  const url = new URL(location.href);
  const token = url.searchParams.get(PARAM);
  if (!token) return;
  let link: ResumeLink;
  try {
    const r = await api.resume(token, deviceId());
    const { eventSlug: slug, id, token: cartToken } = r.cart;
    if (cartToken) saveCart(slug, { id, token: cartToken, step: 'details' });
    else clearCart(slug);
    link = { slug, r };
  } catch (error) {
    // No answer: the link stays in the address bar, so a reload tries again.
    if (asFailure(error).transient) return;
    // Expired or not valid: the notice goes on the page's first widget.
    link = { slug: document.querySelector('[data-encore-event]')?.getAttribute('data-encore-event')?.trim() };
  }
  // Redeemed: a reload must not redeem it again.
  url.searchParams.delete(PARAM);
  history.replaceState(history.state, '', url);
  return link;
}
