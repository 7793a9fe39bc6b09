// Who a reminder is from. The address is this deployment's (MAIL_FROM: the domain its SPF and
// DKIM vouch for); the name the buyer sees is the organizer's, and replies go to the organizer's
// support email. Real reminders and the console's test sends both go through here.
import addressparser from 'nodemailer/lib/addressparser';

export interface Sender {
  /** The organizer's name, shown as the From display name. */
  name: string;
  /** The organizer's support email, as Reply-To; null leaves replies to the From address. */
  replyTo: string | null;
}

export interface SenderFields {
  from: string | { name: string; address: string };
  replyTo?: string;
}

/** From (nodemailer encodes the name, quotes and non-ASCII alike) and Reply-To for `sender`. */
export function senderFields(mailFrom: string, sender: Sender): SenderFields {
  const address = addressparser(mailFrom, { flatten: true })[0]?.address;
  const name = sender.name.replace(/[\r\n]+/g, ' ').trim();
  return {
    from: address && name ? { name, address } : mailFrom,
    ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
  };
}
