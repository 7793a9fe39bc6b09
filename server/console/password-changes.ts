// A person's password, changed by them (knowing the current one) or reset through a link mailed
// to them (single use, one hour). Either way every other session of theirs ends: whoever had
// the old password is signed out. Signing out everywhere ends all of them, this one too.
import type { Locale } from '../contracts/widget.ts';
import type { Db, Trx } from '../platform/db/database.ts';
import { DomainError } from '../platform/errors.ts';
import { hashSecret, newId, newSecret } from '../platform/ids.ts';
import { escapeHtml } from '../platform/mail/html.ts';
import type { MailTransport } from '../platform/mail/transport.ts';
import { findUser, findUserByEmail } from './access-db.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';

export const RESET_LINK_MINUTES = 60;

function checkNew(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('VALIDATION', `The password must be at least ${MIN_PASSWORD_LENGTH} characters`, 'newPassword');
  }
}

/** Ends the person's sessions, all of them or all but `keep` (a session id hash). */
export async function endSessions(db: Db, userId: string, keep?: string) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id_hash', '!=', keep);
  await q.execute();
}

export async function changePassword(trx: Trx, userId: string, input: { currentPassword: string; newPassword: string }, keepSessionCookie: string) {
  const user = await findUser(trx, userId);
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new DomainError('VALIDATION', 'The current password is not right', 'currentPassword');
  }
  checkNew(input.newPassword);
  await trx
    .updateTable('organizer_users')
    .set({ password_hash: await hashPassword(input.newPassword) })
    .where('id', '=', userId)
    .execute();
  await endSessions(trx, userId, hashSecret(keepSessionCookie));
  await trx.deleteFrom('password_resets').where('user_id', '=', userId).execute();
}

const WORDS = {
  en: {
    subject: 'Reset your Encore console password',
    body: (link: string) =>
      `Someone (we hope you) asked to reset the password of your Encore console account.\n\nSet a new password here within ${RESET_LINK_MINUTES} minutes; the link works once:\n${link}\n\nIf it was not you, ignore this email: your password stays as it is.`,
  },
  ru: {
    subject: 'Сброс пароля консоли Encore',
    body: (link: string) =>
      `Кто-то (надеемся, вы) попросил сбросить пароль вашей учётной записи в консоли Encore.\n\nЗадайте новый пароль по ссылке в течение ${RESET_LINK_MINUTES} минут; ссылка сработает один раз:\n${link}\n\nЕсли это были не вы, просто не обращайте внимания на письмо: пароль останется прежним.`,
  },
} satisfies Record<Locale, unknown>;

/**
 * Mails a reset link when the address has an account; says nothing either way (the answer is the
 * same), so the form cannot be used to learn who has one.
 */
export async function requestPasswordReset(
  db: Db,
  email: string,
  now: Date,
  mail: { transport: MailTransport; from: string; publicBaseUrl: string },
): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user) return;
  // The person's spent links go (by the user index), so the table holds at most a few per person.
  await db
    .deleteFrom('password_resets')
    .where('user_id', '=', user.id)
    .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', now.toISOString())]))
    .execute();
  const token = newSecret();
  await db
    .insertInto('password_resets')
    .values({
      token_hash: hashSecret(token),
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000).toISOString(),
      used_at: null,
    })
    .execute();
  const words = WORDS[(user.locale as Locale) in WORDS ? (user.locale as Locale) : 'en'];
  const link = `${mail.publicBaseUrl}/console/reset?token=${encodeURIComponent(token)}`;
  const text = words.body(link);
  const paragraphs = escapeHtml(text)
    .replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`)
    .replace(/\n\n/g, '</p><p>')
    .replace(/\n/g, '<br>');
  const html = `<!doctype html><html><body><p>${paragraphs}</p></body></html>`;
  try {
    await mail.transport.sendMail({
      from: mail.from,
      to: user.email,
      subject: words.subject,
      text,
      html,
      messageId: `<reset-${newId('r')}@encore>`,
      date: now,
    });
  } catch {
    // The SMTP server refused or is down: a clear 503, not a 500, without the server's details.
    throw new DomainError('MAIL_UNAVAILABLE', 'The reset link could not be sent just now; try again later');
  }
}

/** Sets the password from a reset link: once, before it expires; every session of the person ends. */
export async function resetPassword(trx: Trx, input: { token: string; newPassword: string }, now: Date): Promise<void> {
  checkNew(input.newPassword);
  const used = await trx
    .updateTable('password_resets')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', hashSecret(input.token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning('user_id')
    .executeTakeFirst();
  if (!used) throw new DomainError('VALIDATION', 'This reset link is used up or has expired; ask for a new one', 'token');
  await trx
    .updateTable('organizer_users')
    .set({ password_hash: await hashPassword(input.newPassword) })
    .where('id', '=', used.user_id)
    .execute();
  await endSessions(trx, used.user_id);
  // Other links of the person stop working too.
  await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('user_id', '=', used.user_id).where('used_at', 'is', null).execute();
}
