// Reminder emails as the buyer would get them: a rendered preview (the console shows the HTML in
// a sandboxed iframe) and a test send to any address, both from saved or draft settings.
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { localeInput } from '../../contracts/console.ts';
import { DomainError } from '../../platform/errors.ts';
import { rateLimit } from '../../platform/http/rate-limit.ts';
import { renderRecoveryPreview } from '../../recovery/preview.ts';
import type { Store } from '../../store.ts';
import { senderFields } from '../../platform/mail/sender.ts';
import type { MailTransport } from '../../platform/mail/transport.ts';
import type { ConsoleEnv } from '../env.ts';
import { readJson } from '../../platform/http/errors.ts';

const previewInput = z.object({
  step: z.number().int().min(0).max(20),
  locale: localeInput,
  recovery: z.record(z.string(), z.unknown()).optional(),
});
const testSendInput = previewInput.extend({ to: z.string().trim().toLowerCase().email().max(254) });

export interface ConsoleRecoveryDeps {
  store: Store;
  publicBaseUrl: string;
  mail?: { transport: MailTransport; from: string };
}

export function consoleRecoveryApi({ store, publicBaseUrl, mail }: ConsoleRecoveryDeps) {
  const app = new Hono<ConsoleEnv>();
  const previews = rateLimit(store, { max: 120, windowMs: 10 * 60_000, what: 'previews' });
  const testSends = rateLimit(store, { max: 10, windowMs: 60 * 60_000, what: 'test emails' });

  app.post('/preview', async (c) => {
    const input = await readJson(c, previewInput);
    await previews.take(c.var.organizerId, store.now());
    return c.json(await renderRecoveryPreview(store.db, c.var.organizerId, input, store.now(), publicBaseUrl));
  });

  app.post('/test-send', async (c) => {
    const input = await readJson(c, testSendInput);
    if (!mail) throw new DomainError('MAIL_UNAVAILABLE', 'This server has no mail transport configured, so it cannot send a test');
    const email = await renderRecoveryPreview(store.db, c.var.organizerId, input, store.now(), publicBaseUrl);
    await testSends.take(c.var.organizerId, store.now());
    try {
      // The same From, Reply-To and headers as the real reminder.
      await mail.transport.sendMail({
        ...senderFields(mail.from, email.sender),
        to: input.to,
        subject: `[Test] ${email.subject}`,
        html: email.html,
        text: email.text,
        headers: email.headers,
        messageId: `<test-${randomUUID()}@encore>`,
        date: store.now(),
      });
    } catch (error) {
      throw new DomainError('MAIL_UNAVAILABLE', `The mail server did not take the message: ${(error as Error).message}`);
    }
    return c.json({ sent: true, to: input.to, subject: `[Test] ${email.subject}` });
  });

  return app;
}
